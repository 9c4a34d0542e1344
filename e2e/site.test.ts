// End-to-end: build the site, serve dist/ with the same server as `npm start`, and open pages in
// Debian's Chromium. Checks what a learner sees: the lesson renders, its mermaid diagram becomes an
// SVG, nothing errors in the console, and nothing is fetched from outside localhost.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite, projectRoot } from "../scripts/build-site.mjs";
import { serveStatic } from "../scripts/serve.mjs";

// Debian's Chromium; CHROMIUM_PATH points elsewhere (another build, or a missing path to try the skip).
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const inCI = !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());
const LESSON_PATH = "foundations/what-is-a-distributed-system/";
const SCREENSHOTS = join(projectRoot as string, "test-results");

/** Every lesson's address: content/01-foundations/02-the-four-hard-parts.mdx → foundations/the-four-hard-parts/. */
function lessonPaths(): string[] {
  const contentDir = join(projectRoot as string, "content");
  const strip = (name: string) => name.replace(/^\d+-/, "").replace(/\.mdx?$/, "");
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((part) =>
      readdirSync(join(contentDir, part.name))
        .filter((f) => /\.mdx?$/.test(f))
        .map((f) => `${strip(part.name)}/${strip(f)}/`),
    );
}

if (!hasChromium && !inCI) {
  const line = "=".repeat(78);
  console.warn(
    `\n${line}\n  SKIPPING e2e/site.test.ts: ${CHROMIUM} not found.\n` +
      `  These tests drive a real browser. Install Debian's Chromium and re-run:\n` +
      `    sudo apt-get update && sudo apt-get install -y chromium\n` +
      `    npx vitest run --project e2e\n` +
      `  (With CI=true a missing Chromium fails the run instead of skipping.)\n${line}\n`,
  );
}

interface Site {
  url: string;
  close: () => Promise<void>;
}

describe.skipIf(!hasChromium && !inCI)("the course site in Chromium", () => {
  let site: Site;
  let browser: Browser;

  beforeAll(async () => {
    if (!hasChromium) {
      throw new Error(
        `CI is set but ${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` ` +
          `(.ci/run does this) so the end-to-end tests can run.`,
      );
    }
    await buildSite({ quiet: true });
    site = (await serveStatic({ root: join(projectRoot, "dist"), port: 0 })) as Site;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Opens a page and records console errors, page errors and every request that left localhost. */
  async function open(path: string, options: { colorScheme?: "light" | "dark" } = {}) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: options.colorScheme ?? "light",
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const offsite: string[] = [];
    const mermaidChunks: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.protocol === "data:" || url.protocol === "blob:") return;
      if (url.hostname !== "localhost" && url.hostname !== "127.0.0.1") offsite.push(request.url());
      if (/\/_astro\/mermaid\.core\./.test(url.pathname)) mermaidChunks.push(url.pathname);
    });
    page.on("requestfailed", (request) => errors.push(`requestfailed: ${request.url()}`));
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(new URL(path, site.url).href, { waitUntil: "load" });
    return { page, context, errors, offsite, mermaidChunks };
  }

  async function waitForDiagrams(page: Page) {
    await page.waitForFunction(
      () => {
        const blocks = document.querySelectorAll("pre.mermaid");
        return (
          blocks.length > 0 &&
          Array.from(blocks).every((block) => block.hasAttribute("data-rendered") || block.hasAttribute("data-error"))
        );
      },
      undefined,
      { timeout: 30_000 },
    );
  }

  test("the lesson renders, its diagram becomes an SVG, and nothing leaves localhost", async () => {
    const { page, context, errors, offsite, mermaidChunks } = await open(LESSON_PATH);
    await expect(page.locator("h1").first().innerText()).resolves.toBe("What is a distributed system?");

    await waitForDiagrams(page);
    const diagram = page.locator("pre.mermaid").first();
    await expect(diagram.getAttribute("data-error")).resolves.toBeNull();
    await expect(diagram.locator("svg").count()).resolves.toBe(1);
    // The sequence diagram's participants made it into the SVG.
    await expect(diagram.locator("svg").innerHTML()).resolves.toContain("Payment service");
    expect(mermaidChunks.length).toBeGreaterThan(0);

    await page.screenshot({ path: join(SCREENSHOTS, "lesson-light.png"), fullPage: true });
    await diagram.screenshot({ path: join(SCREENSHOTS, "lesson-diagram-light.png") });
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  test("the diagram follows the dark theme", async () => {
    const { page, context, errors, offsite } = await open(LESSON_PATH, { colorScheme: "dark" });
    await waitForDiagrams(page);
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe("dark");
    const darkSvg = await page.locator("pre.mermaid svg").first().innerHTML();
    await page.locator("pre.mermaid").first().screenshot({ path: join(SCREENSHOTS, "lesson-diagram-dark.png") });

    // Switch to light with Starlight's theme picker and wait for the diagram to re-render.
    await page.locator("starlight-theme-select select").first().selectOption("light");
    await page.waitForFunction(
      (before) => document.querySelector("pre.mermaid svg")?.innerHTML !== before,
      darkSvg,
      { timeout: 30_000 },
    );
    await expect(page.locator("pre.mermaid svg").count()).resolves.toBe(1);
    await page.locator("pre.mermaid").first().screenshot({ path: join(SCREENSHOTS, "lesson-diagram-switched.png") });
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  test("the home page links to the lesson and does not load mermaid", async () => {
    const { page, context, errors, offsite, mermaidChunks } = await open("");
    await expect(page.locator("h1").first().innerText()).resolves.toBe("clusterlab");
    await expect(page.locator(`a[href="/${LESSON_PATH}"]`).count()).resolves.toBeGreaterThan(0);
    await page.waitForLoadState("networkidle");
    expect(mermaidChunks).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "home.png") });
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  test("search finds the lesson (Pagefind, served locally)", async () => {
    const { page, context, errors, offsite } = await open(LESSON_PATH);
    await page.locator("button[data-open-modal]:visible").first().click();
    await page.locator("dialog[open] input").first().fill("partial failure");
    const result = page.locator("dialog[open] a[href*='what-is-a-distributed-system']").first();
    await result.waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  test("an unknown address gets the 404 page", async () => {
    const response = await fetch(new URL("no-such-lesson/", site.url));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  test("every lesson renders with all its diagrams and no errors", async () => {
    const paths = lessonPaths();
    expect(paths.length).toBeGreaterThan(1);
    for (const path of paths) {
      const { page, context, errors, offsite } = await open(path);
      const heading = await page.locator("h1").first().innerText();
      expect(heading.length, path).toBeGreaterThan(3);
      if ((await page.locator("pre.mermaid").count()) > 0) {
        await waitForDiagrams(page);
        const failed = await page.locator("pre.mermaid[data-error]").count();
        expect(failed, `${path}: diagrams that did not render`).toBe(0);
      }
      await page.screenshot({ path: join(SCREENSHOTS, `lesson-${path.replaceAll("/", "_").replace(/_$/, "")}.png`), fullPage: true });
      expect(errors, path).toEqual([]);
      expect(offsite, path).toEqual([]);
      await context.close();
    }
  });
});
