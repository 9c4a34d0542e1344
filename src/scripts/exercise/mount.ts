// Turns an exercise's server-rendered placeholder into the workbench: toolbar, editor, progress bar and
// results panel, and wires Run / Submit / Stop, reset, download / upload, autosave and progress.
import type { GradeMode, GradeOutcome, GradeRequest } from "../../grader/types.ts";
import { createAutosave, loadCode } from "./autosave.ts";
import { h } from "./dom.ts";
import { createSolutionEditor } from "./editor.ts";
import { downloadSolution, readChosenFile } from "./file-io.ts";
import { gradeInBrowser, warmGrader } from "./grader-session.ts";
import { recordSubmission } from "./progress-store.ts";
import { showOutcome, summarizeOutcome } from "./results-panel.ts";
import "../../styles/exercise-workbench.css";

function button(label: string, action: string, title: string): HTMLButtonElement {
  return h("button", { type: "button", class: "cl-button", "data-action": action, title }, label);
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
  const upload = h("input", { type: "file", accept: ".ts,.js,text/plain", class: "cl-visually-hidden", "data-upload": true });
  const uploadLabel = h("label", { class: "cl-button", title: "Load a solution file into the editor" }, "Upload", upload);
  const saved = h("span", { class: "cl-saved", "aria-live": "polite", "data-saved": true });
  const editorBox = h("div", { class: "cl-editor", "data-editor": true });
  const progress = h("progress", { class: "cl-progress", max: 1, value: 0, hidden: true, "data-progress": true });
  const progressText = h("span", { class: "cl-progress-text", "aria-live": "polite" });
  // Not a live region: the one-line summary in progressText is what gets announced, not the whole panel.
  const panel = h("div", { class: "cl-results", "data-results": true });

  workbench.replaceChildren(
    h("div", { class: "cl-toolbar", role: "toolbar", "aria-label": "Exercise actions" }, run, submit, stop, reset, download, uploadLabel, saved),
    editorBox,
    h("div", { class: "cl-progress-row" }, progress, progressText),
    panel,
  );

  const editor = createSolutionEditor(editorBox, slug, loadCode(slug) ?? starter);
  const autosave = createAutosave(slug, editor.getValue, (ok) => {
    saved.textContent = ok ? "Saved in this browser" : "Could not save in this browser (storage is full or disabled)";
  });
  editor.onChange(() => {
    saved.textContent = "Editing…";
    autosave.schedule();
  });

  const ctx = {
    slug,
    taskTitles,
    goTo: editor.goTo,
    replay: (test: { seed: number; scenarioIndex: number }) => void grade("run", { seeds: [test.seed], scenario: test.scenarioIndex }),
  };
  // Set while a Run or Submit is in progress (compiling included): Stop aborts it.
  let grading: AbortController | undefined;

  const setBusy = (busy: boolean) => {
    run.disabled = busy;
    submit.disabled = busy;
    stop.disabled = !busy;
    progress.hidden = !busy;
    root.toggleAttribute("data-grading", busy);
  };

  /** Run or Submit; `only` narrows it to one seed of one scenario (a replay from the results). */
  async function grade(mode: GradeMode, only?: Pick<GradeRequest, "seeds" | "scenario">): Promise<void> {
    if (grading) return;
    const controller = (grading = new AbortController());
    autosave.flush();
    setBusy(true);
    progress.removeAttribute("value"); // indeterminate while compiling
    progressText.textContent = "Compiling…";
    let outcome: GradeOutcome;
    try {
      const compiled = await editor.compile();
      if (controller.signal.aborted) outcome = { kind: "stopped" };
      else if (!compiled.ok) outcome = { kind: "compile-error", errors: compiled.errors };
      else {
        progressText.textContent = mode === "run" ? "Running a few seeds…" : "Grading every task and seed…";
        const request: GradeRequest = { slug, source: editor.getValue(), emittedJs: compiled.js, mode, ...only };
        outcome = await gradeInBrowser(request, (p) => {
          progress.max = p.total;
          progress.value = p.done;
          progressText.textContent = `${p.done} of ${p.total}: ${p.name}, seed ${p.seed}`;
        }, controller.signal);
      }
    } catch (error) {
      outcome = { kind: "crashed", message: `Grading failed: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      grading = undefined;
      setBusy(false);
    }
    progressText.textContent = summarizeOutcome(outcome);
    showOutcome(panel, ctx, outcome);
    if (mode === "submit") {
      // Stopping is not a verdict on the code; everything else is.
      if (outcome.kind === "results") recordSubmission(slug, outcome.results.status);
      else if (outcome.kind !== "stopped") recordSubmission(slug, "error");
    }
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
    const text = await readChosenFile(upload);
    if (text !== undefined) editor.replaceAll(text);
  });

  root.dataset.editorReady = String(performance.now());
  warmGrader();
}
