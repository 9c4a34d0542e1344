// A design exercise's run in the results panel: the design drawn from the run's own figures (its
// components coloured by how busy they were and whether calls to them failed, the calls between them
// with their rates), each request type per phase of the fault, the time series with the fault shaded,
// the cost by line, and the reference design's figures beside the learner's.
import type { TestResult } from "../../../graders/index.ts";
import { barChartSvg, columnChartSvg } from "./charts.ts";
import { formatFigure, labelOf } from "./component-figures.ts";
import { costChart, designGraph, designGraphSvg, designSeriesCharts, phaseRows, referenceComparison } from "./design-figures.ts";
import { h } from "./dom.ts";

const pct = (v: number) => `${Math.round(v * 10000) / 100}%`;
const fmtMs = (ms: number) => `${(ms >= 100 ? Math.round(ms) : ms).toLocaleString("en")} ms`;

function section(title: string, ...children: Array<Node | null>): HTMLElement {
  return h("section", { class: "cl-figure-group", "data-figure-group": title }, h("p", { class: "cl-figure-group__title" }, title), ...children);
}

function svgBox(markup: string, attrs: Record<string, string | boolean> = {}): HTMLElement {
  const box = h("div", attrs);
  box.innerHTML = markup;
  return box;
}

function graphSection(test: TestResult): HTMLElement | null {
  const graph = designGraph(test.metrics);
  if (!graph) return null;
  // Wider than the panel on a narrow screen: it scrolls in its own box (reachable by keyboard).
  const canvas = svgBox(designGraphSvg(graph), { class: "cl-design__canvas", "data-design-graph": true, tabindex: "0", role: "region", "aria-label": "The design's drawing (scrolls sideways)" });
  const legend = h(
    "p",
    { class: "cl-design__legend" },
    h("span", { class: "cl-design__swatch cl-design__swatch--ok" }), " under 50% busy ",
    h("span", { class: "cl-design__swatch cl-design__swatch--warm" }), " 50–80% ",
    h("span", { class: "cl-design__swatch cl-design__swatch--hot" }), " 80% or more ",
    h("span", { class: "cl-design__swatch cl-design__swatch--failing" }), " 1% or more of its calls failed. Rates are per second at full traffic.",
  );
  return section("The design, as it ran", canvas, legend);
}

function phaseSection(test: TestResult): HTMLElement | null {
  const rows = phaseRows(test.metrics);
  if (rows.length === 0) return null;
  const m = test.metrics;
  const phases = rows[0]!.cells.map((c) => c.phase);
  const head = h("tr", {}, h("th", { scope: "col" }, "Request"), ...phases.map((p) => h("th", { scope: "col" }, p === "run" ? "Over the run" : `${p[0]!.toUpperCase()}${p.slice(1)} the fault`)));
  const body = h("tbody");
  for (const row of rows) {
    body.append(
      h(
        "tr",
        { "data-phase-row": row.type },
        h("th", { scope: "row" }, row.type, h("span", { class: "cl-summary__scenario" }, `${row.requests.toLocaleString("en")} sampled`)),
        ...row.cells.map((c) =>
          h(
            "td",
            { "data-phase": c.phase, class: c.availability < 0.99 ? "cl-design__cell--bad" : undefined },
            `${pct(c.availability)} ok`,
            h("br"),
            // No success, no latency: a p99 of 0 ms would read as fast.
            c.availability > 0 ? `p99 ${fmtMs(c.p99Ms)}` : "none succeeded",
          ),
        ),
      ),
    );
  }
  const table = h("div", { class: "cl-summary-wrap", tabindex: 0, role: "region", "aria-label": "Each request type per phase (scrolls sideways)" }, h("table", { class: "cl-summary", "data-design-phases": true }, h("thead", {}, head), body));
  const recovery: string[] = [];
  if (m.faultFromMs !== undefined) recovery.push(m.rtoSec === -1 ? "never back to 99% success (RTO: not within the run)" : `RTO ${m.rtoSec} s (the fault to lasting 99% success)`);
  if (m.rpoSec !== undefined) recovery.push(`RPO ${m.rpoSec} s`, `${(m.lostWritesReal ?? 0).toLocaleString("en")} acknowledged writes lost at full traffic`);
  return section(m.faultFromMs !== undefined ? "Each request type before, during and after the fault" : "Each request type", table, recovery.length ? h("p", { class: "cl-design__recovery", "data-recovery": true }, recovery.join(" · ")) : null);
}

function seriesSection(test: TestResult): HTMLElement | null {
  const charts = designSeriesCharts(test.series, test.metrics);
  if (charts.length === 0) return null;
  return section("Over the run", svgBox(charts.map(columnChartSvg).join(""), { class: "cl-series", "data-series-charts": true }));
}

function costSection(test: TestResult): HTMLElement | null {
  const chart = costChart(test.metrics);
  if (!chart) return null;
  return section("Cost", svgBox(barChartSvg(chart), { "data-cost-chart": true }));
}

function referenceSection(test: TestResult): HTMLElement | null {
  const rows = referenceComparison(test.metrics);
  if (rows.length === 0) return null;
  const body = h("tbody");
  for (const r of rows) {
    body.append(h("tr", { "data-compare": r.label }, h("th", { scope: "row" }, r.label), h("td", {}, r.yours), h("td", {}, r.reference), h("td", {}, r.ratio !== undefined ? `${r.ratio}×` : "—")));
  }
  return section(
    "Beside the reference design (same seed)",
    h("div", { class: "cl-summary-wrap", tabindex: 0, role: "region", "aria-label": "Beside the reference design (scrolls sideways)" }, h("table", { class: "cl-summary", "data-reference": true }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Figure"), h("th", { scope: "col" }, "Yours"), h("th", { scope: "col" }, "Reference"), h("th", { scope: "col" }, "Ratio"))), body)),
  );
}

/** Every figure of the run, for whoever wants the numbers behind the drawings. */
function allFigures(test: TestResult): HTMLElement {
  const keys = Object.keys(test.metrics).filter((k) => !/^(component|calls|callErrors)\./.test(k)).sort();
  return h(
    "details",
    { class: "cl-figure-group" },
    h("summary", {}, `All ${keys.length} figures of this run`),
    h("dl", {}, ...keys.flatMap((k) => [h("dt", {}, labelOf(k)), h("dd", { "data-metric": k }, formatFigure(k, test.metrics[k]!))])),
  );
}

export function designFigures(test: TestResult): HTMLElement {
  return h("div", { class: "cl-figure-groups cl-design", "data-design-figures": true }, graphSection(test), phaseSection(test), seriesSection(test), costSection(test), referenceSection(test), allFigures(test));
}
