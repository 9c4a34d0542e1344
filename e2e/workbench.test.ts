// End-to-end: the learner's workbench in Chromium (issue 13). At 1280×900 the editor sits beside the
// results with at least 90 columns; after Run the verdict is on screen, focused and announced; a pass
// gets a banner with figures per scenario and a link to the next exercise, and survives a reload;
// component exercises get their own figures and nothing of the node panel; Upload refuses what is not
// a solution; the keyboard reaches Run in a few steps and can leave the editor. Screenshots in
// test-results/ (workbench-*.png), figures in test-results/workbench-figures.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exerciseSelector, openEditor, readRepoFile, replaceCode, waitForOutcome } from "./support/exercise.ts";
import { openPage, SCREENSHOTS, skipBrowserTests, startSite, warnIfSkipped, type Site } from "./support/site.ts";

const BROADCAST_LESSON = "messaging/message-queues/";
const ECHO_LESSON = "foundations/what-is-a-distributed-system/";
const figures: Record<string, number | string> = {};

warnIfSkipped("e2e/workbench.test.ts");

/** The verdict's box, what has focus, and what the live region says. */
function verdictState(page: Page, slug: string) {
  return page.evaluate((selector) => {
    const verdict = document.querySelector<HTMLElement>(`${selector} [data-verdict]`)!;
    const box = verdict.getBoundingClientRect();
    const header = document.querySelector("header.header")!.getBoundingClientRect().bottom;
    return {
      top: Math.round(box.top),
      bottom: Math.round(box.bottom),
      header: Math.round(header),
      viewport: innerHeight,
      focused: document.activeElement === verdict,
      announced: document.querySelector(`${selector} [data-announce]`)?.textContent ?? "",
      live: document.querySelector(`${selector} [data-announce]`)?.getAttribute("aria-live"),
    };
  }, exerciseSelector(slug));
}

/** Text of the results panel as a learner reads it (hidden parts left out). */
const panelText = (page: Page, slug: string) => page.locator(`${exerciseSelector(slug)} [data-results]`).innerText();

describe.skipIf(skipBrowserTests)("the learner's workbench", () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });

  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "workbench-figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("workbench e2e figures:", figures);
    await site?.close();
  });

  test("at 1280×900 the editor sits beside the results with at least 90 columns, and nothing scrolls sideways", async () => {
    const { page, context, errors } = await openPage(site, BROADCAST_LESSON, { width: 1280, height: 900 });
    await openEditor(page, "broadcast");
    const ex = exerciseSelector("broadcast");
    const layout = await page.evaluate((selector) => {
      const box = (s: string) => document.querySelector(`${selector} ${s}`)!.getBoundingClientRect();
      const root = document.querySelector<HTMLElement>(selector)!;
      return { editor: box(".cl-editor").toJSON(), results: box("[data-results-column]").toJSON(), columns: Number(root.dataset.editorColumns), sideways: root.dataset.editorScrollsSideways, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    }, ex);
    expect(layout.columns).toBeGreaterThanOrEqual(90);
    expect(layout.results.left).toBeGreaterThanOrEqual(layout.editor.right); // side by side
    expect(layout.results.top).toBeLessThan(layout.editor.top + 40);
    expect(layout.sideways).toBe("false"); // the starter
    expect(layout.overflow).toBeLessThanOrEqual(0);
    figures.editorColumnsAt1280 = layout.columns;
    figures.editorWidthPxAt1280 = Math.round(layout.editor.width);
    const reference = readRepoFile("exercises/broadcast/.meta/solution.ts");
    await replaceCode(page, "broadcast", reference);
    await page.waitForTimeout(200);
    await expect(page.locator(ex).getAttribute("data-editor-scrolls-sideways")).resolves.toBe("false");
    // Lines longer than the editor wrap under themselves instead of scrolling.
    figures.referenceLinesWiderThanEditorAt1280 = reference.split("\n").filter((line) => line.length > layout.columns).length;
    await page.locator(`${ex} [data-workbench]`).screenshot({ path: join(SCREENSHOTS, "workbench-desktop-1280.png") });
    expect(errors).toEqual([]);
    await context.close();

    const wide = await openPage(site, BROADCAST_LESSON, { width: 1920, height: 1080 });
    await openEditor(wide.page, "broadcast");
    figures.editorColumnsAt1920 = Number(await wide.page.locator(ex).getAttribute("data-editor-columns"));
    expect(figures.editorColumnsAt1920).toBeGreaterThanOrEqual(110);
    await wide.page.screenshot({ path: join(SCREENSHOTS, "workbench-desktop-1920.png") });
    await wide.context.close();
  });

  test("after Run the verdict is on screen, focused and announced; the headline latency is per scenario", async () => {
    const { page, context, errors } = await openPage(site, BROADCAST_LESSON, { width: 1280, height: 900 });
    await openEditor(page, "broadcast");
    await replaceCode(page, "broadcast", readRepoFile("exercises/broadcast/.meta/solution.ts"));
    // From the keyboard shortcut inside the editor, as a learner runs most often.
    await page.keyboard.press("ControlOrMeta+Enter");
    expect(await waitForOutcome(page, "broadcast")).toBe("pass");
    const state = await verdictState(page, "broadcast");
    expect(state.top).toBeGreaterThanOrEqual(state.header);
    expect(state.top).toBeLessThan(state.viewport / 2);
    expect(state.focused).toBe(true);
    expect(state.live).toBe("polite");
    expect(state.announced).toMatch(/^Done: passed, 8 of 8 runs passed\.$/);
    figures.verdictTopAfterRunAt1280 = state.top;
    // One latency row per scenario: the 25-node scenario at 100 ms per hop apart from the 1–10 ms ones.
    const rows = await page.locator(`${exerciseSelector("broadcast")} [data-scenario-summary] [data-figures]`).allInnerTexts();
    expect(rows).toHaveLength(4);
    const p50 = rows.map((r) => Number(/p50 ([\d.]+) ms/.exec(r)?.[1]));
    expect(p50[0]).toBeLessThan(20);
    expect(p50[3]).toBeGreaterThan(60);
    await page.screenshot({ path: join(SCREENSHOTS, "workbench-after-run-1280.png") });
    expect(errors).toEqual([]);
    await context.close();

    const phone = await openPage(site, BROADCAST_LESSON, { width: 390, height: 844 });
    await openEditor(phone.page, "broadcast");
    await phone.page.locator(`${exerciseSelector("broadcast")} [data-action="run"]`).click();
    expect(await waitForOutcome(phone.page, "broadcast")).toBe("fail");
    const onPhone = await verdictState(phone.page, "broadcast");
    expect(onPhone.top).toBeGreaterThanOrEqual(onPhone.header);
    expect(onPhone.top).toBeLessThan(onPhone.viewport / 2);
    expect(onPhone.focused).toBe(true);
    figures.verdictTopAfterRunOnPhone = onPhone.top;
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "workbench-after-run-phone.png") });
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  test("while a Submit goes on, the status line says once a run has failed, and which was first", async () => {
    const { page, context, errors } = await openPage(site, ECHO_LESSON, { width: 1280, height: 900 });
    await openEditor(page, "echo");
    await replaceCode(page, "echo", readRepoFile("exercises/echo/.meta/wrong/wrong-value.ts"));
    // Every text the status line shows, however briefly: each progress report sets it once.
    await page.evaluate((selector) => {
      const line = document.querySelector(`${selector} [data-progress-text]`)!;
      const seen: string[] = ((window as unknown as { seenProgress: string[] }).seenProgress = []);
      new MutationObserver(() => seen.push(line.textContent ?? "")).observe(line, { childList: true, characterData: true, subtree: true });
    }, exerciseSelector("echo"));
    await page.locator(`${exerciseSelector("echo")} [data-action="submit"]`).click();
    expect(await waitForOutcome(page, "echo")).toBe("fail");
    const seen = await page.evaluate(() => (window as unknown as { seenProgress: string[] }).seenProgress);
    const failing = seen.filter((t) => t.includes("failed so far"));
    expect(failing.length, seen.join("\n")).toBeGreaterThan(0);
    expect(failing[0]).toMatch(/^Run \d+ of 20: .* · 1 run failed so far \(the first: echo failed in one-node > single, seed 1\)$/);
    expect(seen.filter((t) => t.startsWith("Run ")).some((t) => !t.includes("failed so far")), "before the first verdict, no failure is claimed").toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("a pass gets a banner with figures per scenario and the next exercise; after a reload the results and the code are back (dark theme)", async () => {
    const { page, context, errors } = await openPage(site, ECHO_LESSON, { width: 1280, height: 900, colorScheme: "dark" });
    await openEditor(page, "echo");
    const reference = readRepoFile("exercises/echo/.meta/solution.ts");
    await replaceCode(page, "echo", reference);
    await page.locator(`${exerciseSelector("echo")} [data-action="submit"]`).click();
    expect(await waitForOutcome(page, "echo", 60_000)).toBe("pass");
    const banner = page.locator(`${exerciseSelector("echo")} [data-verdict]`);
    await expect(banner.innerText()).resolves.toMatch(/Passed: all 2 tasks, every scenario and seed/);
    await expect(banner.locator("[data-scenario-summary]").count()).resolves.toBe(2);
    await expect(banner.locator("[data-figures]").first().innerText()).resolves.toMatch(/p50 [\d.]+ ms · p99 [\d.]+ ms/);
    // Echo is the first exercise of the course; unique-ids comes next.
    await expect(banner.locator("[data-next-exercise]").getAttribute("href")).resolves.toBe("/foundations/the-four-hard-parts/#exercise-unique-ids");
    await page.locator(`${exerciseSelector("echo")} [data-workbench]`).screenshot({ path: join(SCREENSHOTS, "workbench-pass-dark.png") });

    await page.reload({ waitUntil: "load" });
    await openEditor(page, "echo");
    await expect(page.locator(`${exerciseSelector("echo")} [data-verdict]`).getAttribute("data-overall")).resolves.toBe("pass");
    await expect(page.locator(`${exerciseSelector("echo")} [data-restored]`).innerText()).resolves.toMatch(/^Your last Submit, from .+\.$/);
    await expect(page.locator(`${exerciseSelector("echo")} .cl-seed`).count()).resolves.toBeGreaterThan(2);
    await expect(page.locator(`${exerciseSelector("echo")} .monaco-editor .view-lines`).innerText()).resolves.toContain("echo_ok");
    await page.locator(`${exerciseSelector("echo")} [data-workbench]`).screenshot({ path: join(SCREENSHOTS, "workbench-restored-dark.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [slug, lesson, group] of [
    ["lru-cache", "caching/where-caches-live/", "Hit ratio against exact LRU and the optimum"],
    ["load-balancer", "load-balancing/algorithms/", "Load across servers"],
  ] as const) {
    test(`${slug}, a component exercise, gets its own figures and none of the node panel`, async () => {
      const { page, context, errors } = await openPage(site, lesson, { width: 1280, height: 900 });
      await openEditor(page, slug);
      await page.locator(`${exerciseSelector(slug)} [data-action="run"]`).click(); // the starter: it fails
      expect(await waitForOutcome(page, slug, 60_000)).toBe("fail");
      const ex = exerciseSelector(slug);
      const text = await panelText(page, slug);
      expect(text).not.toMatch(/0 of 0 messages|Load per node|msgs\/op|ms simulated|virtual time/);
      await expect(page.locator(`${ex} [data-message-diagram]`).count()).resolves.toBe(0);
      await expect(page.locator(`${ex} [data-action="replay-run"]`).count()).resolves.toBe(0);
      await expect(page.locator(`${ex} [data-figure-group="${group}"]`).count()).resolves.toBe(1);
      await expect(page.locator(`${ex} [data-figure-group] dd`).count()).resolves.toBeGreaterThan(4);
      await expect(page.locator(`${ex} [data-scenario-summary] [data-figures]`).first().innerText()).resolves.not.toBe("—");
      await page.locator(`${ex} [data-workbench]`).screenshot({ path: join(SCREENSHOTS, `workbench-${slug}.png`) });
      await page.locator(`${ex} [data-component-figures]`).screenshot({ path: join(SCREENSHOTS, `workbench-${slug}-figures.png`) });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  test("Upload takes a text file and refuses a PNG and a file over 200 KB, saying why", async () => {
    const { page, context, errors } = await openPage(site, ECHO_LESSON, { width: 1280, height: 900 });
    await openEditor(page, "echo");
    const ex = exerciseSelector("echo");
    const before = await page.locator(`${ex} .monaco-editor .view-lines`).innerText();
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a20000000049454e44ae426082", "hex");
    await page.locator(`${ex} [data-upload]`).setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
    await page.locator(`${ex} [data-saved][data-upload-refused]`).waitFor();
    await expect(page.locator(`${ex} [data-saved]`).innerText()).resolves.toMatch(/Not loaded: photo\.png is not a text file/);
    await page.locator(`${ex} [data-toolbar], ${ex} .cl-toolbar`).first().screenshot({ path: join(SCREENSHOTS, "workbench-upload-refused.png") });
    await page.locator(`${ex} [data-upload]`).setInputFiles({ name: "huge.ts", mimeType: "text/plain", buffer: Buffer.alloc(300 * 1024, "a") });
    await page.waitForFunction((s) => /huge\.ts is 300 KB/.test(document.querySelector(`${s} [data-saved]`)?.textContent ?? ""), ex);
    await expect(page.locator(`${ex} .monaco-editor .view-lines`).innerText()).resolves.toBe(before);
    await page.locator(`${ex} [data-upload]`).setInputFiles({ name: "echo.ts", mimeType: "text/plain", buffer: Buffer.from(readRepoFile("exercises/echo/.meta/solution.ts")) });
    await page.waitForFunction((s) => document.querySelector(`${s} .view-lines`)?.textContent?.includes("echo_ok"), ex);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("the keyboard reaches Run in a few Tabs through the skip link, and leaves the editor with Escape then Tab or Ctrl+M", async () => {
    const { page, context, errors } = await openPage(site, BROADCAST_LESSON, { width: 1280, height: 900 });
    const ex = exerciseSelector("broadcast");
    let tabs = 0;
    const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent?.trim() ?? "", action: (document.activeElement as HTMLElement | null)?.dataset.action }));
    // Tab until the skip link to the exercise has focus, follow it, then Tab until Run.
    while ((await focused()).text !== "Skip to the exercise" && tabs < 10) {
      await page.keyboard.press("Tab");
      tabs++;
    }
    await page.screenshot({ path: join(SCREENSHOTS, "workbench-skip-link.png"), clip: { x: 0, y: 0, width: 640, height: 120 } });
    await page.keyboard.press("Enter");
    await page.locator(`${ex}[data-editor-ready]`).waitFor({ timeout: 15_000 });
    while ((await focused()).action !== "run" && tabs < 20) {
      await page.keyboard.press("Tab");
      tabs++;
    }
    expect((await focused()).action).toBe("run");
    figures.tabsToRun = tabs;
    expect(tabs).toBeLessThanOrEqual(5);
    // The page says how to leave the editor.
    await expect(page.locator(`${ex} [data-keyboard-hint]`).innerText()).resolves.toMatch(/Esc then Tab, or Ctrl\+M/);

    const inEditor = () => page.evaluate(() => document.activeElement?.closest(".monaco-editor") !== null);
    const code = () => page.evaluate(() => JSON.parse(localStorage.getItem("clusterlab:code:broadcast") ?? "null")?.code ?? null);
    await page.locator(`${ex} .monaco-editor .view-lines`).click();
    await page.keyboard.press("Tab"); // inside the editor Tab indents
    await expect(inEditor()).resolves.toBe(true);
    await page.waitForFunction(() => localStorage.getItem("clusterlab:code:broadcast") !== null); // the indent, autosaved
    const saved = await code();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    await expect(inEditor()).resolves.toBe(false);
    await page.locator(`${ex} .monaco-editor .view-lines`).click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    await expect(inEditor()).resolves.toBe(false);
    await page.waitForTimeout(600); // past the autosave's debounce: nothing was typed
    expect(await code()).toBe(saved);
    // Monaco's own tab-focus mode: Ctrl+M, then Tab moves focus; Ctrl+M again turns it off.
    await page.locator(`${ex} .monaco-editor .view-lines`).click();
    await page.keyboard.press("Control+M");
    await page.keyboard.press("Tab");
    await expect(inEditor()).resolves.toBe(false);
    await page.locator(`${ex} .monaco-editor .view-lines`).click();
    await page.keyboard.press("Control+M");
    expect(errors).toEqual([]);
    await context.close();
  });
});
