// The node panel: latency per scenario, and for a seed its latency, messages per operation over the
// scenario's seeds and the load per node; for a failing run, its message diagram and log, or a button
// that runs the seed again to get them (the grader keeps the messages of the first failing run only).
import { barChartSvg } from "../charts.ts";
import { h } from "../dom.ts";
import { latencyChart, loadChart, msgsPerOpChart } from "../figures.ts";
import { renderMessageDiagram, renderRunLog } from "../message-diagram.ts";
import { latencyByScenario } from "../scenario-latency.ts";
import { runKey, type HarnessPanel, type SeedDetail } from "./panel.ts";

const fmtMs = (ms: number) => `${ms >= 100 ? Math.round(ms).toLocaleString("en") : Math.round(ms * 10) / 10} ms`;

function seedDetail({ ctx, test, scenarioRuns, failing, logOptions, onReplayed }: SeedDetail): Node[] {
  const out: Node[] = [];
  const charts = [latencyChart(test), msgsPerOpChart(scenarioRuns)];
  if (failing) charts.push(loadChart(failing.trace, failing.nodeIds, failing.truncated));
  const figures = h("div", { class: "cl-figures" });
  figures.innerHTML = charts.filter((c) => c !== undefined).map(barChartSvg).join("");
  out.push(figures);
  if (failing) {
    if (failing.test.message !== test.message) {
      out.push(h("p", { class: "cl-test__note", "data-replayed-note": true }, `Run again with the code in the editor now: ${failing.test.check ? `check ${failing.test.check}, ` : ""}${failing.test.message}`));
    }
    out.push(renderMessageDiagram(failing));
    const log = renderRunLog(failing, logOptions);
    if (log) out.push(log);
  } else if (test.status === "fail") {
    // The grader keeps the messages of the first failing run only; any other one is a quick re-run away,
    // and its diagram comes here, under the results already shown.
    const again = h("button", { type: "button", class: "cl-button cl-button--small", "data-action": "replay-run" }, `Run seed ${test.seed} of ${test.scenario} again to see its messages`);
    const note = h("p", { class: "cl-test__note", "aria-live": "polite" }, again);
    again.addEventListener("click", async () => {
      again.disabled = true;
      again.textContent = `Running seed ${test.seed} of ${test.scenario} again…`;
      const outcome = await ctx.replay(test);
      const run = outcome?.kind === "results" ? outcome.failing : undefined;
      if (run && runKey(run.test) === runKey(test)) {
        onReplayed(run);
        return;
      }
      again.disabled = false;
      again.textContent = `Run seed ${test.seed} of ${test.scenario} again to see its messages`;
      const why =
        outcome === undefined ? "Another grade is running: try again when it ends."
        : outcome.kind === "results" ? "This time the run passed: the code in the editor has changed since these results."
        : outcome.kind === "stopped" ? "You pressed Stop."
        : "The run could not be graded: see the message above.";
      note.append(" ", h("span", { "data-replay-result": true }, why));
    });
    out.push(note);
  }
  return out;
}

export const nodePanel: HarnessPanel = {
  scenarioFigures(runs) {
    const [latency] = latencyByScenario(runs);
    if (!latency) return [];
    const parts = [`p50 ${fmtMs(latency.p50Ms)}`, `p99 ${fmtMs(latency.p99Ms)}`, `max ${fmtMs(latency.maxMs)}`];
    if (latency.msgsPerOp !== undefined) parts.push(`${latency.msgsPerOp} msgs/op`);
    return parts;
  },
  summary: { caption: "Latency: the median seed's p50 and p99, the worst seed's max.", figuresHeading: "Latency" },
  simulatesTime: true,
  seedDetail,
};
