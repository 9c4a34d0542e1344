// End-to-end, issue 18 "In the browser": a design exercise's results in Chromium. The design is drawn from
// the run's own figures (its components and the calls between them, each coloured by utilisation and
// errors), each request type per phase of the fault, time series per window with the fault shaded, the
// cost by line, and the learner's figures beside the reference design's; none of the node panel. An
// estimation drill's results: each figure beside the model's with its credit, none of the node panel.
// Screenshots in test-results/design-*.png, figures in test-results/design-figures.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exerciseSelector, openEditor, readRepoFile, replaceCode, waitForOutcome } from "./support/exercise.ts";
import { axeViolations, openPage, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type Site } from "./support/site.ts";

const SLUG = "url-shortener";
const LESSON = "practice/url-shortener/";
const ex = exerciseSelector(SLUG);
const figures: Record<string, number | string> = {};

warnIfSkipped("e2e/design.test.ts");

/** Pastes a design, presses Run and waits for the verdict; returns it and the seconds it took. */
async function runDesign(page: Page, file: string): Promise<{ verdict: string; seconds: number }> {
  await openEditor(page, SLUG);
  await replaceCode(page, SLUG, readRepoFile(file));
  const started = Date.now();
  await page.locator(`${ex} [data-action="run"]`).click();
  const verdict = await waitForOutcome(page, SLUG, 120_000);
  return { verdict, seconds: (Date.now() - started) / 1000 };
}

/** The smallest text drawn in the element, in CSS px as shown. */
const smallestText = (page: Page, selector: string) =>
  page.locator(selector).evaluate((root) => Math.min(...Array.from(root.querySelectorAll("svg text")).map((t) => parseFloat(getComputedStyle(t).fontSize) * ((t as SVGGraphicsElement).getScreenCTM()?.a ?? 1))));

describe.skipIf(skipBrowserTests)("a design exercise's results", () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "design-figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("design e2e figures:", figures);
    await site?.close();
  });

  test("a design in one zone: the drawing shows its components failing in the zone outage, per phase, over time, its cost and the reference's", async () => {
    const { page, context, errors } = await openPage(site, LESSON, { width: 1280, height: 900 });
    const { verdict, seconds } = await runDesign(page, "exercises/url-shortener/.meta/wrong/one-zone.ts");
    expect(verdict).toBe("fail");
    figures.oneZoneRunSeconds = seconds;
    // The panel opens on the first failing run: the zone outage, which takes every component down at once.
    const detail = page.locator(`${ex} [data-test-detail]`);
    await expect(detail.getAttribute("data-status")).resolves.toBe("fail");
    await expect(detail.locator(".cl-test__head").innerText()).resolves.toContain("zone-outage");
    const panel = detail.locator("[data-design-figures]");
    await panel.waitFor();

    // The drawing: the users and the design's four components, the calls between them.
    const graph = panel.locator("[data-design-graph]");
    const kinds = await graph.locator("[data-component]").evaluateAll((all) => all.map((g) => `${g.getAttribute("data-component")}:${g.getAttribute("data-kind")}`));
    expect(kinds).toEqual(["users:users", "lb:lb", "api:pool", "cache:cache", "db:sql"]);
    const calls = await graph.locator("[data-call]").evaluateAll((all) => all.map((g) => g.getAttribute("data-call")));
    expect(calls).toEqual(expect.arrayContaining(["users→lb", "lb→api", "api→cache", "api→db"]));
    // The outage failed calls to the cache and the store (everything lived in the failed zone): drawn in red.
    const failing = await graph.locator(".cl-design__node--failing").evaluateAll((all) => all.map((g) => g.getAttribute("data-component")));
    expect(failing.length).toBeGreaterThan(0);
    figures.oneZoneFailingComponents = failing.join(", ");
    const util = await graph.locator('[data-component="api"]').getAttribute("data-utilisation");
    expect(Number(util)).toBeGreaterThan(0);
    expect(await smallestText(page, `${ex} [data-design-graph]`)).toBeGreaterThanOrEqual(11);
    // Drawn top to bottom, the design fits the results column at 1280 px: nothing of it scrolls out of sight.
    const fit = await graph.evaluate((c) => ({ scroll: c.scrollWidth, client: c.clientWidth }));
    figures.graphWidthAt1280Px = `${fit.scroll} drawn in ${fit.client}`;
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);

    // Per phase: the users' requests fail during the outage, not before it.
    const phases = panel.locator("[data-design-phases]");
    const resolve = phases.locator('[data-phase-row="resolve"]');
    const cell = async (phase: string) => Number(/^([\d.]+)%/.exec(await resolve.locator(`[data-phase="${phase}"]`).innerText())![1]);
    expect(await cell("before")).toBeGreaterThan(99);
    expect(await cell("during")).toBeLessThan(await cell("before"));
    figures.oneZoneResolveAvailability = `before ${await cell("before")}%, during ${await cell("during")}%, after ${await cell("after")}%`;
    await expect(panel.locator("[data-recovery]").innerText()).resolves.toMatch(/RTO/);

    // Over time, the fault shaded in every chart; the cost by line; the reference beside the learner's figures.
    const series = panel.locator("[data-series-charts] figure");
    const titles = await series.evaluateAll((all) => all.map((f) => f.getAttribute("data-chart")));
    expect(titles).toEqual(expect.arrayContaining(["p99 latency of resolve, per window", "Requests that failed, per window"]));
    await expect(panel.locator("[data-series-charts] rect.cl-chart__band").count()).resolves.toBe(titles.length);
    const failedPerWindow = await panel.locator('[data-chart="Requests that failed, per window"] rect.cl-chart__bar--bad').count();
    expect(failedPerWindow).toBeGreaterThan(0);
    const costLines = await panel.locator("[data-cost-chart] svg text.cl-chart__label").evaluateAll((all) => all.map((t) => t.textContent));
    expect(costLines).toEqual(expect.arrayContaining(["compute", "database"]));
    const reference = panel.locator("[data-reference]");
    await expect(reference.locator("[data-compare]").count()).resolves.toBe(2);
    figures.oneZoneCostVsReference = (await reference.locator('[data-compare="cost per month"]').innerText()).replace(/\s+/g, " ");

    // None of the node panel: no message diagram, no messages per operation.
    await expect(detail.locator("[data-message-diagram]").count()).resolves.toBe(0);
    await expect(detail.innerText()).resolves.not.toMatch(/msgs\/op|messages per operation/i);
    // Nothing serious or critical for axe on the page, the results panel included.
    const violations = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations).toEqual([]);

    await graph.scrollIntoViewIfNeeded();
    await graph.screenshot({ path: join(SCREENSHOTS, "design-graph-one-zone.png") });
    await phases.screenshot({ path: join(SCREENSHOTS, "design-phases-one-zone.png") });
    await panel.locator("[data-series-charts]").screenshot({ path: join(SCREENSHOTS, "design-series-one-zone.png") });
    await panel.screenshot({ path: join(SCREENSHOTS, "design-panel-one-zone.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("an estimation drill: each figure beside the model's with the ratio and its credit, and nothing of the node panel", async () => {
    const { page, context, errors } = await openPage(site, "design-considerations/back-of-the-envelope/", { width: 1280, height: 900 });
    const drill = "estimate-qps";
    const dx = exerciseSelector(drill);
    await openEditor(page, drill);
    // Takes the mean for the peak: the peak figure is off by the peak factor, the others are right.
    await replaceCode(page, drill, readRepoFile("exercises/estimate-qps/.meta/wrong/mean-as-peak.ts"));
    await page.locator(`${dx} [data-action="run"]`).click();
    expect(await waitForOutcome(page, drill, 60_000)).toBe("fail");
    const table = page.locator(`${dx} [data-test-detail] [data-estimate-figures]`);
    await table.waitFor();
    await expect(table.locator('[data-estimate-row="peakQps"]').getAttribute("data-credit")).resolves.not.toBe("full");
    await expect(table.locator('[data-estimate-row="meanQps"]').getAttribute("data-credit")).resolves.toBe("full");
    figures.estimatePeakRow = (await table.locator('[data-estimate-row="peakQps"]').innerText()).replace(/\s+/g, " ");
    const detail = page.locator(`${dx} [data-test-detail]`);
    await expect(detail.locator("[data-message-diagram]").count()).resolves.toBe(0);
    await expect(page.locator(`${dx} [data-verdict]`).innerText()).resolves.not.toMatch(/virtual time|msgs\/op/);
    await table.screenshot({ path: join(SCREENSHOTS, "design-estimate-figures.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the reference passes: its drawing has no failing component before the fault, and its figures equal the reference's (dark, then a phone)", async () => {
    const { page, context, errors } = await openPage(site, LESSON, { width: 1920, height: 1080, colorScheme: "dark" });
    const { verdict, seconds } = await runDesign(page, "exercises/url-shortener/.meta/solution.ts");
    expect(verdict).toBe("pass");
    figures.referenceRunSeconds = seconds;
    // The launch task: no fault, so one column per type, and no shaded window.
    await page.locator(`${ex} [data-task-result="launch"] .cl-seed`).first().click();
    const panel = page.locator(`${ex} [data-test-detail] [data-design-figures]`);
    await panel.waitFor();
    await expect(panel.locator(".cl-design__node--failing").count()).resolves.toBe(0);
    await expect(panel.locator("[data-series-charts] rect.cl-chart__band").count()).resolves.toBe(0);
    await expect(panel.locator('[data-design-phases] [data-phase="run"]').count()).resolves.toBe(3);
    // Graded against itself, the reference costs what the reference costs: a ratio of 1.
    await expect(panel.locator('[data-compare="cost per month"] td').last().innerText()).resolves.toBe("1×");
    const edge = await panel.locator('[data-call="api→db"]').getAttribute("data-per-sec");
    figures.referenceApiToDbPerSec = Number(edge);
    expect(Number(edge)).toBeGreaterThan(0);
    await panel.screenshot({ path: join(SCREENSHOTS, "design-panel-reference-dark.png") });

    // On a phone the drawing keeps its text size (drawn top to bottom, it fits or scrolls in its own box);
    // the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const canvas = panel.locator("[data-design-graph]");
    await page.waitForFunction((s) => {
      const c = document.querySelector(`${s} [data-design-graph]`);
      return c !== null && c.clientWidth < 380;
    }, ex);
    const { scroll, client } = await canvas.evaluate((c) => ({ scroll: c.scrollWidth, client: c.clientWidth }));
    figures.phoneGraphWidthPx = `${scroll} drawn in ${client}`;
    expect(await smallestText(page, `${ex} [data-design-graph]`)).toBeGreaterThanOrEqual(11);
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBeLessThanOrEqual(0);
    await canvas.scrollIntoViewIfNeeded();
    await canvas.screenshot({ path: join(SCREENSHOTS, "design-graph-phone.png") });
    expect(errors).toEqual([]);
    await context.close();
  });
});
