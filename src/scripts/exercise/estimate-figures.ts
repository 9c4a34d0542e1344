// An estimation drill's run in the results panel: each figure the learner computed beside the model's
// on the same drawn assumptions, how far apart they are, and the credit (full within 2×, partial within
// 10×, none beyond). Read from the test's metrics (graders/estimate: `yours.<figure>`, `model.<figure>`,
// `credit.<figure>`, `score`), so a new drill is shown with no edit here. Pure, apart from the table.
import type { TestResult } from "../../../graders/index.ts";
import { h } from "./dom.ts";

export type Metrics = Record<string, number>;

export interface EstimateRow {
  figure: string;
  yours?: number;
  model: number;
  /** yours ÷ model (undefined when the learner gave no usable number). */
  ratio?: number;
  credit: number;
}

export function estimateRows(m: Metrics): EstimateRow[] {
  return Object.keys(m)
    .flatMap((k) => /^model\.(.+)$/.exec(k)?.[1] ?? [])
    .map((figure) => {
      const yours = m[`yours.${figure}`];
      const model = m[`model.${figure}`]!;
      return { figure, ...(yours !== undefined ? { yours } : {}), model, ...(yours !== undefined && model !== 0 ? { ratio: yours / model } : {}), credit: m[`credit.${figure}`] ?? 0 };
    });
}

/** Three significant digits, grouped; very large or small numbers in powers of ten. */
export function formatEstimate(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9 || a < 1e-3) return v.toExponential(2).replace("e+", " × 10^").replace("e-", " × 10^-");
  return Number(v.toPrecision(3)).toLocaleString("en");
}

export const creditWord = (credit: number) => (credit >= 1 ? "full" : credit > 0 ? "partial" : "none");

/** The figures that say how a drill's scenario went (the median seed's score). */
export function estimateHeadline(runs: Metrics[]): string[] {
  const scores = runs.flatMap((m) => (typeof m.score === "number" ? [m.score] : [])).sort((a, b) => a - b);
  if (scores.length === 0) return [];
  const median = runs.find((m) => m.score === scores[(scores.length - 1) >> 1])!;
  const total = (median.figuresFull ?? 0) + (median.figuresPartial ?? 0) + (median.figuresNone ?? 0);
  return [`score ${Math.round(median.score! * 100)}%`, `${median.figuresFull ?? 0} of ${total} figures within 2×`];
}

export function estimateFigures(test: TestResult): HTMLElement {
  const rows = estimateRows(test.metrics);
  const body = h("tbody");
  for (const r of rows) {
    // Three columns, the credit under the figure's name: the results column is narrow beside the editor.
    body.append(
      h(
        "tr",
        { "data-estimate-row": r.figure, "data-credit": creditWord(r.credit) },
        h(
          "th",
          { scope: "row" },
          h("code", {}, r.figure),
          h("span", { class: `cl-summary__scenario${r.credit < 1 ? " cl-design__cell--bad" : ""}` }, `${creditWord(r.credit)} credit${r.ratio !== undefined ? ` · ${formatEstimate(r.ratio)}× the model` : ""}`),
        ),
        h("td", {}, r.yours !== undefined ? formatEstimate(r.yours) : "—"),
        h("td", {}, formatEstimate(r.model)),
      ),
    );
  }
  const score = test.metrics.score;
  return h(
    "section",
    { class: "cl-figure-group", "data-estimate-figures": true },
    h("p", { class: "cl-figure-group__title" }, `Your figures beside the model's, on this seed's assumptions${score !== undefined ? `: score ${Math.round(score * 100)}%` : ""}`),
    h(
      "div",
      { class: "cl-summary-wrap", tabindex: 0, role: "region", "aria-label": "Your figures beside the model's (scrolls sideways)" },
      h("table", { class: "cl-summary" }, h("thead", {}, h("tr", {}, ...["Figure and credit", "Yours", "Model"].map((c) => h("th", { scope: "col" }, c)))), body),
    ),
    h("p", { class: "cl-design__legend" }, "Full credit within 2× of the model (|log10 of the ratio| ≤ 0.3), partial within 10×, none beyond."),
  );
}
