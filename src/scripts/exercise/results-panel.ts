// The results of one Run or Submit: the overall verdict, then each task → scenario → seed. Choosing a
// seed shows what it saw: the check's message, the knobs, the replay command, its figures, and for the
// run that failed first, the message diagram.
import type { Results, Status, TestResult } from "../../../graders/index.ts";
import type { FailingRun, GradeOutcome } from "../../grader/types.ts";
import { barChartSvg } from "./charts.ts";
import { h } from "./dom.ts";
import type { CompileError } from "./editor.ts";
import { latencyChart, loadChart, msgsPerOpChart } from "./figures.ts";
import { solutionFileName } from "./file-io.ts";
import { renderMessageDiagram, renderRunLog } from "./message-diagram.ts";

export interface PanelContext {
  slug: string;
  /** Task id → title, from the exercise. */
  taskTitles: Map<string, string>;
  goTo(line: number, column: number): void;
  /** Grades this one run again (same seed and scenario), which brings its message diagram. */
  replay(test: TestResult): void;
}

const STATUS_WORD: Record<Status, string> = { pass: "passed", fail: "failed", error: "error" };

const passedRuns = (results: Results) => results.tests.filter((t) => t.status === "pass").length;

/** One line for the progress row (and screen readers) once a grade is over. */
export function summarizeOutcome(outcome: GradeOutcome): string {
  switch (outcome.kind) {
    case "results":
      return `Done: ${STATUS_WORD[outcome.results.status]}, ${passedRuns(outcome.results)} of ${outcome.results.tests.length} runs passed.`;
    case "compile-error":
      return "Not run: the solution does not compile.";
    case "stopped":
      return "Stopped.";
    case "crashed":
      return "The grader was stopped.";
  }
}

function statusBadge(status: Status): HTMLElement {
  return h("span", { class: `cl-status cl-status--${status}` }, STATUS_WORD[status]);
}

function worst(tests: TestResult[]): Status {
  return tests.some((t) => t.status === "error") ? "error" : tests.some((t) => t.status === "fail") ? "fail" : "pass";
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

function testDetail(ctx: PanelContext, test: TestResult, scenarioRuns: TestResult[], failing?: FailingRun): HTMLElement {
  // The grader names the solution as Download names the file, so the command works on the download.
  const command = test.replay;
  const charts = [latencyChart(test), msgsPerOpChart(scenarioRuns)];
  const isFailingRun = failing && failing.test.scenarioIndex === test.scenarioIndex && failing.test.seed === test.seed;
  if (isFailingRun) charts.push(loadChart(failing.trace, failing.nodeIds, failing.truncated));
  const figures = h("div", { class: "cl-figures" });
  figures.innerHTML = charts.filter((c) => c !== undefined).map(barChartSvg).join("");
  const detail = h(
    "div",
    { class: "cl-test", "data-test-detail": true, "data-status": test.status },
    h("p", { class: "cl-test__head" }, statusBadge(test.status), ` ${test.name}, seed ${test.seed}`, test.check ? " — check " : null, test.check ? h("code", {}, test.check) : null),
    h("p", { class: "cl-test__message", "data-message": true }, test.message),
    h("ul", { class: "cl-test__knobs", "aria-label": "What the seed expanded into" }, ...test.knobs.map((k) => h("li", {}, k))),
    h("div", { class: "cl-replay" }, h("code", { "data-replay": true }, command), copyButton(command)),
    figures,
  );
  if (isFailingRun) {
    detail.append(renderMessageDiagram(failing));
    const log = renderRunLog(failing);
    if (log) detail.append(log);
  } else if (test.status === "fail") {
    // The grader records the messages of the first failing run only; any other one is a quick re-run away.
    const again = h("button", { type: "button", class: "cl-button cl-button--small", "data-action": "replay-run" }, `Run seed ${test.seed} of ${test.scenario} again to see its messages`);
    again.addEventListener("click", () => ctx.replay(test));
    detail.append(h("p", { class: "cl-test__note" }, again));
  }
  return detail;
}

function renderResults(ctx: PanelContext, results: Results, failing?: FailingRun): HTMLElement[] {
  const m = results.metrics;
  const overview = h(
    "div",
    { class: `cl-overall cl-overall--${results.status}`, "data-overall": results.status },
    h("p", {}, statusBadge(results.status), ` ${passedRuns(results)} of ${results.tests.length} runs passed`),
    results.message ? h("p", { class: "cl-overall__message" }, results.message) : null,
    h("p", { class: "cl-overall__figures" }, `${m.runs} runs, ${m.simulatedMs.toLocaleString("en")} ms simulated in ${m.wallMs.toLocaleString("en")} ms; latency p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms, max ${m.latency.max} ms; ${m.msgsPerOp} msgs/op`),
  );

  const detailSlot = h("div", { class: "cl-detail-slot" });
  const seedButtons: HTMLButtonElement[] = [];
  const select = (test: TestResult, button: HTMLButtonElement, scenarioRuns: TestResult[]) => {
    for (const b of seedButtons) b.setAttribute("aria-pressed", String(b === button));
    detailSlot.replaceChildren(testDetail(ctx, test, scenarioRuns, failing));
  };

  const tasks = h("ol", { class: "cl-tasks" });
  let initial: (() => void) | undefined;
  for (const [taskId, taskTests] of groupBy(results.tests, (t) => t.taskId)) {
    const scenarios = h("ul", { class: "cl-scenarios" });
    for (const [scenario, runs] of groupBy(taskTests, (t) => `${t.scenarioIndex}`)) {
      const seeds = h("div", { class: "cl-seeds", role: "group", "aria-label": `Seeds of ${runs[0]!.scenario}` });
      for (const test of runs) {
        const button = h("button", { type: "button", class: `cl-seed cl-seed--${test.status}`, "data-seed": test.seed, "data-status": test.status, "aria-pressed": "false", title: `seed ${test.seed}: ${STATUS_WORD[test.status]}` }, String(test.seed));
        button.addEventListener("click", () => select(test, button, runs));
        seedButtons.push(button);
        // Open on the run the diagram belongs to, else the first failure, else the first run.
        const isFailing = failing && failing.test.seed === test.seed && failing.test.scenarioIndex === test.scenarioIndex;
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
  return [overview, tasks, detailSlot];
}

function renderCompileErrors(ctx: PanelContext, errors: CompileError[]): HTMLElement[] {
  const list = h("ol", { class: "cl-compile-errors", "data-compile-errors": true });
  for (const e of errors) {
    const jump = h("button", { type: "button", class: "cl-linkish", "data-goto": `${e.line}:${e.column}` }, `${solutionFileName(ctx.slug)}:${e.line}:${e.column}`);
    jump.addEventListener("click", () => ctx.goTo(e.line, e.column));
    list.append(h("li", {}, jump, ` ${e.text}`));
  }
  return [
    h("div", { class: "cl-overall cl-overall--error", "data-overall": "compile-error" }, h("p", {}, statusBadge("error"), ` The solution does not compile (${errors.length} ${errors.length === 1 ? "error" : "errors"}). Nothing was run.`)),
    list,
  ];
}

/** Replaces the panel's content with an outcome. */
export function showOutcome(panel: HTMLElement, ctx: PanelContext, outcome: GradeOutcome): void {
  switch (outcome.kind) {
    case "results":
      panel.replaceChildren(...renderResults(ctx, outcome.results, outcome.failing));
      return;
    case "compile-error":
      panel.replaceChildren(...renderCompileErrors(ctx, outcome.errors));
      return;
    case "stopped":
      panel.replaceChildren(h("div", { class: "cl-overall cl-overall--error", "data-overall": "stopped" }, h("p", {}, "Stopped. Nothing was graded; your code is unchanged.")));
      return;
    case "crashed":
      panel.replaceChildren(
        h(
          "div",
          { class: "cl-overall cl-overall--error", "data-overall": "crashed" },
          h("p", {}, statusBadge("error"), " ", outcome.message),
          h("p", { class: "cl-overall__message" }, "Look for a loop that never ends or memory that keeps growing (a handler that never returns blocks every node). The page is fine: edit and run again."),
        ),
      );
      return;
  }
}
