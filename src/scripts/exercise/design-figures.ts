// What a design exercise's run measured, read back into the shapes the results panel draws: the design
// as a graph (components with their kind, size, utilisation and errors; the calls between them as they
// happened), each request type's figures per phase of the fault, the time series, the cost by line and
// the reference design's figures beside the learner's. Everything comes from the test's metrics and
// series (graders/design/graph.ts and figures.ts say how they are named); nothing is drawn by hand for
// one exercise, so a new prompt or component kind is drawn too. Pure: the unit tests hold it.
import type { BarChart, ColumnChart } from "./charts.ts";
import { escapeXml } from "./dom.ts";

export type Metrics = Record<string, number>;
export type Series = Record<string, number[]>;

export interface DesignNode {
  name: string;
  /** pool, cache, sql, kv, queue, cdn, lb, objectStore, or "users". */
  kind: string;
  /** Instances, nodes, shards or partitions (1 where the kind has no count). */
  size: number;
  /** Share of its CPU used over the run (undefined: a kind without stations, as a balancer). */
  utilisation?: number;
  /** Attempts that reached it and the share of them that failed. */
  calls: number;
  errorRate: number;
  /** The component's own figures in words (hit ratio, hot shard, backlog…). */
  notes: string[];
}

export interface DesignEdge {
  from: string;
  to: string;
  /** Calls per second at full traffic (the sample's attempts × the weight of a sampled request). */
  perSec: number;
  attempts: number;
  failed: number;
  errorRate: number;
}

export interface DesignGraph {
  nodes: DesignNode[];
  edges: DesignEdge[];
  /** Node names by level of calls, from the users down (shortest path of calls). */
  columns: string[][];
}

const USERS = "users";

/** The design's drawing from a run's metrics; undefined when the run has none (it failed before the design was read). */
export function designGraph(m: Metrics): DesignGraph | undefined {
  const kinds = new Map<string, { kind: string; size: number }>();
  const edges: DesignEdge[] = [];
  const seconds = Math.max(1e-9, (m.simulatedMs ?? 0) / 1000);
  const weight = m.sampleWeight ?? 1;
  for (const [key, value] of Object.entries(m)) {
    const component = /^component\.([^.]+)\.([^.]+)$/.exec(key);
    if (component) kinds.set(component[1]!, { kind: component[2]!, size: value });
    const call = /^calls\.([^.]+)\.([^.]+)$/.exec(key);
    if (call) {
      const failed = m[`callErrors.${call[1]}.${call[2]}`] ?? 0;
      edges.push({ from: call[1]!, to: call[2]!, attempts: value, failed, perSec: (value / seconds) * weight, errorRate: value > 0 ? failed / value : 0 });
    }
  }
  if (kinds.size === 0) return undefined;
  edges.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const nodes: DesignNode[] = [{ name: USERS, kind: "users", size: 1, calls: 0, errorRate: 0, notes: [`${Math.round((m.requests ?? 0) / seconds * weight).toLocaleString("en")} requests/s`] }];
  for (const [name, { kind, size }] of kinds) {
    const into = edges.filter((e) => e.to === name);
    const calls = into.reduce((n, e) => n + e.attempts, 0);
    const failed = into.reduce((n, e) => n + e.failed, 0);
    const util = m[`util.${name}`];
    nodes.push({ name, kind, size, ...(util !== undefined && kind !== "lb" && kind !== "cdn" ? { utilisation: util } : {}), calls, errorRate: calls > 0 ? failed / calls : 0, notes: notesOf(name, m) });
  }
  return { nodes, edges, columns: columnsOf(nodes, edges) };
}

function notesOf(name: string, m: Metrics): string[] {
  const notes: string[] = [];
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  if (m[`hitRatio.${name}`] !== undefined) notes.push(`hit ratio ${pct(m[`hitRatio.${name}`]!)}`);
  if (m[`hotShard.${name}`] !== undefined && m[`hotShard.${name}`]! > 1.5) notes.push(`hottest shard ${m[`hotShard.${name}`]}× the mean`);
  if (m[`replicationLagMsMax.${name}`] !== undefined && m[`replicationLagMsMax.${name}`]! > 0) notes.push(`replica lag ≤ ${m[`replicationLagMsMax.${name}`]} ms`);
  if (m[`throttled.${name}`]) notes.push(`${m[`throttled.${name}`]} throttled`);
  if (m[`backlogMax.${name}`] !== undefined) notes.push(`backlog ≤ ${m[`backlogMax.${name}`]!.toLocaleString("en")}`);
  return notes;
}

/** Columns by the shortest chain of calls from the users; components nothing reached go last. */
function columnsOf(nodes: DesignNode[], edges: DesignEdge[]): string[][] {
  const depth = new Map<string, number>([[USERS, 0]]);
  const queue = [USERS];
  while (queue.length) {
    const at = queue.shift()!;
    for (const e of edges) {
      if (e.from !== at || depth.has(e.to)) continue;
      depth.set(e.to, depth.get(at)! + 1);
      queue.push(e.to);
    }
  }
  const last = Math.max(...depth.values()) + 1;
  const columns: string[][] = [];
  for (const n of nodes) (columns[depth.get(n.name) ?? last] ??= []).push(n.name);
  return columns.filter((c) => c && c.length > 0);
}

/** How busy a component was, as a tone: under half, under 80%, or more. */
export function utilisationTone(u: number | undefined): "idle" | "ok" | "warm" | "hot" {
  if (u === undefined) return "idle";
  return u >= 0.8 ? "hot" : u >= 0.5 ? "warm" : "ok";
}

/** At or above this share of failed attempts a component or a call is drawn as failing. */
export const errorShareShown = 0.01;

const BOX_W = 134;
const BOX_H = 58;
/** Between the levels of calls (top to bottom), and between the components of one level. */
const LEVEL_GAP = 60;
const SIBLING_GAP = 12;
const PAD = 8;

const fmtRate = (perSec: number) => (perSec >= 100 ? Math.round(perSec).toLocaleString("en") : String(Math.round(perSec * 10) / 10));
const fmtPct = (v: number) => `${Math.round(v * 1000) / 10}%`;

/**
 * The graph as an SVG, top to bottom (the users first, then each level of calls), so that it fits the
 * narrow results column; arrows labelled with calls per second and the share that failed.
 */
export function designGraphSvg(graph: DesignGraph): string {
  const perLevel = Math.max(...graph.columns.map((c) => c.length));
  const levelOf = new Map(graph.columns.flatMap((level, l) => level.map((name) => [name, l] as const)));
  // Room on the right for calls that go back up or across a level (a pool calling a pool), if any.
  const backCalls = graph.edges.some((e) => e.from !== e.to && (levelOf.get(e.to) ?? 0) <= (levelOf.get(e.from) ?? 0));
  const width = PAD * 2 + perLevel * BOX_W + (perLevel - 1) * SIBLING_GAP + (backCalls ? 60 : 0);
  const height = PAD * 2 + graph.columns.length * BOX_H + (graph.columns.length - 1) * LEVEL_GAP;
  const place = new Map<string, { x: number; y: number }>();
  graph.columns.forEach((level, l) => {
    const left = PAD + ((perLevel - level.length) * (BOX_W + SIBLING_GAP)) / 2;
    level.forEach((name, i) => place.set(name, { x: left + i * (BOX_W + SIBLING_GAP), y: PAD + l * (BOX_H + LEVEL_GAP) }));
  });
  const parts: string[] = [`<defs><marker id="cl-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="cl-design__arrowhead"/></marker></defs>`];
  for (const e of graph.edges) {
    const a = place.get(e.from);
    const b = place.get(e.to);
    if (!a || !b || e.from === e.to) continue;
    let d: string;
    let lx: number, ly: number, anchor: string;
    if (b.y > a.y) {
      const x1 = a.x + BOX_W / 2, y1 = a.y + BOX_H, x2 = b.x + BOX_W / 2, y2 = b.y;
      d = `M${x1},${y1} C${x1},${y1 + LEVEL_GAP / 2} ${x2},${y2 - LEVEL_GAP / 2} ${x2},${y2}`;
      lx = (x1 + x2) / 2 + (x2 < x1 ? -4 : 4);
      ly = (y1 + y2) / 2 + 4;
      anchor = x2 < x1 ? "end" : "start";
    } else {
      // A call back up or across a level (a pool calling a pool): around the right-hand side.
      const x1 = a.x + BOX_W, y1 = a.y + BOX_H / 2, x2 = b.x + BOX_W, y2 = b.y + BOX_H / 2;
      d = `M${x1},${y1} C${x1 + 36},${y1} ${x2 + 36},${y2} ${x2},${y2}`;
      lx = Math.max(x1, x2) + 22;
      ly = (y1 + y2) / 2 + 4;
      anchor = "start";
    }
    const failing = e.errorRate >= errorShareShown;
    const label = `${fmtRate(e.perSec)}/s${e.failed > 0 ? ` · ${fmtPct(e.errorRate)} failed` : ""}`;
    const idle = e.attempts === 0 ? " cl-design__call--idle" : "";
    parts.push(
      `<g class="cl-design__call${failing ? " cl-design__call--failing" : ""}${idle}" data-call="${escapeXml(`${e.from}→${e.to}`)}" data-per-sec="${Math.round(e.perSec)}" data-error-rate="${e.errorRate.toFixed(4)}">` +
        `<title>${escapeXml(`${e.from} → ${e.to}: ${label} (${e.attempts.toLocaleString("en")} sampled attempts, ${e.failed.toLocaleString("en")} failed)`)}</title>` +
        `<path d="${d}" marker-end="url(#cl-arrow)"/>` +
        `<text x="${lx}" y="${ly}" text-anchor="${anchor}" class="cl-design__call-label">${escapeXml(label)}</text></g>`,
    );
  }
  for (const n of graph.nodes) {
    const p = place.get(n.name)!;
    const tone = n.kind === "users" ? "users" : utilisationTone(n.utilisation);
    const failing = n.errorRate >= errorShareShown;
    const size = n.size > 1 ? ` ×${n.size}` : "";
    // A balancer or a CDN has no CPU of its own to be busy with: what passes through it instead.
    const inbound = graph.edges.filter((e) => e.to === n.name).reduce((sum, e) => sum + e.perSec, 0);
    const second = n.utilisation !== undefined ? `${fmtPct(n.utilisation)} busy` : n.kind === "users" ? n.notes[0] ?? "" : `${fmtRate(inbound)} requests/s`;
    const third = failing ? `${fmtPct(n.errorRate)} of calls failed` : n.kind === "users" ? "" : n.notes[0] ?? "";
    parts.push(
      `<g class="cl-design__node cl-design__node--${tone}${failing ? " cl-design__node--failing" : ""}" data-component="${escapeXml(n.name)}" data-kind="${escapeXml(n.kind)}" data-utilisation="${n.utilisation ?? ""}" data-error-rate="${n.errorRate.toFixed(4)}">` +
        `<title>${escapeXml([`${n.name}: ${n.kind}${size}`, n.utilisation !== undefined ? `${fmtPct(n.utilisation)} of its CPU used` : "", n.calls ? `${fmtPct(n.errorRate)} of ${n.calls.toLocaleString("en")} sampled calls failed` : "", ...n.notes].filter(Boolean).join("; "))}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6"/>` +
        `<text x="${p.x + 8}" y="${p.y + 17}" class="cl-design__name">${escapeXml(n.name)}</text>` +
        (n.kind === "users" ? "" : `<text x="${p.x + BOX_W - 8}" y="${p.y + 17}" text-anchor="end" class="cl-design__kind">${escapeXml(`${n.kind === "objectStore" ? "objects" : n.kind}${size}`)}</text>`) +
        `<text x="${p.x + 8}" y="${p.y + 34}" class="cl-design__detail">${escapeXml(second)}</text>` +
        `<text x="${p.x + 8}" y="${p.y + 50}" class="cl-design__detail">${escapeXml(third)}</text></g>`,
    );
  }
  return `<svg class="cl-design__svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="The design: its components and the calls between them">${parts.join("")}</svg>`;
}

export interface PhaseRow {
  type: string;
  requests: number;
  cells: Array<{ phase: string; availability: number; p99Ms: number }>;
}

export const designPhases = ["before", "during", "after"] as const;

/** Per request type: availability and p99 before, during and after the fault (or over the run without one). */
export function phaseRows(m: Metrics): PhaseRow[] {
  const types = Object.keys(m).flatMap((k) => /^([^.]+)\.requests$/.exec(k)?.[1] ?? []);
  return types.map((type) => {
    const hasPhases = m[`${type}.before.p99Ms`] !== undefined;
    const cells = hasPhases
      ? designPhases.map((phase) => ({ phase, availability: m[`${type}.${phase}.availability`] ?? 1, p99Ms: m[`${type}.${phase}.p99Ms`] ?? 0 }))
      : [{ phase: "run", availability: m[`${type}.availability`] ?? 1, p99Ms: m[`${type}.p99Ms`] ?? 0 }];
    return { type, requests: m[`${type}.requests`] ?? 0, cells };
  });
}

/** Time series per window: each type's p99, the share of requests that failed, each backlog; the fault shaded. */
export function designSeriesCharts(series: Series | undefined, m: Metrics): ColumnChart[] {
  if (!series) return [];
  const windowSec = m.seriesWindowSec ?? 1;
  const band = m.faultFromMs !== undefined && m.faultToMs !== undefined ? { from: m.faultFromMs / 1000 / windowSec, to: m.faultToMs / 1000 / windowSec, label: "the fault" } : undefined;
  const axis = windowSec > 1 ? `second of the run (${windowSec} s windows)` : "second of the run";
  const base = { label: (i: number) => `${i * windowSec}`, axis, ...(band ? { band } : {}) };
  const charts: ColumnChart[] = [];
  for (const key of Object.keys(series).filter((k) => k.startsWith("p99Ms.")).sort()) {
    // A window in which no request of the type succeeded has no latency: it is drawn empty (0), and the failures chart says why.
    charts.push({ ...base, title: `p99 latency of ${key.slice(6)}, per window`, unit: "ms", values: series[key]! });
  }
  if (series.sent && series.ok) {
    const sent = series.sent;
    const failed = sent.map((n, i) => (n > 0 ? Math.round(((n - (series.ok![i] ?? 0)) / n) * 1000) / 10 : 0));
    charts.push({ ...base, title: "Requests that failed, per window", unit: "%", values: failed, bad: (v) => v >= 1 });
  }
  for (const key of Object.keys(series).filter((k) => k.startsWith("backlog.")).sort()) {
    charts.push({ ...base, title: `Waiting at ${key.slice(8)} (most in a window, sampled requests or messages)`, unit: "", values: series[key]! });
  }
  return charts;
}

/** Dollars per month by line of the price table, largest first. */
export function costChart(m: Metrics): BarChart | undefined {
  const lines = Object.keys(m).filter((k) => k.startsWith("cost.")).map((k) => ({ label: k.slice(5), value: m[k]! })).sort((a, b) => b.value - a.value);
  if (lines.length === 0) return undefined;
  return { title: `Cost per month by line: $${Math.round(m.costUsdPerMonth ?? 0).toLocaleString("en")} in all`, unit: "$", bars: lines };
}

export interface Comparison {
  label: string;
  yours: string;
  reference: string;
  ratio?: number;
}

/** The learner's figures beside the reference design's on the same seed. */
export function referenceComparison(m: Metrics): Comparison[] {
  const rows: Comparison[] = [];
  const usd = (v: number) => `$${Math.round(v).toLocaleString("en")}`;
  if (m.referenceCostUsdPerMonth !== undefined && m.costUsdPerMonth !== undefined) rows.push({ label: "cost per month", yours: usd(m.costUsdPerMonth), reference: usd(m.referenceCostUsdPerMonth), ...(m.costRatio !== undefined ? { ratio: m.costRatio } : {}) });
  if (m.referenceLatencyP99Ms !== undefined && m.latencyP99Ms !== undefined) rows.push({ label: "p99 latency, every request", yours: `${m.latencyP99Ms} ms`, reference: `${m.referenceLatencyP99Ms} ms`, ...(m.p99Ratio !== undefined ? { ratio: m.p99Ratio } : {}) });
  return rows;
}

/** The figures that say how a design's scenario went, for the per-scenario summary (the median seed's). */
export function designHeadline(runs: Metrics[]): string[] {
  const median = (key: string) => {
    const values = runs.flatMap((m) => (typeof m[key] === "number" ? [m[key]!] : [])).sort((a, b) => a - b);
    return values.length ? values[(values.length - 1) >> 1] : undefined;
  };
  const parts: string[] = [];
  const errorRate = median("errorRate");
  if (errorRate !== undefined) parts.push(`availability ${Math.round((1 - errorRate) * 10000) / 100}%`);
  const p99 = median("latencyP99Ms");
  if (p99 !== undefined) parts.push(`p99 ${p99} ms`);
  const cost = median("costUsdPerMonth");
  if (cost !== undefined) parts.push(`$${Math.round(cost).toLocaleString("en")}/month`);
  const ratio = median("costRatio");
  if (ratio !== undefined) parts.push(`${ratio}× the reference's cost`);
  return parts;
}
