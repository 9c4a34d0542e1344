// The figures panel: a run's figures in groups, with its series as charts, and the run log when the panel
// has it. It reads only the run's figures and series, which every harness's runs carry, so it is also the
// panel of a harness with none of its own (index.ts). The component exercises use it as it is.
import type { TestResult } from "../../../../graders/index.ts";
import { barChartSvg, columnChartSvg, stackedBarChartSvg } from "../charts.ts";
import { groupFigures, headlineFigures, seriesCharts, type SeriesChart } from "../component-figures.ts";
import { h } from "../dom.ts";
import { renderRunLog } from "../message-diagram.ts";
import { figuresSummary, type HarnessPanel } from "./panel.ts";

function seriesChartSvg(chart: SeriesChart): string {
  if (chart.kind === "stacked") return stackedBarChartSvg(chart.chart);
  if (chart.kind === "columns") return columnChartSvg(chart.chart);
  return barChartSvg(chart.chart);
}

function groupedFigures(test: TestResult): HTMLElement {
  const box = h("div", { class: "cl-figure-groups", "data-component-figures": true });
  const charts = seriesCharts(test.series, test.metrics);
  const chartsOf = (title: string) => charts.filter((c) => c.group === title);
  const section = (title: string) => h("section", { class: "cl-figure-group", "data-figure-group": title }, h("p", { class: "cl-figure-group__title" }, title));
  const addCharts = (into: HTMLElement, list: SeriesChart[]) => {
    if (list.length === 0) return;
    const holder = h("div", { class: "cl-series", "data-series-charts": true });
    holder.innerHTML = list.map(seriesChartSvg).join("");
    into.append(holder);
  };
  const groups = groupFigures(test.metrics);
  for (const group of groups) {
    const el = section(group.title);
    if (group.chart) {
      const chart = h("div");
      chart.innerHTML = barChartSvg(group.chart);
      el.append(...chart.childNodes);
    }
    addCharts(el, chartsOf(group.title));
    el.append(h("dl", {}, ...group.figures.flatMap((f) => [h("dt", {}, f.label), h("dd", { "data-metric": f.key }, f.text)])));
    box.append(el);
  }
  // Series whose group has no figure in this run, and those of no group: a section of their own.
  const placed = new Set(groups.map((g) => g.title));
  for (const title of [...new Set(charts.map((c) => c.group))].filter((t) => !placed.has(t))) {
    const el = section(title);
    addCharts(el, chartsOf(title));
    box.append(el);
  }
  return box;
}

export const figuresPanel: HarnessPanel = {
  scenarioFigures: (runs) => headlineFigures(runs.map((t) => t.metrics)).map((f) => `${f.label} ${f.text}`),
  summary: figuresSummary,
  simulatesTime: false,
  seedDetail({ test, failing, logOptions }) {
    const log = failing ? renderRunLog(failing, logOptions) : undefined;
    return log ? [groupedFigures(test), log] : [groupedFigures(test)];
  },
};
