// Small horizontal bar charts as inline SVG markup (no chart library): one row per bar, the value
// printed at the end of the bar, scaled to the largest value or to an explicit budget line.
import { escapeXml } from "./dom.ts";

export interface Bar {
  label: string;
  value: number;
  /** "bad" colours the bar as over budget. */
  tone?: "normal" | "bad";
}

export interface BarChart {
  title: string;
  unit: string;
  bars: Bar[];
  /** Drawn as a dashed line, and the scale reaches at least to it. */
  limit?: { value: number; label: string };
}

const ROW = 18;
const LABEL_W = 64;
const PLOT_W = 200;
const VALUE_W = 72;

const formatValue = (value: number, unit: string) =>
  `${value >= 100 ? Math.round(value).toLocaleString("en") : Math.round(value * 10) / 10}${unit ? ` ${unit}` : ""}`;

export function barChartSvg(chart: BarChart): string {
  const max = Math.max(chart.limit?.value ?? 0, ...chart.bars.map((b) => b.value), 1e-9);
  const width = LABEL_W + PLOT_W + VALUE_W;
  const height = chart.bars.length * ROW + 4;
  const x = (v: number) => LABEL_W + (v / max) * PLOT_W;
  const rows = chart.bars
    .map((bar, i) => {
      const y = i * ROW + 2;
      const w = Math.max(1, x(bar.value) - LABEL_W);
      return (
        `<text x="${LABEL_W - 6}" y="${y + 12}" text-anchor="end" class="cl-chart__label">${escapeXml(bar.label)}</text>` +
        `<rect x="${LABEL_W}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 6}" rx="2" class="cl-chart__bar${bar.tone === "bad" ? " cl-chart__bar--bad" : ""}"><title>${escapeXml(`${bar.label}: ${formatValue(bar.value, chart.unit)}`)}</title></rect>` +
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + 12}" class="cl-chart__value">${escapeXml(formatValue(bar.value, chart.unit))}</text>`
      );
    })
    .join("");
  const limit = chart.limit
    ? `<line x1="${x(chart.limit.value)}" x2="${x(chart.limit.value)}" y1="0" y2="${height}" class="cl-chart__limit"><title>${escapeXml(chart.limit.label)}</title></line>`
    : "";
  return (
    `<figure class="cl-chart"><figcaption>${escapeXml(chart.title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">${rows}${limit}</svg></figure>`
  );
}
