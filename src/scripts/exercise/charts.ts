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
const PLOT_W = 170;
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
    `<figure class="cl-chart" data-chart="${escapeXml(chart.title)}"><figcaption>${escapeXml(chart.title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">${rows}${limit}</svg></figure>`
  );
}

/** Bars split in parts (e.g. requests during and outside a fault window), one row per item, with a legend. */
export interface StackedChart {
  title: string;
  unit: string;
  /** Names of the parts, in drawing order (left to right). */
  parts: string[];
  rows: Array<{ label: string; values: number[] }>;
}

const PART_CLASSES = ["cl-chart__bar", "cl-chart__bar--alt", "cl-chart__bar--third"];

export function stackedBarChartSvg(chart: StackedChart): string {
  const max = Math.max(...chart.rows.map((r) => r.values.reduce((a, b) => a + b, 0)), 1e-9);
  const legendH = 18;
  const width = LABEL_W + PLOT_W + VALUE_W;
  const height = legendH + chart.rows.length * ROW + 4;
  // Each legend entry as wide as its words (about 6.2 px a character at 11 px), then a gap.
  const legendX = chart.parts.map((_, i) => chart.parts.slice(0, i).reduce((x, name) => x + 14 + name.length * 6.2 + 16, 0));
  const legend = chart.parts
    .map((name, i) => {
      const lx = legendX[i]!;
      return `<rect x="${lx}" y="3" width="10" height="10" rx="2" class="${PART_CLASSES[i % PART_CLASSES.length]}"/><text x="${lx + 14}" y="12" class="cl-chart__label">${escapeXml(name)}</text>`;
    })
    .join("");
  const rows = chart.rows
    .map((row, i) => {
      const y = legendH + i * ROW + 2;
      let at = LABEL_W;
      const segments = row.values
        .map((v, k) => {
          const w = (v / max) * PLOT_W;
          const rect = `<rect x="${at.toFixed(1)}" y="${y + 2}" width="${Math.max(v > 0 ? 1 : 0, w).toFixed(1)}" height="${ROW - 6}" class="${PART_CLASSES[k % PART_CLASSES.length]}"><title>${escapeXml(`${row.label}, ${chart.parts[k]}: ${formatValue(v, chart.unit)}`)}</title></rect>`;
          at += w;
          return rect;
        })
        .join("");
      return (
        `<text x="${LABEL_W - 6}" y="${y + 12}" text-anchor="end" class="cl-chart__label">${escapeXml(row.label)}</text>${segments}` +
        `<text x="${(at + 4).toFixed(1)}" y="${y + 12}" class="cl-chart__value">${escapeXml(formatValue(row.values.reduce((a, b) => a + b, 0), chart.unit))}</text>`
      );
    })
    .join("");
  return (
    `<figure class="cl-chart" data-chart="${escapeXml(chart.title)}"><figcaption>${escapeXml(chart.title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">${legend}${rows}</svg></figure>`
  );
}

/** Columns over a sequence (seconds of a run, nodes of a ring), with an optional reference line. */
export interface ColumnChart {
  title: string;
  unit: string;
  values: number[];
  /** The label of column i (only some are drawn when there are many). */
  label(i: number): string;
  /** Name of the axis under the columns, e.g. "second of the run". */
  axis: string;
  reference?: { value: number; label: string };
  /** Columns drawn in the "bad" colour (over the reference, for instance). */
  bad?(value: number, i: number): boolean;
  /** A shaded stretch of columns [from, to) with a label: a fault window. */
  band?: { from: number; to: number; label: string };
}

const COL_W = LABEL_W + PLOT_W + VALUE_W;
const COL_H = 120;
const COL_LEFT = 44;
const COL_BOTTOM = 30;

export function columnChartSvg(chart: ColumnChart): string {
  const n = Math.max(1, chart.values.length);
  const max = Math.max(chart.reference?.value ?? 0, ...chart.values, 1e-9);
  const plotW = COL_W - COL_LEFT - 8;
  const plotH = COL_H - 8 - COL_BOTTOM;
  const step = plotW / n;
  const x = (i: number) => COL_LEFT + i * step;
  const y = (v: number) => 8 + plotH - (v / max) * plotH;
  const every = Math.max(1, Math.ceil(n / Math.floor(plotW / 34)));
  const parts: string[] = [];
  if (chart.band && chart.band.to > chart.band.from) {
    const bx = x(Math.max(0, chart.band.from));
    parts.push(`<rect x="${bx.toFixed(1)}" y="8" width="${(x(Math.min(n, chart.band.to)) - bx).toFixed(1)}" height="${plotH}" class="cl-chart__band"><title>${escapeXml(chart.band.label)}</title></rect>`);
  }
  // The scale: zero and the top, in the chart's unit.
  parts.push(`<text x="${COL_LEFT - 4}" y="${y(max) + 4}" text-anchor="end" class="cl-chart__label">${escapeXml(formatValue(max, ""))}</text>`);
  parts.push(`<text x="${COL_LEFT - 4}" y="${y(0)}" text-anchor="end" class="cl-chart__label">0</text>`);
  chart.values.forEach((v, i) => {
    const h = Math.max(v > 0 ? 1 : 0, y(0) - y(v));
    const bad = chart.bad?.(v, i) ? " cl-chart__bar--bad" : "";
    parts.push(`<rect x="${(x(i) + step * 0.1).toFixed(1)}" y="${(y(0) - h).toFixed(1)}" width="${Math.max(1, step * 0.8).toFixed(1)}" height="${h.toFixed(1)}" class="cl-chart__bar${bad}"><title>${escapeXml(`${chart.label(i)}: ${formatValue(v, chart.unit)}`)}</title></rect>`);
    if (i % every === 0) parts.push(`<text x="${(x(i) + step / 2).toFixed(1)}" y="${y(0) + 13}" text-anchor="middle" class="cl-chart__label">${escapeXml(chart.label(i))}</text>`);
  });
  parts.push(`<line x1="${COL_LEFT}" x2="${COL_LEFT + plotW}" y1="${y(0)}" y2="${y(0)}" class="cl-chart__axis"/>`);
  if (chart.reference) {
    const ry = y(chart.reference.value);
    parts.push(`<line x1="${COL_LEFT}" x2="${COL_LEFT + plotW}" y1="${ry.toFixed(1)}" y2="${ry.toFixed(1)}" class="cl-chart__limit"/>`);
    parts.push(`<text x="${COL_LEFT + plotW}" y="${(ry - 3).toFixed(1)}" text-anchor="end" class="cl-chart__value">${escapeXml(`${chart.reference.label} ${formatValue(chart.reference.value, chart.unit)}`)}</text>`);
  }
  // The band is named under the axis, where no column or reference label can cover its words.
  const axis = chart.band && chart.band.to > chart.band.from ? `${chart.axis} (shaded: ${chart.band.label})` : chart.axis;
  parts.push(`<text x="${COL_LEFT + plotW / 2}" y="${COL_H - 3}" text-anchor="middle" class="cl-chart__label">${escapeXml(axis)}</text>`);
  return (
    `<figure class="cl-chart" data-chart="${escapeXml(chart.title)}"><figcaption>${escapeXml(chart.title)}</figcaption>` +
    `<svg viewBox="0 0 ${COL_W} ${COL_H}" width="${COL_W}" height="${COL_H}" role="img" aria-label="${escapeXml(chart.title)}">${parts.join("")}</svg></figure>`
  );
}
