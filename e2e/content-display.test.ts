// End-to-end: how lesson content displays (issue 13, "Keyboard, accessibility, phones"). Wide tables
// scroll inside their box on a phone with a visible cue (a shadow at the edge where more columns wait);
// no diagram text is drawn below 11 px at 1280 px (a wide diagram scrolls sideways in its figure instead
// of shrinking); the consistent-hashing diagram is a ring. Screenshots in test-results/content-*.png,
// figures in test-results/content-figures.json.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openPage, root, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type Site } from "./support/site.ts";

const figures: Record<string, number | string> = {};
const CONSISTENCY = "design-considerations/consistency-models/";
const SHARDING = "data/sharding-and-federation/";

warnIfSkipped("e2e/content-display.test.ts");

/** Every lesson's path on the site, from dist/ (built by startSite). */
function lessonPaths(): string[] {
  const dist = join(root, "dist");
  const out: string[] = [];
  for (const part of readdirSync(dist, { withFileTypes: true })) {
    if (!part.isDirectory() || part.name.startsWith("_") || ["exercises", "progress"].includes(part.name)) continue;
    for (const lesson of readdirSync(join(dist, part.name), { withFileTypes: true })) {
      if (lesson.isDirectory()) out.push(`${part.name}/${lesson.name}/`);
    }
  }
  return out.sort();
}

/** The smallest diagram text on the page as drawn (computed font size times the SVG's scale), per figure. */
function smallestDiagramText(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("figure.diagram")).flatMap((figure) => {
      const svg = Array.from(figure.querySelectorAll("svg")).find((s) => s.checkVisibility());
      if (!svg) return [];
      let px = Infinity;
      let text = "";
      for (const el of svg.querySelectorAll("text, tspan, foreignObject *")) {
        const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== "");
        if (!own) continue;
        const host = (el instanceof SVGGraphicsElement ? el : el.closest("foreignObject")) as SVGGraphicsElement;
        const size = parseFloat(getComputedStyle(el).fontSize) * (host.getScreenCTM()?.a ?? 1);
        if (size < px) [px, text] = [size, el.textContent!.trim().slice(0, 40)];
      }
      const box = figure.getBoundingClientRect();
      return [{ px: Math.round(px * 10) / 10, text, scrolls: figure.scrollWidth > figure.clientWidth + 1, width: Math.round(box.width) }];
    }),
  );
}

/** Mean luminance (0–255) of a vertical strip of an element's screenshot: `from` and `to` in CSS px from its left. */
async function stripLuminance(element: Locator, from: number, to: number): Promise<number> {
  const png = await element.screenshot();
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const scale = info.width / ((await element.boundingBox())!.width);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = Math.round(from * scale); x < Math.round(to * scale); x++) {
      const i = (y * info.width + (x < 0 ? info.width + x : x)) * info.channels;
      sum += 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
      n++;
    }
  }
  return sum / n;
}

describe.skipIf(skipBrowserTests)("lesson content on screen", () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "content-figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("content e2e figures:", figures);
    await site?.close();
  });

  test("at 1280 px no diagram text is drawn below 11 px, on any lesson; wide diagrams scroll in their figure", async () => {
    // Going from lesson to lesson cancels what the last one still loaded: e2e/site.test.ts holds each
    // lesson's errors; this one measures text.
    const { page, context } = await openPage(site, "", { width: 1280, height: 900 });
    let smallest = { px: Infinity, where: "" };
    let diagrams = 0;
    let scrolling = 0;
    const below: string[] = [];
    for (const path of lessonPaths()) {
      await page.goto(new URL(path, site.url).href, { waitUntil: "load" });
      for (const d of await smallestDiagramText(page)) {
        diagrams++;
        if (d.scrolls) scrolling++;
        if (d.px < smallest.px) smallest = { px: d.px, where: `${path} "${d.text}"` };
        if (d.px < 11) below.push(`${path}: ${d.px} px ("${d.text}")`);
      }
    }
    expect(below).toEqual([]);
    expect(diagrams).toBeGreaterThan(30);
    figures.smallestDiagramFontPxAt1280 = smallest.px;
    figures.smallestDiagramFontAt = smallest.where;
    figures.diagramsMeasured = diagrams;
    figures.diagramsScrollingSidewaysAt1280 = scrolling;
    await context.close();
    // The widest one (layer 4/7 routing) scrolls sideways, with the shadow at its right edge.
    const wide = await openPage(site, "load-balancing/layer-4-and-layer-7/", { width: 1280, height: 900 });
    const figure = wide.page.locator("figure.diagram").first();
    await figure.scrollIntoViewIfNeeded();
    await expect(figure.evaluate((f) => f.scrollWidth > f.clientWidth)).resolves.toBe(true);
    // It scrolls, so the keyboard can reach it (a Tab stop) and scroll it with the arrow keys.
    await expect(figure.getAttribute("tabindex")).resolves.toBe("0");
    await figure.focus();
    await wide.page.keyboard.press("ArrowRight");
    await wide.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.scrollLeft! > 0);
    await figure.screenshot({ path: join(SCREENSHOTS, "content-wide-diagram-1280.png") });
    expect(wide.errors).toEqual([]);
    await wide.context.close();
  });

  test("the consistent-hashing diagram is a ring: six points on one circle, clockwise arrows, in both themes", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page, context, errors } = await openPage(site, SHARDING, { width: 1280, height: 900, colorScheme });
      const ring = page.locator("[data-hash-ring]");
      await ring.scrollIntoViewIfNeeded();
      const shape = await ring.evaluate((figure) => {
        const points = Array.from(figure.querySelectorAll(".cl-ring__node circle")).map((c) => c.getBoundingClientRect()).map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 }));
        const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
        const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
        const radii = points.map((p) => Math.hypot(p.x - cx, p.y - cy));
        // Angles of the points in order, clockwise on screen (y grows downwards).
        const angles = points.map((p) => (Math.atan2(p.y - cy, p.x - cx) * 180) / Math.PI);
        const steps = angles.map((a, i) => (((angles[(i + 1) % angles.length]! - a) % 360) + 360) % 360);
        const labels = Array.from(figure.querySelectorAll(".cl-ring__node text")).map((t) => t.textContent);
        return { n: points.length, spread: Math.max(...radii) - Math.min(...radii), radius: radii[0]!, steps, labels, arrows: figure.querySelectorAll(".cl-ring__arc").length, keys: Array.from(figure.querySelectorAll(".cl-ring__key-label")).map((t) => t.textContent) };
      });
      expect(shape.n).toBe(6);
      expect(shape.spread).toBeLessThan(1.5);
      expect(shape.radius).toBeGreaterThan(60);
      for (const step of shape.steps) expect(step).toBeCloseTo(60, 0);
      expect(shape.labels).toEqual(["A1", "B1", "C1", "A2", "C2", "B2"]);
      expect(shape.arrows).toBe(6);
      expect(shape.keys).toEqual(["key user:42", "key user:7"]);
      // The caption under it still says what it shows.
      await expect(page.locator("[data-hash-ring] + p").innerText()).resolves.toMatch(/ring read clockwise/);
      const [text] = await smallestDiagramText(page);
      expect(text!.px).toBeGreaterThanOrEqual(11);
      await ring.screenshot({ path: join(SCREENSHOTS, `content-hash-ring-${colorScheme}.png`) });
      expect(errors).toEqual([]);
      await context.close();
    }
    // On a phone it still fits, its text at least 11 px.
    const phone = await openPage(site, SHARDING, { width: 390, height: 844 });
    await phone.page.locator("[data-hash-ring]").scrollIntoViewIfNeeded();
    const [text] = await smallestDiagramText(phone.page);
    expect(text!.px).toBeGreaterThanOrEqual(11);
    figures.hashRingSmallestFontPxOnPhone = text!.px;
    await phone.page.locator("[data-hash-ring]").screenshot({ path: join(SCREENSHOTS, "content-hash-ring-phone.png") });
    await phone.context.close();
  });

  test("on a phone the consistency-models table scrolls inside its box, all six columns reachable, with a shadow as the cue (light and dark)", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page, context, errors } = await openPage(site, CONSISTENCY, { width: 390, height: 844, colorScheme });
      const table = page.locator(".sl-markdown-content table").first();
      await table.scrollIntoViewIfNeeded();
      const before = await table.evaluate((t) => {
        const box = t.getBoundingClientRect();
        const heads = Array.from(t.querySelectorAll("thead th")).map((th) => th.getBoundingClientRect());
        return {
          columns: heads.length,
          visible: heads.filter((b) => b.right <= box.right + 1).length,
          scrolls: t.scrollWidth > t.clientWidth,
          overflowX: getComputedStyle(t).overflowX,
          background: getComputedStyle(t).backgroundImage,
          attachment: getComputedStyle(t).backgroundAttachment,
          inViewport: box.left >= 0 && box.right <= innerWidth,
          pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(before.columns).toBe(6);
      expect(before.scrolls).toBe(true);
      expect(before.overflowX).toBe("auto");
      expect(before.inViewport).toBe(true);
      expect(before.pageOverflow).toBeLessThanOrEqual(0);
      expect(before.background).toMatch(/radial-gradient/);
      expect(before.attachment).toMatch(/local/);
      // The cue: at the start the right edge is shaded (darker in light, lighter in dark) and the left is not.
      const width = (await table.boundingBox())!.width;
      const left = await stripLuminance(table, 1, 5);
      const right = await stripLuminance(table, width - 5, width - 1);
      if (colorScheme === "light") expect(right).toBeLessThan(left - 4);
      else expect(right).toBeGreaterThan(left + 4);
      figures[`tableEdgeContrastAtStart_${colorScheme}`] = Math.round(Math.abs(right - left) * 10) / 10;
      figures[`tableColumnsVisibleAt390_${colorScheme}`] = `${before.visible} of ${before.columns}`;
      await table.screenshot({ path: join(SCREENSHOTS, `content-table-phone-${colorScheme}.png`) });
      // Scrolled to the end: the last column is in the box, and the shadow has moved to the left edge.
      const after = await table.evaluate((t) => {
        t.scrollLeft = t.scrollWidth;
        const box = t.getBoundingClientRect();
        const last = t.querySelector("thead th:last-child")!.getBoundingClientRect();
        return { lastInBox: last.right <= box.right + 1 && last.left >= box.left };
      });
      expect(after.lastInBox).toBe(true);
      // A Tab stop while it scrolls, so a keyboard reaches the columns it hides.
      await expect(table.getAttribute("tabindex")).resolves.toBe("0");
      const leftEnd = await stripLuminance(table, 1, 5);
      const rightEnd = await stripLuminance(table, width - 5, width - 1);
      if (colorScheme === "light") expect(leftEnd).toBeLessThan(rightEnd - 4);
      else expect(leftEnd).toBeGreaterThan(rightEnd + 4);
      await table.screenshot({ path: join(SCREENSHOTS, `content-table-phone-${colorScheme}-end.png`) });
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
