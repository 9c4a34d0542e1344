// End-to-end: an exercise in a lesson, in Chromium. The editor loads only when the exercise scrolls into
// view; a wrong solution fails with the check's message and a message diagram; the reference solution
// passes on Submit; the code survives a reload; an infinite loop is stopped (by Stop, and by the
// grader's deadline) and the page stays usable. Also measures what a lesson without an exercise costs.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openEditor as openEditorOf, replaceCode as replaceCodeOf, waitForOutcome as waitForOutcomeOf } from "./support/exercise.ts";
import { gzippedScriptBytes, openPage, root, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type OpenPage, type Site } from "./support/site.ts";

const LESSON = "messaging/message-queues/";
const LESSON_WITHOUT_EXERCISE = "load-balancing/layer-4-and-layer-7/";
const EXERCISE = '[data-exercise="broadcast"]';
const read = (path: string) => readFileSync(join(root, path), "utf8");
const REFERENCE = read("exercises/broadcast/.meta/solution.ts");
const WRONG = read("exercises/broadcast/.meta/wrong/no-retry.ts"); // fails: delivery, under partitions
const SLOW = read("exercises/broadcast/.meta/wrong/slow-gossip.ts"); // fails: stable-latency, 25 nodes
const LOOPS = `import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("topology", (msg) => node.reply(msg, { type: "topology_ok" }));
  node.on("broadcast", () => {
    while (true) {}
  });
}
`;
const EDITOR_CHUNK = /\/_astro\/(mount|editor\.api)\.[^/]*\.js$/;
const figures: Record<string, number> = {};

warnIfSkipped("e2e/exercise.test.ts");

const openEditor = (page: Page) => openEditorOf(page, "broadcast");
const replaceCode = (page: Page, code: string) => replaceCodeOf(page, "broadcast", code);
const waitForOutcome = (page: Page, timeout = 30_000) => waitForOutcomeOf(page, "broadcast", timeout);

async function savedCode(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const raw = localStorage.getItem("clusterlab:code:broadcast");
    return raw ? (JSON.parse(raw) as { code: string }).code : undefined;
  });
}

describe.skipIf(skipBrowserTests)("an exercise in the browser", () => {
  let site: Site;
  let lesson: OpenPage;

  beforeAll(async () => {
    site = await startSite();
    lesson = await openPage(site, LESSON);
  });

  afterAll(async () => {
    if (Object.keys(figures).length > 0) {
      writeFileSync(join(SCREENSHOTS, "exercise-figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
      console.log("exercise e2e figures:", figures);
    }
    await lesson?.context.close();
    await site?.close();
  });

  test("the editor loads only when the exercise scrolls into view, with hints and the starter", async () => {
    const { page, requests } = lesson;
    await page.waitForLoadState("networkidle");
    expect(requests.filter((p) => EDITOR_CHUNK.test(p)), "editor code before the exercise is visible").toEqual([]);
    await expect(page.locator(`${EXERCISE} [data-starter-view]`).innerText()).resolves.toContain("export default function start");

    // Hints come one at a time.
    await expect(page.locator(`${EXERCISE} [data-hint]:visible`).count()).resolves.toBe(0);
    await page.locator(`${EXERCISE} [data-reveal-hint]`).click();
    await expect(page.locator(`${EXERCISE} [data-hint]:visible`).count()).resolves.toBe(1);

    figures.timeToEditableMs = await openEditor(page);
    figures.timeToEditableInPageMs = await page.locator(EXERCISE).evaluate((el: HTMLElement) => Math.round(Number(el.dataset.editorReady) - Number(el.dataset.visibleAt)));
    expect(requests.some((p) => EDITOR_CHUNK.test(p))).toBe(true);
    // The target, measured from the moment the exercise entered the viewport.
    expect(figures.timeToEditableInPageMs).toBeLessThanOrEqual(2000);
    // The starter is in the editor.
    await expect(page.locator(`${EXERCISE} .monaco-editor .view-lines`).innerText()).resolves.toContain("TODO");
    // The editor follows Starlight's theme picker.
    await page.locator("starlight-theme-select select").first().selectOption("dark");
    await page.locator(`${EXERCISE} .monaco-editor.vs-dark`).waitFor();
    await page.locator("starlight-theme-select select").first().selectOption("light");
    await page.locator(`${EXERCISE} .monaco-editor.vs`).waitFor();
  });

  test("a wrong solution fails with the check's message, the replay command and a message diagram", async () => {
    const { page } = lesson;
    await replaceCode(page, WRONG);
    await page.keyboard.press("ControlOrMeta+Enter"); // Run
    expect(await waitForOutcome(page)).toBe("fail");

    const detail = page.locator(`${EXERCISE} [data-test-detail]`);
    await expect(detail.getAttribute("data-status")).resolves.toBe("fail");
    await expect(detail.locator("code").first().innerText()).resolves.toBe("delivery");
    await expect(detail.locator("[data-message]").innerText()).resolves.toMatch(/missing|retry|acknowledged/);
    await expect(detail.locator("[data-replay]").innerText()).resolves.toMatch(/^npx clusterlab grade broadcast broadcast\.ts --seed \d+ --scenario \d+$/);
    await expect(page.locator(`${EXERCISE} [data-task-result="partitions"]`).getAttribute("data-status")).resolves.toBe("fail");
    await expect(page.locator(`${EXERCISE} [data-task-result="single-node"]`).getAttribute("data-status")).resolves.toBe("pass");
    await expect(page.locator(`${EXERCISE} .cl-chart svg`).count()).resolves.toBeGreaterThan(0);

    // The diagram: arrows drawn, a partition band, dropped messages; hover names a message.
    const diagram = page.locator(`${EXERCISE} [data-message-diagram]`);
    await diagram.locator("svg.cl-diagram__plot").waitFor();
    await diagram.locator("select[data-zoom]").selectOption({ index: (await diagram.locator("option").count()) - 1 }); // whole run
    await page.waitForFunction(() => document.querySelector("[data-message-diagram] [data-time-slider]")?.hasAttribute("disabled"));
    await expect(diagram.locator(".cl-diagram__partition").count()).resolves.toBeGreaterThan(0);
    await expect(diagram.locator(".cl-diagram__msg--dropped").count()).resolves.toBeGreaterThan(0);
    await diagram.locator("select[data-zoom]").selectOption({ index: 3 }); // a 200 ms window
    const before = await diagram.locator("output").innerText();
    await diagram.locator("[data-time-slider]").fill("2000");
    await page.waitForFunction((text) => document.querySelector("[data-message-diagram] output")?.textContent !== text, before);
    const arrows = Number(await diagram.locator("svg.cl-diagram__plot").getAttribute("data-arrows"));
    expect(arrows).toBeGreaterThan(0);
    // Point at a delivered message drawn wholly inside the window (arrows that cross its edges are clipped).
    const lines = diagram.locator("line[data-i]");
    const inside = await lines.evaluateAll((all) =>
      all.findIndex((l) => ["y1", "y2"].every((a) => Number(l.getAttribute(a)) > 40 && Number(l.getAttribute(a)) < 440)),
    );
    expect(inside).toBeGreaterThanOrEqual(0);
    await lines.nth(inside).hover({ force: true }); // force: the pointer is matched by distance, not by hit-testing
    await expect(diagram.locator(".is-hot").count()).resolves.toBe(1);
    await expect(diagram.locator("[data-diagram-readout]").innerText()).resolves.toMatch(/ → .*sent at \d/);
    await page.locator(EXERCISE).screenshot({ path: join(SCREENSHOTS, "exercise-fail-desktop.png") });
  });

  test("a failing seed replays on its own, and its diagram stays fast with thousands of messages", async () => {
    const { page } = lesson;
    await replaceCode(page, SLOW);
    await page.locator(`${EXERCISE} [data-action="run"]`).click();
    expect(await waitForOutcome(page)).toBe("fail");
    // The diagram belongs to the first failure (five nodes); the 25-node one is replayed from its seed.
    await page.locator(`${EXERCISE} [data-task-result="efficiency"] .cl-seed[data-seed="1"]`).click();
    const seeds = await page.locator(`${EXERCISE} .cl-seed`).count();
    await page.locator(`${EXERCISE} [data-action="replay-run"]`).click();
    // The replay adds the run's diagram to the results on show; the overview and its seeds stay.
    const diagram = page.locator(`${EXERCISE} [data-test-detail] [data-message-diagram]`);
    await diagram.locator("svg").first().waitFor({ timeout: 60_000 });
    await expect(page.locator(`${EXERCISE} .cl-seed`).count()).resolves.toBe(seeds);
    await expect(page.locator(`${EXERCISE} [data-test-detail] code`).first().innerText()).resolves.toBe("stable-latency");
    const total = Number((await diagram.locator("[data-diagram-summary]").innerText()).match(/of ([\d,]+) messages/)![1]!.replaceAll(",", ""));
    expect(total).toBeGreaterThan(5000);
    figures.diagramMessages = total;

    // Move the window across the run, as dragging the slider does: time each redraw (building and parsing
    // the SVG) and each redraw up to the second frame after it (layout and paint included).
    const timings = await diagram.evaluate(async (figure) => {
      const slider = figure.querySelector<HTMLInputElement>("[data-time-slider]")!;
      const canvas = figure.querySelector<HTMLElement>(".cl-diagram__canvas")!;
      const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      const draw: number[] = [];
      const framed: number[] = [];
      for (let step = 1; step <= 20; step++) {
        const started = performance.now();
        slider.value = String((Number(slider.max) * step) / 20);
        slider.dispatchEvent(new Event("input"));
        await frame();
        framed.push(performance.now() - started);
        draw.push(Number(canvas.dataset.drawMs));
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
      return { draw: median(draw), framed: median(framed), framedMax: Math.max(...framed) };
    });
    figures.diagramDrawMedianMs = timings.draw;
    figures.diagramRedrawToSecondFrameMedianMs = Math.round(timings.framed);
    figures.diagramRedrawToSecondFrameMaxMs = Math.round(timings.framedMax);
    // Whole run: capped at the drawing budget, and it says so.
    await diagram.locator("select[data-zoom]").selectOption({ index: (await diagram.locator("option").count()) - 1 });
    await page.waitForFunction(() => /are drawn: zoom in/.test(document.querySelector("[data-diagram-summary]")?.textContent ?? ""));
    expect(Number(await diagram.locator("svg.cl-diagram__plot").getAttribute("data-arrows"))).toBe(2500);
    // Building a window fits in one frame at 60 Hz, so sliding keeps up.
    expect(figures.diagramDrawMedianMs).toBeLessThanOrEqual(16);
    await diagram.screenshot({ path: join(SCREENSHOTS, "exercise-diagram-25-nodes.png") });
  });

  test("IntelliSense knows the node API; misusing it is a type error: a squiggle, and a list entry that moves the cursor there; nothing runs", async () => {
    const { page } = lesson;
    // IntelliSense knows the node API: completing `n.` offers its methods.
    await replaceCode(page, 'import type { Node } from "clusterlab";\ndeclare const n: Node;\n');
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type("n.");
    await page.locator(".suggest-widget .monaco-list-row").filter({ hasText: "rpc" }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press("Escape");

    const misuse = 'export function misuse(node: Node) { node.sendd("n2", { type: "gossip" }); }';
    await replaceCode(page, `${WRONG}\n${misuse}\n`);
    await page.locator(`${EXERCISE} .monaco-editor .squiggly-error`).first().waitFor({ timeout: 15_000 });
    await page.locator(`${EXERCISE} [data-action="run"]`).click();
    expect(await waitForOutcome(page)).toBe("compile-error");
    const entry = page.locator(`${EXERCISE} [data-compile-errors] li`).first();
    await expect(entry.innerText()).resolves.toMatch(/sendd.*Node/);
    const line = WRONG.split("\n").length + 1;
    const column = misuse.indexOf("sendd") + 1;
    await expect(entry.locator("[data-goto]").innerText()).resolves.toBe(`broadcast.ts:${line}:${column}`);
    await entry.locator("[data-goto]").click();
    await expect(page.evaluate(() => document.activeElement?.closest(".monaco-editor") !== null)).resolves.toBe(true);
  });

  test("the reference solution passes every task and seed on Submit, and progress records it", async () => {
    const { page } = lesson;
    // Through the Upload button, as a learner would load a file.
    await page.locator(`${EXERCISE} [data-upload]`).setInputFiles({ name: "broadcast.ts", mimeType: "text/plain", buffer: Buffer.from(REFERENCE) });
    await page.waitForFunction(() => document.querySelector("[data-exercise] .view-lines")?.textContent?.includes("unacked"));
    const started = Date.now();
    await page.locator(`${EXERCISE} [data-action="submit"]`).click();
    expect(await waitForOutcome(page, 60_000)).toBe("pass");
    figures.submitBroadcastMs = Date.now() - started;
    const seeds = page.locator(`${EXERCISE} .cl-seed`);
    await expect(seeds.count()).resolves.toBe(20); // 4 tasks × 5 seeds
    await expect(page.locator(`${EXERCISE} .cl-seed[data-status="pass"]`).count()).resolves.toBe(20);
    await expect(page.locator(`${EXERCISE} .cl-progress-text`).innerText()).resolves.toBe("Done: passed, 20 of 20 runs passed.");
    await expect(page.locator(`${EXERCISE} [data-announce]`).innerText()).resolves.toBe("Done: passed, 20 of 20 runs passed.");
    await page.locator(EXERCISE).screenshot({ path: join(SCREENSHOTS, "exercise-pass-desktop.png") });

    const progress = await openPage(site, "progress/", { context: lesson.context });
    await expect(progress.page.locator('[data-progress-row="broadcast"] [data-best]').getAttribute("data-status")).resolves.toBe("pass");
    await expect(progress.page.locator("[data-progress-summary]").innerText()).resolves.toMatch(/^1 of \d+ exercises passed/);
    await progress.page.screenshot({ path: join(SCREENSHOTS, "progress.png") });
    expect(progress.errors).toEqual([]);
    await progress.page.close();
  });

  test("the code is still there after a reload", async () => {
    const { page } = lesson;
    await page.reload({ waitUntil: "load" });
    await openEditor(page);
    await expect(savedCode(page)).resolves.toBe(REFERENCE);
    await expect(page.locator(`${EXERCISE} .monaco-editor .view-lines`).innerText()).resolves.toContain("unacked");
  });

  test("an infinite loop is stopped by Stop and by the grader's deadline; the page stays usable", async () => {
    const { page } = lesson;
    await replaceCode(page, LOOPS);
    await page.locator(`${EXERCISE} [data-action="run"]`).click();
    await page.locator(`${EXERCISE}[data-grading]`).waitFor();
    await page.waitForTimeout(500);
    // The loop runs in the Worker: the page still answers.
    const ping = Date.now();
    await page.locator(`${EXERCISE} [data-reveal-hint]`).click();
    expect(Date.now() - ping).toBeLessThan(1000);
    // While it runs: which run of how many, and the seconds left of the run's wall budget (once the grader
    // has started: a fresh page's Workers may still be booting on a busy machine).
    await page.waitForFunction((s) => /^Run 1 of/.test(document.querySelector(`${s} [data-progress-text]`)?.textContent ?? ""), EXERCISE, { timeout: 10_000 });
    await expect(page.locator(`${EXERCISE} [data-progress-text]`).innerText()).resolves.toMatch(/^Run 1 of \d+: .*, seed \d+ · \d+ s left of its 10 s budget$/);
    await page.locator(`${EXERCISE} [data-action="stop"]`).click();
    expect(await waitForOutcome(page, 5_000)).toBe("stopped");
    // Stop is not a verdict: the results from before (the Submit restored after the reload) stay.
    await expect(page.locator(`${EXERCISE} [data-verdict]`).innerText()).resolves.toMatch(/You pressed Stop.*previous grade/);
    await expect(page.locator(`${EXERCISE} [data-overall="pass"]`).count()).resolves.toBe(1);
    await expect(page.locator(`${EXERCISE} .cl-seed`).count()).resolves.toBe(20);

    await page.locator(`${EXERCISE} [data-action="run"]`).click();
    expect(await waitForOutcome(page, 30_000)).toBe("timed-out");
    await expect(page.locator(`${EXERCISE} [data-verdict]`).innerText()).resolves.toMatch(/Stopped after 10 s without progress \(an infinite loop\?\)/);
    await expect(page.locator(`${EXERCISE} [data-verdict]`).innerText()).resolves.not.toMatch(/pressed Stop/);
    await page.locator(EXERCISE).screenshot({ path: join(SCREENSHOTS, "exercise-infinite-loop.png") });

    // Usable again: the reference solution runs and passes.
    await replaceCode(page, REFERENCE);
    await page.locator(`${EXERCISE} [data-action="run"]`).click();
    expect(await waitForOutcome(page)).toBe("pass");
    expect(lesson.errors).toEqual([]);
    expect(lesson.offsite).toEqual([]);
  });

  test("Reset asks first and brings the starter back; Download saves broadcast.ts", async () => {
    const { page } = lesson;
    const download = page.waitForEvent("download");
    await page.locator(`${EXERCISE} [data-action="download"]`).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("broadcast.ts");
    const downloaded = readFileSync(await file.path(), "utf8");
    expect(downloaded).toBe(REFERENCE);

    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.locator(`${EXERCISE} [data-action="reset"]`).click();
    await expect(page.locator(`${EXERCISE} .monaco-editor .view-lines`).innerText()).resolves.toContain("unacked");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator(`${EXERCISE} [data-action="reset"]`).click();
    await page.waitForFunction(() => document.querySelector("[data-exercise] .view-lines")?.textContent?.includes("TODO"));
    await page.waitForFunction(() => localStorage.getItem("clusterlab:code:broadcast")?.includes("TODO"));
  });

  test("screenshots of the lesson and the exercise at desktop and phone widths, and its results in the dark theme", async () => {
    for (const [name, width, height] of [["desktop", 1280, 900], ["phone", 390, 844]] as const) {
      const { page, context, errors } = await openPage(site, LESSON, { width, height });
      await page.screenshot({ path: join(SCREENSHOTS, `exercise-lesson-${name}.png`) });
      await openEditor(page);
      await page.locator(EXERCISE).screenshot({ path: join(SCREENSHOTS, `exercise-${name}.png`) });
      // Nothing sticks out sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name}: horizontal overflow`).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    }
    // A fresh visitor runs the starter: it fails on five nodes, with its diagram.
    const { page, context, errors } = await openPage(site, LESSON, { colorScheme: "dark" });
    await openEditor(page);
    await page.locator(`${EXERCISE} [data-action="run"]`).click();
    expect(await waitForOutcome(page)).toBe("fail");
    await page.locator(`${EXERCISE} [data-message-diagram] svg.cl-diagram__plot`).waitFor();
    await page.locator(EXERCISE).screenshot({ path: join(SCREENSHOTS, "exercise-results-dark.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("a lesson without an exercise ships no editor code, and its JavaScript weight is measured", async () => {
    const { page, context, errors, requests } = await openPage(site, LESSON_WITHOUT_EXERCISE);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState("networkidle");
    const scripts = [...new Set(requests.filter((p) => p.endsWith(".js")))];
    expect(scripts.filter((p) => EDITOR_CHUNK.test(p) || /Exercise\.astro/.test(p))).toEqual([]);
    const weight = await gzippedScriptBytes(site, requests);
    figures.lessonWithoutExerciseJsGzipBytes = weight.bytes;
    figures.lessonWithoutExerciseJsFiles = weight.files;
    expect(weight.bytes).toBeLessThanOrEqual(100_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
