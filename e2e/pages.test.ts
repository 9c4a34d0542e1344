// End-to-end: the pages around the exercises, in Chromium. The exercises page lists every exercise in
// course order with its lesson, a rough difficulty and the status this browser recorded; the home page
// links to it and shows the course outline; Progress and the theme switch can be reached on a phone;
// axe-core finds no serious or critical accessibility violation on a lesson, an exercise (results
// included) and the exercises page, in both themes. Screenshots in test-results/pages-*.png.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exerciseSelector, openEditor, waitForOutcome } from "./support/exercise.ts";
import { axeViolations, openPage, root, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type AxeViolation, type Site } from "./support/site.ts";

// The course order: each exercise after the lesson that teaches it (exercises/<slug>/exercise.ts `lesson`,
// lessons in part and lesson order), exercises of one lesson in the order the lesson embeds them. Read
// from the files here, independently of src/components/course-map.ts, so exercises added later count.
function courseOrder(): string[] {
  const exercisesDir = join(root, "exercises");
  const list = readdirSync(exercisesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(exercisesDir, d.name, "exercise.ts")))
    .map((d) => {
      const lesson = /\blesson:\s*"([^"]+)"/.exec(readFileSync(join(exercisesDir, d.name, "exercise.ts"), "utf8"))![1]!;
      const file = join(root, "content", `${lesson}.mdx`);
      const at = existsSync(file) ? readFileSync(file, "utf8").indexOf(`<Exercise slug="${d.name}"`) : -1;
      return { slug: d.name, lesson, at: at < 0 ? Number.MAX_SAFE_INTEGER : at };
    });
  return list.sort((a, b) => (a.lesson < b.lesson ? -1 : a.lesson > b.lesson ? 1 : a.at - b.at || a.slug.localeCompare(b.slug))).map((e) => e.slug);
}
const COURSE_ORDER = courseOrder();
const audits: Record<string, Array<Pick<AxeViolation, "id" | "impact" | "nodes">>> = {};

warnIfSkipped("e2e/pages.test.ts");

describe.skipIf(skipBrowserTests)("the exercises page, the home page and accessibility", () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "axe-results.json"), `${JSON.stringify(audits, null, 2)}\n`);
    console.log("axe violations by page:", JSON.stringify(audits));
    await site?.close();
  });

  test("the exercises page lists every exercise in course order with its lesson, difficulty and status", async () => {
    const { page, context, errors } = await openPage(site, "exercises/");
    const rows = page.locator("[data-exercise-row]");
    await expect(rows.evaluateAll((all) => all.map((r) => (r as HTMLElement).dataset.exerciseRow))).resolves.toEqual(COURSE_ORDER);
    await expect(rows.first().locator("a").first().getAttribute("href")).resolves.toBe("/foundations/what-is-a-distributed-system/#exercise-echo");
    await expect(rows.first().locator("td").nth(2).innerText()).resolves.toMatch(/What is a distributed system\?/);
    await expect(rows.locator("[data-difficulty]").evaluateAll((all) => all.every((d) => ["intro", "medium", "hard"].includes(d.textContent ?? "")))).resolves.toBe(true);
    await expect(rows.locator("[data-status-cell]").allInnerTexts()).resolves.toEqual(COURSE_ORDER.map(() => "not started"));

    // What a learner's browser would have kept: a passing Submit of echo, a failing Run of broadcast.
    await page.evaluate(() => {
      localStorage.setItem("clusterlab:progress", JSON.stringify({ echo: { best: "pass", last: "pass", lastRunAt: new Date().toISOString() } }));
      const results = { version: 1, status: "fail", exercise: "broadcast", tests: [], metrics: { runs: 0, events: 0, simulatedMs: 0, wallMs: 0, msgsPerOp: 0, latency: { p50: 0, p99: 0, max: 0 } }, historyHash: "", replay: "" };
      localStorage.setItem("clusterlab:results:broadcast", JSON.stringify({ outcome: { kind: "results", results }, mode: "run", code: "", savedAt: new Date().toISOString() }));
    });
    await page.reload({ waitUntil: "load" });
    const status = (slug: string) => page.locator(`[data-exercise-row="${slug}"] [data-status-cell]`).getAttribute("data-status");
    await expect(status("echo")).resolves.toBe("passed");
    await expect(status("broadcast")).resolves.toBe("failing");
    await expect(status("unique-ids")).resolves.toBe("not-started");
    await expect(page.locator("[data-exercises-summary]").innerText()).resolves.toMatch(new RegExp(`^1 of ${COURSE_ORDER.length} exercises passed`));
    await page.screenshot({ path: join(SCREENSHOTS, "pages-exercises-desktop.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();

    const phone = await openPage(site, "exercises/", { width: 390, height: 844, colorScheme: "dark" });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "pages-exercises-phone-dark.png"), fullPage: true });
    await phone.context.close();
  });

  test("the home page links to the exercises and shows the course outline", async () => {
    const { page, context, errors } = await openPage(site, "");
    await expect(page.locator('main a[href="/exercises/"]').count()).resolves.toBeGreaterThan(0);
    const outline = page.locator("[data-course-outline]");
    await expect(outline.locator(":scope > li").count()).resolves.toBe(11);
    await expect(outline.locator('a[href="/foundations/what-is-a-distributed-system/"]').count()).resolves.toBe(1);
    await expect(outline.locator('a[href="/foundations/what-is-a-distributed-system/#exercise-echo"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, "pages-home-desktop.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("on a phone, Progress and the theme switch are reachable: in the header on the home page, in the menu on a lesson", async () => {
    const home = await openPage(site, "", { width: 390, height: 844 });
    const progress = home.page.locator('header a[href="/progress/"]:visible');
    await expect(progress.count()).resolves.toBe(1);
    await home.page.locator("header starlight-theme-select select:visible").selectOption("dark");
    await expect(home.page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe("dark");
    const overflow = await home.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await home.page.screenshot({ path: join(SCREENSHOTS, "pages-home-phone.png") });
    await progress.click();
    await home.page.waitForURL(/\/progress\/$/);
    expect(home.errors).toEqual([]);
    await home.context.close();

    const lesson = await openPage(site, "messaging/message-queues/", { width: 390, height: 844 });
    await lesson.page.locator("button.sl-menu-button").click();
    await expect(lesson.page.locator('a[href="/progress/"]:visible').count()).resolves.toBeGreaterThan(0);
    await expect(lesson.page.locator('a[href="/exercises/"]:visible').count()).resolves.toBeGreaterThan(0);
    await expect(lesson.page.locator("starlight-theme-select select:visible").count()).resolves.toBeGreaterThan(0);
    await lesson.page.screenshot({ path: join(SCREENSHOTS, "pages-lesson-menu-phone.png") });
    expect(lesson.errors).toEqual([]);
    await lesson.context.close();
  });

  const serious = (violations: AxeViolation[]) => violations.filter((v) => v.impact === "serious" || v.impact === "critical");

  for (const colorScheme of ["light", "dark"] as const) {
    test(`axe-core: no serious or critical violation on a lesson, an exercise with its results, and the exercises page (${colorScheme})`, async () => {
      for (const path of ["load-balancing/layer-4-and-layer-7/", "exercises/", ""]) {
        const { page, context } = await openPage(site, path, { colorScheme });
        const violations = await axeViolations(page);
        audits[`${colorScheme} /${path}`] = violations.map(({ id, impact, nodes }) => ({ id, impact, nodes }));
        expect(serious(violations), `/${path}`).toEqual([]);
        await context.close();
      }
      // An exercise: the editor open, and the results of a failing Run (a message diagram, charts).
      const { page, context } = await openPage(site, "messaging/message-queues/", { colorScheme });
      await openEditor(page, "broadcast");
      await page.locator(`${exerciseSelector("broadcast")} [data-action="run"]`).click();
      expect(await waitForOutcome(page, "broadcast")).toBe("fail");
      await page.locator(`${exerciseSelector("broadcast")} [data-message-diagram] svg.cl-diagram__plot`).waitFor();
      const violations = await axeViolations(page);
      audits[`${colorScheme} /messaging/message-queues/ (exercise, after Run)`] = violations.map(({ id, impact, nodes }) => ({ id, impact, nodes }));
      expect(serious(violations), JSON.stringify(serious(violations), null, 2)).toEqual([]);
      await context.close();
    });
  }
});
