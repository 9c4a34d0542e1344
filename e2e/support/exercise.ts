// Driving one exercise on a page, as a learner does: scroll to it, put code in the editor, press a
// button and wait for the verdict. Shared by the e2e files that work with exercises.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { root } from "./site.ts";

export const exerciseSelector = (slug: string) => `[data-exercise="${slug}"]`;
export const readRepoFile = (path: string) => readFileSync(join(root, path), "utf8");

/** Scrolls the exercise into view and waits until the editor takes keystrokes; returns ms from scroll to editable. */
export async function openEditor(page: Page, slug: string): Promise<number> {
  const started = Date.now();
  const exercise = exerciseSelector(slug);
  await page.locator(exercise).scrollIntoViewIfNeeded();
  await page.locator(`${exercise} .monaco-editor textarea`).waitFor({ state: "attached", timeout: 15_000 });
  await page.locator(`${exercise}[data-editor-ready]`).waitFor({ state: "attached" });
  return Date.now() - started;
}

/** Selects everything in the editor and pastes `code` over it (a paste event, as from the clipboard). */
export async function replaceCode(page: Page, slug: string, code: string): Promise<void> {
  const exercise = exerciseSelector(slug);
  await page.locator(`${exercise} .monaco-editor .view-lines`).click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.activeElement!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
  // The editor scrolls to the cursor, at the end of the pasted text: its last lines are the ones drawn.
  await page.waitForFunction(
    ({ selector, last }) => document.querySelector(`${selector} .view-lines`)?.textContent?.replace(/\u00a0/g, " ").includes(last),
    { selector: exercise, last: code.split("\n").filter((line) => line.trim().length > 8).at(-1)!.trim().slice(0, 40) },
  );
}

/** Waits for the grade to end and returns the verdict's kind: pass, fail, error, compile-error, stopped, timed-out, crashed. */
export async function waitForOutcome(page: Page, slug: string, timeout = 30_000): Promise<string> {
  const exercise = exerciseSelector(slug);
  await page.locator(`${exercise}:not([data-grading]) [data-verdict]`).waitFor({ timeout });
  return (await page.locator(`${exercise} [data-verdict]`).getAttribute("data-overall")) ?? "";
}
