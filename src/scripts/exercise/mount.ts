// Turns an exercise's server-rendered placeholder into the workbench: toolbar, then the editor beside
// the results on wide screens (below it on narrow ones), and wires Run / Submit / Stop, reset,
// download / upload, autosave, progress, and the last results kept across reloads.
import { RUN_WALL_BUDGET_MS } from "../../grader/client.ts";
import type { GradeMode, GradeOutcome, GradeRequest } from "../../grader/types.ts";
import { createAutosave, loadCode } from "./autosave.ts";
import { bleedToViewport, isWide } from "./bleed.ts";
import { h } from "./dom.ts";
import { createSolutionEditor } from "./editor.ts";
import { downloadSolution, readChosenFile } from "./file-io.ts";
import { gradeInBrowser, warmGrader } from "./grader-session.ts";
import { createGradingStatus } from "./grading-status.ts";
import { keyboardHint } from "./keyboard-hint.ts";
import { recordSubmission } from "./progress-store.ts";
import { showOutcome, summarizeOutcome, type PanelContext } from "./results-panel.ts";
import { loadOutcome, saveOutcome } from "./results-store.ts";
import "../../styles/exercise-workbench.css";

function button(label: string, action: string, title: string): HTMLButtonElement {
  return h("button", { type: "button", class: "cl-button", "data-action": action, title }, label);
}

/** Fully on screen below Starlight's fixed header? */
function inView(el: HTMLElement): boolean {
  const box = el.getBoundingClientRect();
  const header = document.querySelector("header.header")?.getBoundingClientRect().bottom ?? 0;
  return box.top >= header && box.bottom <= innerHeight;
}

export function mountExercise(root: HTMLElement): void {
  const slug = root.dataset.exercise!;
  const workbench = root.querySelector<HTMLElement>("[data-workbench]")!;
  const starter = JSON.parse(root.querySelector("[data-starter]")?.textContent ?? '""') as string;
  const taskTitles = new Map(
    Array.from(root.querySelectorAll<HTMLElement>("[data-task]")).map((li) => [li.dataset.task!, li.querySelector("strong")?.textContent?.replace(/\.$/, "") ?? li.dataset.task!]),
  );

  const run = button("Run", "run", "A few quick seeds (Ctrl/Cmd+Enter)");
  run.classList.add("cl-button--primary");
  const submit = button("Submit", "submit", "Every task, scenario and seed, as the CLI grades");
  const stop = button("Stop", "stop", "Stop grading");
  stop.disabled = true;
  const reset = button("Reset", "reset", "Replace your code with the starter");
  const download = button("Download", "download", "Save your solution as a .ts file");
  const upload = h("input", { type: "file", accept: ".ts,.mts,.js,.mjs,.txt,text/plain", class: "cl-visually-hidden", "data-upload": true });
  const uploadLabel = h("label", { class: "cl-button", title: "Load a solution file (text, at most 200 KB) into the editor" }, "Upload", upload);
  const saved = h("span", { class: "cl-saved", "aria-live": "polite", "data-saved": true });
  const editorBox = h("div", { class: "cl-editor", "data-editor": true });
  const progress = h("progress", { class: "cl-progress", max: 1, value: 0, hidden: true, "data-progress": true });
  // Not a live region: it changes four times a second while grading. The announcer says the outcome.
  const progressText = h("span", { class: "cl-progress-text", "data-progress-text": true });
  const announcer = h("p", { class: "cl-visually-hidden", role: "status", "aria-live": "polite", "data-announce": true });
  const panel = h("div", { class: "cl-results", "data-results": true });

  workbench.replaceChildren(
    h("div", { class: "cl-toolbar", role: "toolbar", "aria-label": "Exercise actions" }, run, submit, stop, reset, download, uploadLabel, saved),
    h(
      "div",
      { class: "cl-bench" },
      h("div", { class: "cl-bench__editor" }, editorBox, keyboardHint()),
      h("div", { class: "cl-bench__results", "data-results-column": true }, h("div", { class: "cl-progress-row" }, progress, progressText), announcer, panel),
    ),
  );
  bleedToViewport(workbench);

  const editor = createSolutionEditor(editorBox, slug, loadCode(slug) ?? starter);
  const autosave = createAutosave(slug, editor.getValue, (ok) => {
    saved.textContent = ok ? "Saved in this browser" : "Could not save in this browser (storage is full or disabled)";
  });
  editor.onChange(() => {
    saved.textContent = "Editing…";
    autosave.schedule();
  });
  // Measured by the e2e tests: columns that fit, and whether anything would scroll sideways.
  const recordLayout = () => {
    root.dataset.editorColumns = String(editor.columns());
    root.dataset.editorScrollsSideways = String(editor.scrollsSideways());
  };
  editor.onLayout(recordLayout);
  recordLayout();

  const ctx: PanelContext = {
    slug,
    // Exercise.astro always sets it; the panel of a harness it does not know draws the run's figures.
    harness: root.dataset.harness ?? "",
    taskTitles,
    ...(root.dataset.nextHref ? { next: { href: root.dataset.nextHref, title: root.dataset.nextTitle ?? "the next exercise" } } : {}),
    goTo: editor.goTo,
    replay: (test) => grade("run", { seeds: [test.seed], scenario: test.scenarioIndex }),
  };
  const status = createGradingStatus(progress, progressText, RUN_WALL_BUDGET_MS);
  // Set while a Run or Submit is in progress (compiling included): Stop aborts it.
  let grading: AbortController | undefined;

  const setBusy = (busy: boolean) => {
    run.disabled = busy;
    submit.disabled = busy;
    stop.disabled = !busy;
    progress.hidden = !busy;
    root.toggleAttribute("data-grading", busy);
  };

  /** Brings the grade's status and results on screen: the whole workbench when side by side. */
  const reveal = (verdict?: HTMLElement) => {
    if (isWide()) {
      if (!inView(workbench)) workbench.scrollIntoView({ block: "start" });
    } else if (verdict) verdict.scrollIntoView({ block: "start" });
    else if (!inView(progress.parentElement!)) progress.parentElement!.scrollIntoView({ block: "nearest" });
  };

  /**
   * Run or Submit; `only` narrows it to one seed of one scenario (a replay from the results), whose
   * outcome goes back to the panel that asked, to add the run's messages, instead of replacing it.
   */
  async function grade(mode: GradeMode, only?: Pick<GradeRequest, "seeds" | "scenario">): Promise<GradeOutcome | undefined> {
    if (grading) return undefined;
    const controller = (grading = new AbortController());
    autosave.flush();
    setBusy(true);
    status.phase("Compiling…");
    announcer.textContent = mode === "run" ? "Running…" : "Submitting…";
    if (!only) reveal();
    const source = editor.getValue();
    let outcome: GradeOutcome;
    try {
      const compiled = await editor.compile();
      if (controller.signal.aborted) outcome = { kind: "stopped" };
      else if (!compiled.ok) outcome = { kind: "compile-error", errors: compiled.errors };
      else {
        status.phase(mode === "run" ? "Starting a quick Run…" : "Starting to grade every task and seed…");
        const request: GradeRequest = { slug, source, emittedJs: compiled.js, ...(compiled.map ? { sourceMap: compiled.map } : {}), mode, ...only };
        outcome = await gradeInBrowser(request, status.progress, controller.signal);
      }
    } catch (error) {
      outcome = { kind: "crashed", message: `Grading failed: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      grading = undefined;
      status.done();
      setBusy(false);
    }
    const summary = summarizeOutcome(outcome);
    progressText.textContent = summary;
    if (only && (outcome.kind === "results" || outcome.kind === "stopped")) {
      // A closer look at one run, not a new verdict: the results stay, the run's diagram joins them.
      announcer.textContent = outcome.kind === "results" ? `Seed ${only.seeds?.[0]} ran again: its messages are under its result.` : summary;
      return outcome;
    }
    const verdict = showOutcome(panel, ctx, outcome, { mode });
    // A replay of one seed is a closer look, not a new verdict on the code: the stored one stays.
    if (!only) saveOutcome(slug, mode, outcome, source);
    if (mode === "submit") {
      // Stopping is not a verdict on the code; everything else is.
      if (outcome.kind === "results") recordSubmission(slug, outcome.results.status === "pass" ? "pass" : outcome.results.status === "fail" ? "fail" : "error");
      else if (outcome.kind !== "stopped") recordSubmission(slug, "error");
    }
    announcer.textContent = summary;
    panel.parentElement!.scrollTop = 0;
    reveal(verdict);
    verdict.focus({ preventScroll: true });
    return outcome;
  }

  run.addEventListener("click", () => void grade("run"));
  submit.addEventListener("click", () => void grade("submit"));
  stop.addEventListener("click", () => grading?.abort());
  editor.onRunShortcut(() => void grade("run"));
  reset.addEventListener("click", () => {
    if (!confirm("Replace your code with the starter? Download it first if you want to keep it.")) return;
    editor.replaceAll(starter); // undoable, and autosaved like any edit
  });
  download.addEventListener("click", () => downloadSolution(slug, editor.getValue()));
  upload.addEventListener("change", async () => {
    const file = await readChosenFile(upload);
    if (!file) return;
    if (!file.ok) {
      saved.textContent = `Not loaded: ${file.reason}`;
      saved.dataset.uploadRefused = "";
      return;
    }
    delete saved.dataset.uploadRefused;
    editor.replaceAll(file.text);
  });

  // What the learner saw last time, as it was (the failing run's messages are one click away).
  const last = loadOutcome(slug);
  if (last) showOutcome(panel, ctx, last.outcome, { mode: last.mode, restored: { savedAt: last.savedAt, codeChanged: last.code !== editor.getValue() } });

  root.dataset.editorReady = String(performance.now());
  warmGrader();
}
