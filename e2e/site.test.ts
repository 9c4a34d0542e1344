// End-to-end: build the site, serve dist/ with the same server as `npm start`, and open pages in
// Debian's Chromium. Checks what a learner sees: the lesson renders, its mermaid diagrams are there as
// inline SVG pre-rendered for both themes (no diagram JavaScript is fetched), nothing errors in the
// console, and nothing is fetched from outside localhost. Also measures a lesson's JavaScript weight.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { contentDiagrams } from "../scripts/diagram-store.mjs";
import { gzippedScriptBytes, openPage, root, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type Site } from "./support/site.ts";

const LESSON_PATH = "foundations/what-is-a-distributed-system/";
const LESSON_FILE = "content/01-foundations/01-what-is-a-distributed-system.mdx";
// A lesson with a diagram and no exercise: the page issue 5 holds to 100 KB of compressed JavaScript.
const LESSON_WITHOUT_EXERCISE = "load-balancing/layer-4-and-layer-7/";
const JS_BUDGET_GZIP_BYTES = 100_000;
// Chunks of the mermaid library (its core and its per-diagram renderers): no page should fetch any.
const MERMAID_CHUNK = /\/_astro\/(mermaid\.core|\w+Diagram-|elk|cytoscape|dagre|katex)[.\w-]*\.js$/;

/** Every lesson: its file (content/01-foundations/02-the-four-hard-parts.mdx) and address (foundations/the-four-hard-parts/). */
function lessons(): Array<{ file: string; path: string }> {
  const contentDir = join(root, "content");
  const strip = (name: string) => name.replace(/^\d+-/, "").replace(/\.mdx?$/, "");
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((part) =>
      readdirSync(join(contentDir, part.name))
        .filter((f) => /\.mdx?$/.test(f))
        .map((f) => ({ file: `content/${part.name}/${f}`, path: `${strip(part.name)}/${strip(f)}/` })),
    );
}

/** Ids of the SVGs a lesson must inline, in page order: diagram-<hash>-light and -dark per diagram. */
function expectedSvgIds(file: string): string[] {
  return (contentDiagrams() as Array<{ path: string; hash: string }>)
    .filter((d) => d.path === file)
    .flatMap((d) => [`diagram-${d.hash}-light`, `diagram-${d.hash}-dark`]);
}

/** The diagrams on a page: every inline SVG's id, which of them are visible, and leftover fallbacks. */
function diagramsOnPage(page: Page) {
  return page.evaluate(() => {
    const svgs = Array.from(document.querySelectorAll<SVGSVGElement>("figure.diagram > .diagram-theme > svg"));
    return {
      figures: document.querySelectorAll("figure.diagram").length,
      labelled: document.querySelectorAll("figure.diagram[aria-label]").length,
      ids: svgs.map((svg) => svg.id),
      visible: svgs.filter((svg) => svg.checkVisibility()).map((svg) => svg.id),
      fallbacks: document.querySelectorAll("pre.mermaid").length,
      // Text colour mermaid's theme CSS gives each visible SVG (unstyled, an SVG's fill is plain black).
      fills: svgs.filter((svg) => svg.checkVisibility()).map((svg) => getComputedStyle(svg).fill),
    };
  });
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
    const mermaidChunks = () => opened.requests.filter((p) => MERMAID_CHUNK.test(p));
    return { ...opened, mermaidChunks };
  }

  test("the lesson renders with its diagram as inline SVG, and nothing leaves localhost", async () => {
    const { page, context, errors, offsite, mermaidChunks } = await open(LESSON_PATH);
    await expect(page.locator("h1").first().innerText()).resolves.toBe("What is a distributed system?");

    const ids = expectedSvgIds(LESSON_FILE);
    const diagrams = await diagramsOnPage(page);
    expect(diagrams.ids).toEqual(ids);
    expect(diagrams.visible).toEqual(ids.filter((id) => id.endsWith("-light")));
    expect(diagrams.labelled).toBe(diagrams.figures);
    expect(diagrams.fallbacks).toBe(0);
    const diagram = page.locator("figure.diagram").first();
    // The sequence diagram's participants made it into the SVG.
    await expect(diagram.locator("svg:visible").innerHTML()).resolves.toContain("Payment service");

    await page.waitForLoadState("networkidle");
    expect(mermaidChunks()).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "lesson-light.png"), fullPage: true });
    await diagram.screenshot({ path: join(SCREENSHOTS, "lesson-diagram-light.png") });
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  test("the dark theme shows the dark SVG, and switching theme shows the other one", async () => {
    const { page, context, errors, offsite, mermaidChunks } = await open(LESSON_PATH, { colorScheme: "dark" });
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe("dark");
    const ids = expectedSvgIds(LESSON_FILE);
    const dark = await diagramsOnPage(page);
    expect(dark.visible).toEqual(ids.filter((id) => id.endsWith("-dark")));
    await page.locator("figure.diagram").first().screenshot({ path: join(SCREENSHOTS, "lesson-diagram-dark.png") });

    // Switch to light with Starlight's theme picker: CSS alone swaps the SVGs, nothing is rendered.
    await page.locator("starlight-theme-select select").first().selectOption("light");
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe("light");
    const light = await diagramsOnPage(page);
    expect(light.visible).toEqual(ids.filter((id) => id.endsWith("-light")));
    // Each theme's own CSS applies: light and dark draw their text in different colours, neither black.
    expect(light.fills[0]).not.toBe(dark.fills[0]);
    expect([...light.fills, ...dark.fills]).not.toContain("rgb(0, 0, 0)");
    await page.locator("figure.diagram").first().screenshot({ path: join(SCREENSHOTS, "lesson-diagram-switched.png") });
    expect(mermaidChunks()).toEqual([]);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    await context.close();
  });

  test("a lesson without an exercise ships at most 100 KB of compressed JavaScript", async () => {
    const { page, context, errors, requests, mermaidChunks } = await open(LESSON_WITHOUT_EXERCISE);
    await expect(diagramsOnPage(page).then((d) => d.figures)).resolves.toBeGreaterThan(0);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState("networkidle");
    const { files, bytes: total } = await gzippedScriptBytes(site, requests);
    console.log(`${LESSON_WITHOUT_EXERCISE}: ${files} scripts, ${(total / 1000).toFixed(1)} KB of JavaScript gzipped`);
    expect(mermaidChunks()).toEqual([]);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(JS_BUDGET_GZIP_BYTES);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the home page links to the lesson and does not load mermaid", async () => {
    const { page, context, errors, offsite, mermaidChunks } = await open("");
    await expect(page.locator("h1").first().innerText()).resolves.toBe("clusterlab");
    await expect(page.locator(`a[href="/${LESSON_PATH}"]`).count()).resolves.toBeGreaterThan(0);
    await page.waitForLoadState("networkidle");
    expect(mermaidChunks()).toEqual([]);
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

  test("every lesson renders with all its diagrams, pre-rendered for both themes, and no errors", async () => {
    const all = lessons();
    expect(all.length).toBeGreaterThan(1);
    let withDiagrams = 0;
    for (const { file, path } of all) {
      const { page, context, errors, offsite, mermaidChunks } = await open(path);
      const heading = await page.locator("h1").first().innerText();
      expect(heading.length, path).toBeGreaterThan(3);
      const ids = expectedSvgIds(file);
      if (ids.length > 0) withDiagrams++;
      const diagrams = await diagramsOnPage(page);
      expect(diagrams.ids, `${path}: inline SVGs (run \`npm run diagrams\` if some are missing)`).toEqual(ids);
      expect(diagrams.visible, `${path}: visible SVGs in the light theme`).toEqual(ids.filter((id) => id.endsWith("-light")));
      expect(diagrams.fallbacks, `${path}: diagrams left for the browser to render`).toBe(0);
      await page.waitForLoadState("networkidle");
      expect(mermaidChunks(), path).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `lesson-${path.replaceAll("/", "_").replace(/_$/, "")}.png`), fullPage: true });
      expect(errors, path).toEqual([]);
      expect(offsite, path).toEqual([]);
      await context.close();
    }
    expect(withDiagrams).toBeGreaterThan(10);
  });
});
