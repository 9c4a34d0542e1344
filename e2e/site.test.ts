// End-to-end: build the site, serve dist/ with the same server as `npm start`, and open pages in
// Debian's Chromium. Checks what a learner sees: the lesson renders, its mermaid diagram becomes an
// SVG, nothing errors in the console, and nothing is fetched from outside localhost.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openPage, root, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type Site } from "./support/site.ts";

const LESSON_PATH = "foundations/what-is-a-distributed-system/";

/** Every lesson's address: content/01-foundations/02-the-four-hard-parts.mdx → foundations/the-four-hard-parts/. */
function lessonPaths(): string[] {
  const contentDir = join(root, "content");
  const strip = (name: string) => name.replace(/^\d+-/, "").replace(/\.mdx?$/, "");
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((part) =>
      readdirSync(join(contentDir, part.name))
        .filter((f) => /\.mdx?$/.test(f))
        .map((f) => `${strip(part.name)}/${strip(f)}/`),
    );
}

warnIfSkipped("e2e/site.test.ts");

describe.skipIf(skipBrowserTests)("the course site in Chromium", () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });

  afterAll(async () => {
    await site?.close();
  });

  /** Opens a page (see support/site.ts) and also lists the mermaid chunks it fetched. */
  async function open(path: string, options: { colorScheme?: "light" | "dark" } = {}) {
    const opened = await openPage(site, path, options);
    const mermaidChunks = opened.requests.filter((p) => /\/_astro\/mermaid\.core\./.test(p));
    return { ...opened, mermaidChunks };
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
