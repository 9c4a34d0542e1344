// The results of one Run or Submit: the verdict (a banner with the figures per task when everything
// passed), a summary per scenario, then each task → scenario → seed. Choosing a seed shows what it saw:
// the check's message, the knobs, the replay command and its figures; for a node exercise's failing run,
// the harness's own (panels/: the node panel's message diagram, the design drawn from the run, a drill's
// figures beside the model's, any other run's figures and series), picked by the exercise's harness.
import type { Results, TestResult } from "../../../graders/index.ts";
import type { FailingRun, GradeMode, GradeOutcome } from "../../grader/types.ts";
import { sitePath } from "../../components/site-path.ts";
import { h } from "./dom.ts";
import type { CompileError } from "./editor.ts";
import { solutionFileName } from "./file-io.ts";
import { linkLocations } from "./locations.ts";
import { panelOf, runKey, type PanelContext } from "./panels/index.ts";

export type { PanelContext } from "./panels/index.ts";

export interface ShowOptions {
  mode?: GradeMode;
  /** Set when the outcome comes from storage after a reload rather than from a grade just now. */
  restored?: { savedAt: string; codeChanged: boolean };
}

// Statuses as the results contract has them; "skipped" (a run not started after a budget stopped the
// grade) and anything newer read as themselves.
type AnyStatus = TestResult["status"] | "skipped";
const STATUS_WORD: Record<string, string> = { pass: "passed", fail: "failed", error: "error", skipped: "skipped" };
const word = (status: string) => STATUS_WORD[status] ?? status;

const passedRuns = (results: Results) => results.tests.filter((t) => t.status === "pass").length;

/** One line for screen readers (and the status row) once a grade is over. */
export function summarizeOutcome(outcome: GradeOutcome): string {
  switch (outcome.kind) {
    case "results":
      return `Done: ${word(outcome.results.status)}, ${passedRuns(outcome.results)} of ${outcome.results.tests.length} runs passed.`;
    case "compile-error":
      return `Not run: the solution does not compile (${outcome.errors.length} ${outcome.errors.length === 1 ? "error" : "errors"}).`;
    case "stopped":
      return "You pressed Stop: nothing new was graded.";
    case "timed-out":
      return `Stopped after ${Math.round(outcome.budgetMs / 1000)} s without progress (an infinite loop?).`;
    case "crashed":
      return "The grader was stopped.";
  }
}

function statusBadge(status: AnyStatus | string): HTMLElement {
  return h("span", { class: `cl-status cl-status--${status}` }, word(status));
}

function worst(tests: TestResult[]): AnyStatus {
  const has = (s: string) => tests.some((t) => (t.status as string) === s);
  return has("error") ? "error" : has("fail") ? "fail" : has("skipped") ? "skipped" : "pass";
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function copyButton(text: string): HTMLButtonElement {
  const button = h("button", { type: "button", class: "cl-button cl-button--small", "data-copy": true }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return button;
}

/** Task, scenario, seeds passed and the headline figures, one row per scenario. */
function scenarioTable(ctx: PanelContext, results: Results): HTMLElement {
  const body = h("tbody");
  for (const [taskId, taskTests] of groupBy(results.tests, (t) => t.taskId)) {
    for (const runs of groupBy(taskTests, (t) => String(t.scenarioIndex)).values()) {
      const passed = runs.filter((t) => t.status === "pass").length;
      body.append(
        h(
          "tr",
          { "data-scenario-summary": runs[0]!.scenarioIndex, "data-status": worst(runs) },
          h("th", { scope: "row" }, ctx.taskTitles.get(taskId) ?? taskId, h("span", { class: "cl-summary__scenario" }, runs[0]!.scenario)),
          h("td", {}, statusBadge(worst(runs)), ` ${passed} of ${runs.length}`),
          h("td", { class: "cl-summary__figures", "data-figures": true }, panelOf(ctx.harness).scenarioFigures(runs).join(" · ") || "—"),
        ),
      );
    }
  }
  const { caption, figuresHeading } = panelOf(ctx.harness).summary;
  return h(
    "div",
    { class: "cl-summary-wrap" },
    h(
      "table",
      { class: "cl-summary", "data-summary": true },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Task, scenario"), h("th", { scope: "col" }, "Seeds"), h("th", { scope: "col" }, figuresHeading))),
      body,
    ),
  );
}

function runLine(ctx: PanelContext, results: Results): HTMLElement {
  const m = results.metrics;
  const text = panelOf(ctx.harness).simulatesTime
    ? `${m.runs} runs, ${m.simulatedMs.toLocaleString("en")} ms of virtual time simulated in ${m.wallMs.toLocaleString("en")} ms.`
    : `${m.runs} runs graded in ${m.wallMs.toLocaleString("en")} ms.`;
  return h("p", { class: "cl-overall__figures" }, text);
}

function restoredNote(options: ShowOptions): HTMLElement | null {
  if (!options.restored) return null;
  const when = new Date(options.restored.savedAt).toLocaleString();
  const mode = options.mode === "submit" ? "Submit" : "Run";
  return h("p", { class: "cl-overall__restored", "data-restored": true }, `Your last ${mode}, from ${when}${options.restored.codeChanged ? " (your code has changed since)" : ""}.`);
}

function verdictBox(kind: string, tone: string, ...children: Array<Node | null>): HTMLElement {
  // Focused after each grade (tabindex -1: reachable by script, not a Tab stop of its own).
  return h("div", { class: `cl-overall cl-overall--${tone}`, "data-overall": kind, "data-verdict": true, tabindex: -1 }, ...children);
}

function passBanner(ctx: PanelContext, results: Results, options: ShowOptions): HTMLElement {
  const tasks = new Set(results.tests.map((t) => t.taskId)).size;
  const submitted = options.mode !== "run";
  const title = submitted
    ? `Passed: all ${tasks} ${tasks === 1 ? "task" : "tasks"}, every scenario and seed (${results.tests.length} runs).`
    : `Passed the quick Run: all ${tasks} ${tasks === 1 ? "task" : "tasks"} on ${results.tests.length} runs. Submit grades every seed, as the CLI does.`;
  const next = ctx.next
    ? h("p", { class: "cl-pass__next" }, "Next exercise: ", h("a", { href: ctx.next.href, "data-next-exercise": true }, ctx.next.title), " →")
    : h("p", { class: "cl-pass__next" }, "That was the last exercise of the course. ", h("a", { href: sitePath("/exercises/"), "data-next-exercise": true }, "See all exercises"), ".");
  return verdictBox(
    "pass",
    "pass",
    h("p", { class: "cl-pass__title" }, h("span", { class: "cl-pass__mark", "aria-hidden": "true" }, "✓"), " ", title),
    restoredNote(options),
    scenarioTable(ctx, results),
    runLine(ctx, results),
    next,
  );
}

/** A message with every place in the learner's file ("echo.ts:7:12") as a button to that place. */
function located(ctx: PanelContext, text: string): Node[] {
  return linkLocations(text, solutionFileName(ctx.slug), ctx.goTo);
}

function failures(ctx: PanelContext, test: TestResult): HTMLElement | null {
  // Results list every check a run failed (`failures`); the first is already the run's message.
  const list = (test as TestResult & { failures?: Array<{ check: string; message: string }> }).failures ?? [];
  // The test's message is the first failure's, with its check's name in front (or as it is, for an error).
  const more = list.filter((f) => f.check !== test.check || (f.message !== test.message && `${f.check}: ${f.message}` !== test.message));
  if (more.length === 0) return null;
  return h("ul", { class: "cl-test__failures", "aria-label": "Other checks this run failed" }, ...more.map((f) => h("li", {}, h("code", {}, f.check), " ", ...located(ctx, f.message))));
}

/** A failing run's messages and logs, for a test: the grade's own first failure, or one run again since. */
type RunsOf = (test: TestResult) => FailingRun | undefined;

function testDetail(ctx: PanelContext, test: TestResult, scenarioRuns: TestResult[], runOf: RunsOf, onReplayed: (run: FailingRun) => void): HTMLElement {
  // The grader names the solution as Download names the file, so the command works on the download.
  const command = test.replay;
  const failing = runOf(test);
  const logOptions = { file: solutionFileName(ctx.slug), goTo: ctx.goTo };
  const detail = h(
    "div",
    { class: "cl-test", "data-test-detail": true, "data-status": test.status },
    h("p", { class: "cl-test__head" }, statusBadge(test.status), ` ${test.name}, seed ${test.seed}`, test.check ? " — check " : null, test.check ? h("code", {}, test.check) : null),
    h("p", { class: "cl-test__message", "data-message": true }, ...located(ctx, test.message)),
    failures(ctx, test),
    h("ul", { class: "cl-test__knobs", "aria-label": "What the seed expanded into" }, ...test.knobs.map((k) => h("li", {}, k))),
    h("div", { class: "cl-replay" }, h("code", { "data-replay": true }, command), copyButton(command)),
  );
  detail.append(...panelOf(ctx.harness).seedDetail({ ctx, test, scenarioRuns, failing, logOptions, onReplayed }));
  return detail;
}

function renderResults(ctx: PanelContext, results: Results, failing: FailingRun | undefined, options: ShowOptions): HTMLElement[] {
  const overview =
    results.status === "pass"
      ? passBanner(ctx, results, options)
      : verdictBox(
          results.status,
          results.status,
          h("p", {}, statusBadge(results.status), ` ${passedRuns(results)} of ${results.tests.length} runs passed`),
          restoredNote(options),
          results.message ? h("p", { class: "cl-overall__message" }, ...located(ctx, results.message)) : null,
          runLine(ctx, results),
        );

  // Runs whose messages the panel has: the grade's first failure, and any run again from its seed since.
  const knownRuns = new Map<string, FailingRun>();
  if (failing) knownRuns.set(runKey(failing.test), failing);
  const runOf: RunsOf = (test) => knownRuns.get(runKey(test));

  const detailSlot = h("div", { class: "cl-detail-slot" });
  const seedButtons: HTMLButtonElement[] = [];
  const select = (test: TestResult, button: HTMLButtonElement, scenarioRuns: TestResult[]) => {
    for (const b of seedButtons) b.setAttribute("aria-pressed", String(b === button));
    detailSlot.replaceChildren(
      testDetail(ctx, test, scenarioRuns, runOf, (run) => {
        knownRuns.set(runKey(test), run);
        // Still the seed on show? Then show it again, now with its diagram, and take focus there.
        if (button.getAttribute("aria-pressed") !== "true") return;
        select(test, button, scenarioRuns);
        detailSlot.querySelector<HTMLElement>("[data-message-diagram]")?.focus({ preventScroll: false });
      }),
    );
  };

  const tasks = h("ol", { class: "cl-tasks" });
  let initial: (() => void) | undefined;
  for (const [taskId, taskTests] of groupBy(results.tests, (t) => t.taskId)) {
    const scenarios = h("ul", { class: "cl-scenarios" });
    for (const [scenario, runs] of groupBy(taskTests, (t) => `${t.scenarioIndex}`)) {
      const seeds = h("div", { class: "cl-seeds", role: "group", "aria-label": `Seeds of ${runs[0]!.scenario}` });
      for (const test of runs) {
        const button = h("button", { type: "button", class: `cl-seed cl-seed--${test.status}`, "data-seed": test.seed, "data-status": test.status, "aria-pressed": "false", "aria-label": `seed ${test.seed}: ${word(test.status)}` }, String(test.seed));
        button.addEventListener("click", () => select(test, button, runs));
        seedButtons.push(button);
        // Open on the run the diagram belongs to, else the first failure, else the first run.
        const isFailing = failing && runKey(failing.test) === runKey(test);
        if (isFailing || (!initial && test.status !== "pass")) initial = () => select(test, button, runs);
        seeds.append(button);
      }
      scenarios.append(h("li", { "data-scenario": scenario }, statusBadge(worst(runs)), ` ${runs[0]!.scenario} `, seeds));
    }
    tasks.append(
      h("li", { class: "cl-task", "data-task-result": taskId, "data-status": worst(taskTests) }, h("strong", {}, ctx.taskTitles.get(taskId) ?? taskId), " ", statusBadge(worst(taskTests)), scenarios),
    );
  }
  (initial ?? (() => seedButtons[0]?.click()))();
  // A pass shows the per-scenario table in its banner; otherwise it comes right after the verdict.
  return results.status === "pass" ? [overview, tasks, detailSlot] : [overview, scenarioTable(ctx, results), tasks, detailSlot];
}

function renderCompileErrors(ctx: PanelContext, errors: CompileError[], options: ShowOptions): HTMLElement[] {
  const list = h("ol", { class: "cl-compile-errors", "data-compile-errors": true });
  for (const e of errors) {
    const jump = h("button", { type: "button", class: "cl-linkish", "data-goto": `${e.line}:${e.column}` }, `${solutionFileName(ctx.slug)}:${e.line}:${e.column}`);
    jump.addEventListener("click", () => ctx.goTo(e.line, e.column));
    list.append(h("li", {}, jump, ` ${e.text}`));
  }
  return [
    verdictBox(
      "compile-error",
      "error",
      h("p", {}, statusBadge("error"), ` The solution does not compile (${errors.length} ${errors.length === 1 ? "error" : "errors"}). Nothing was run.`),
      restoredNote(options),
    ),
    list,
  ];
}

/** Shows an outcome in the panel and returns its verdict, the element to focus. */
export function showOutcome(panel: HTMLElement, ctx: PanelContext, outcome: GradeOutcome, options: ShowOptions = {}): HTMLElement {
  switch (outcome.kind) {
    case "results":
      panel.replaceChildren(...renderResults(ctx, outcome.results, outcome.failing, options));
      break;
    case "compile-error":
      panel.replaceChildren(...renderCompileErrors(ctx, outcome.errors, options));
      break;
    case "stopped": {
      // Stopping is not a verdict on the code: whatever the panel showed stays, under a note.
      panel.querySelector("[data-stop-notice]")?.remove();
      const previous = panel.querySelector("[data-verdict]");
      previous?.removeAttribute("data-verdict");
      const notice = verdictBox(
        "stopped",
        "neutral",
        h("p", {}, previous ? "You pressed Stop. Nothing new was graded: the results below are from your previous grade." : "You pressed Stop. Nothing was graded; your code is unchanged."),
      );
      notice.dataset.stopNotice = "";
      panel.prepend(notice);
      return notice;
    }
    case "timed-out": {
      const seconds = Math.round(outcome.budgetMs / 1000);
      const where = outcome.name ? ` The run "${outcome.name}" with seed ${outcome.seed} sent no progress for ${seconds} s of real time, so the page stopped the grader.` : "";
      panel.replaceChildren(
        verdictBox(
          "timed-out",
          "error",
          h("p", {}, statusBadge("error"), ` Stopped after ${seconds} s without progress (an infinite loop?).${where}`),
          restoredNote(options),
          h("p", { class: "cl-overall__message" }, "Look for a loop that never ends or a handler that never returns: it blocks every node. The page is fine: edit and run again."),
        ),
      );
      break;
    }
    case "crashed":
      panel.replaceChildren(
        verdictBox(
          "crashed",
          "error",
          h("p", {}, statusBadge("error"), " ", outcome.message),
          h("p", { class: "cl-overall__message" }, "Look for memory that keeps growing or a loop that never ends. The page is fine: edit and run again."),
        ),
      );
      break;
  }
  return panel.querySelector<HTMLElement>("[data-verdict]")!;
}
