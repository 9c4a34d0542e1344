// What a component exercise's run measured (test.metrics: a cache's hit ratio, a balancer's spread, a
// limiter's admitted rate…), grouped the way a learner reads them, with units. Pure: the results panel
// draws the groups, the unit tests hold the grouping. A figure nobody listed lands in "Other figures"
// rather than disappearing, so a new metric from a grader shows up before anyone writes a label for it.
import type { BarChart, ColumnChart, StackedChart } from "./charts.ts";

export type Metrics = Record<string, number>;

export interface Figure {
  key: string;
  label: string;
  value: number;
  text: string;
}

export interface FigureGroup {
  title: string;
  figures: Figure[];
  chart?: BarChart;
}

interface GroupSpec {
  title: string;
  keys: string[];
  chart?(m: Metrics): BarChart | undefined;
}

const LABELS: Record<string, string> = {
  hitRatio: "hit ratio",
  lruHitRatio: "exact LRU's hit ratio",
  optimalHitRatio: "optimum's hit ratio",
  hits: "hits",
  lruHits: "exact LRU's hits",
  optimalHits: "optimum's hits",
  reads: "reads",
  capacity: "capacity (entries)",
  wrongValues: "wrong values returned",
  usPerOp: "time per operation",
  requests: "requests",
  ok: "succeeded",
  errors: "errors",
  timeouts: "timed out",
  dropped: "dropped by full queues",
  failedRequests: "failed requests",
  errorRate: "error rate",
  throughputPerSec: "throughput",
  offeredPerSec: "offered load",
  attemptsPerRequest: "attempts per request",
  failedFast: "failed fast (breaker open)",
  invalidPicks: "invalid picks",
  latencyP50Ms: "p50",
  latencyP99Ms: "p99",
  latencyP999Ms: "p99.9",
  latencyMaxMs: "max",
  latencyMeanMs: "mean",
  hotLatencyP99Ms: "p99 of hot keys",
  writeLatencyP99Ms: "p99 of writes",
  imbalance: "busiest server over the mean (per unit of weight)",
  utilisationMax: "busiest server's utilisation",
  stickyRatio: "requests to the client's usual server",
  costServerSec: "server time used",
  nodes: "nodes",
  keys: "keys",
  balanceMaxOverMean: "fullest node over the mean",
  balanceMinOverMean: "emptiest node over the mean",
  movedOnJoin: "keys moved when a node joined",
  idealMovedOnJoin: "ideal on join (K/N)",
  movedOnLeave: "keys moved when a node left",
  idealMovedOnLeave: "ideal on leave (K/N)",
  movedFraction: "share of keys moved",
  strayMoves: "keys moved between two nodes that stayed",
  ratePerSec: "limit",
  burst: "burst allowed",
  admitted: "admitted",
  windowMaxOverLimit: "most admitted in any second, over the limit",
  totalOverLimit: "admitted over the whole run, over the limit",
  saturatedUse: "use of the limit by a saturating client",
  lightAdmitted: "light clients' requests admitted",
  spikeSize: "burst size offered",
  spikeAdmitted: "burst admitted",
  outageAttemptsPerSec: "attempts on the failing service during the outage",
  outageFailMeanMs: "mean time to fail during the outage",
  recoveryOkRatio: "succeeded after the service recovered",
  dbReadsPerSec: "database reads",
  dbWritesPerSec: "database writes",
  staleReads: "stale reads",
  staleRatio: "stale-read rate",
  lostWrites: "writes lost in the crash",
  latencyBeforeP50Ms: "p50 before the fault",
  latencyBeforeP99Ms: "p99 before the fault",
  latencyDuringP50Ms: "p50 during the fault",
  latencyDuringP99Ms: "p99 during the fault",
  latencyAfterP50Ms: "p50 after the fault",
  latencyAfterP99Ms: "p99 after the fault",
  okBefore: "succeeded, sent before the fault",
  okDuring: "succeeded, sent during the fault",
  okAfter: "succeeded, sent after the fault",
  littleL: "requests in the system (L)",
  littleLambdaPerMs: "arrival rate (λ, per ms)",
  littleWMs: "time in the system (W)",
};

const pct = (v: number) => Math.round(v * 1000) / 10;

const PHASE_GROUP = "Latency before, during and after the fault";
const PHASES = [
  ["Before", "before"],
  ["During", "during"],
  ["After", "after"],
] as const;

/**
 * p50 and p99 of the requests sent in each phase of the fault window. A phase in which no request
 * succeeded (every call failed while the service was down) has no latency: its bar says so instead of
 * drawing a zero that would read as fast.
 */
function phaseLatencyChart(m: Metrics): BarChart | undefined {
  if (!PHASES.some(([key]) => m[`latency${key}P99Ms`] !== undefined)) return undefined;
  const bars: BarChart["bars"] = [];
  for (const [key, name] of PHASES) {
    const p50 = m[`latency${key}P50Ms`];
    const p99 = m[`latency${key}P99Ms`];
    if (p50 === undefined || p99 === undefined) {
      bars.push({ label: `${name}: none ok`, value: 0 });
      continue;
    }
    bars.push({ label: `${name} p50`, value: p50 }, { label: `${name} p99`, value: p99 });
  }
  return { title: "Latency of the requests sent before, during and after the fault", unit: "ms", bars };
}

const GROUPS: GroupSpec[] = [
  {
    title: "Hit ratio against exact LRU and the optimum",
    keys: ["hitRatio", "lruHitRatio", "optimalHitRatio", "hits", "lruHits", "optimalHits", "reads", "capacity", "wrongValues", "usPerOp"],
    chart: (m) =>
      m.hitRatio === undefined
        ? undefined
        : {
            title: "Hit ratio",
            unit: "%",
            bars: [
              { label: "yours", value: pct(m.hitRatio) },
              ...(m.lruHitRatio !== undefined ? [{ label: "exact LRU", value: pct(m.lruHitRatio) }] : []),
              ...(m.optimalHitRatio !== undefined ? [{ label: "optimum", value: pct(m.optimalHitRatio) }] : []),
            ],
          },
  },
  {
    title: "Keys on the ring",
    keys: ["nodes", "keys", "movedOnJoin", "idealMovedOnJoin", "movedOnLeave", "idealMovedOnLeave", "movedFraction", "strayMoves", "balanceMaxOverMean", "balanceMinOverMean"],
    chart: (m) =>
      m.movedOnJoin === undefined
        ? undefined
        : {
            title: "Keys moved, against the ideal K/N",
            unit: "",
            bars: [
              { label: "join", value: m.movedOnJoin },
              { label: "ideal", value: m.idealMovedOnJoin ?? 0 },
              { label: "leave", value: m.movedOnLeave ?? 0 },
              { label: "ideal", value: m.idealMovedOnLeave ?? 0 },
            ],
          },
  },
  {
    title: "Admitted against the limit",
    keys: ["ratePerSec", "burst", "admitted", "windowMaxOverLimit", "totalOverLimit", "saturatedUse", "lightAdmitted", "spikeSize", "spikeAdmitted"],
    chart: (m) =>
      m.windowMaxOverLimit === undefined
        ? undefined
        : {
            title: "Admitted, as a share of the limit",
            unit: "%",
            limit: { value: 100, label: "the limit" },
            bars: [
              { label: "worst 1 s", value: pct(m.windowMaxOverLimit), tone: m.windowMaxOverLimit > 1.05 ? "bad" : undefined },
              ...(m.totalOverLimit !== undefined ? [{ label: "whole run", value: pct(m.totalOverLimit) }] : []),
            ],
          },
  },
  {
    title: "During the outage",
    keys: ["outageAttemptsPerSec", "outageFailMeanMs", "failedFast", "recoveryOkRatio", "attemptsPerRequest"],
  },
  {
    title: "Load across servers",
    keys: ["imbalance", "utilisationMax", "stickyRatio", "invalidPicks", "costServerSec"],
  },
  {
    title: "Backing store",
    keys: ["dbReadsPerSec", "dbWritesPerSec", "staleReads", "staleRatio", "lostWrites"],
  },
  {
    title: "Requests",
    keys: ["requests", "ok", "errors", "timeouts", "dropped", "failedRequests", "errorRate", "throughputPerSec", "offeredPerSec"],
  },
  {
    title: "Latency, from each request's intended send time",
    keys: ["latencyP50Ms", "latencyP99Ms", "latencyP999Ms", "latencyMaxMs", "latencyMeanMs", "hotLatencyP99Ms", "writeLatencyP99Ms"],
    chart: (m) => {
      const bars = (["latencyP50Ms", "latencyP99Ms", "latencyP999Ms", "latencyMaxMs"] as const)
        .filter((k) => m[k] !== undefined)
        .map((k) => ({ label: LABELS[k]!, value: m[k]! }));
      return bars.length ? { title: "Request latency", unit: "ms", bars } : undefined;
    },
  },
  {
    title: PHASE_GROUP,
    keys: ["latencyBeforeP50Ms", "latencyBeforeP99Ms", "latencyDuringP50Ms", "latencyDuringP99Ms", "latencyAfterP50Ms", "latencyAfterP99Ms", "okBefore", "okDuring", "okAfter"],
    chart: phaseLatencyChart,
  },
  {
    title: "Queueing (Little's law: L = λW)",
    keys: ["littleL", "littleLambdaPerMs", "littleWMs"],
  },
];

/** Shown in the run line (how long grading took), not as a figure of the design. */
const RUN_KEYS = new Set(["events", "simulatedMs", "wallMs"]);

const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
export const labelOf = (key: string) => LABELS[key] ?? words(key);

/** A figure with its unit, inferred from the metric's name. */
export function formatFigure(key: string, value: number): string {
  const round = (v: number, digits: number) => Number(v.toFixed(digits)).toLocaleString("en");
  if (/(Ratio|Fraction)$|^(errorRate|lightAdmitted|utilisationMax|saturatedUse)$/.test(key)) return `${round(value * 100, 1)}%`;
  if (/(OverMean|OverLimit)$|^imbalance$/.test(key)) return `${round(value, 3)}×`;
  if (/Ms$/.test(key)) return `${round(value, value >= 100 ? 0 : 1)} ms`;
  if (/PerSec$/.test(key)) return `${round(value, 1)}/s`;
  if (key === "usPerOp") return `${round(value, 2)} µs`;
  if (key === "costServerSec") return `${round(value, 1)} server·s`;
  if (key === "littleLambdaPerMs") return round(value, 3);
  return round(value, Number.isInteger(value) ? 0 : 2);
}

const figure = (m: Metrics, key: string): Figure => ({ key, label: labelOf(key), value: m[key]!, text: formatFigure(key, m[key]!) });

/** The run's figures in groups, in reading order; groups with no figure are left out. */
export function groupFigures(metrics: Metrics): FigureGroup[] {
  const used = new Set(RUN_KEYS);
  const groups: FigureGroup[] = [];
  for (const spec of GROUPS) {
    const keys = spec.keys.filter((k) => typeof metrics[k] === "number" && !used.has(k));
    if (keys.length === 0) continue;
    for (const k of keys) used.add(k);
    const chart = spec.chart?.(metrics);
    groups.push({ title: spec.title, figures: keys.map((k) => figure(metrics, k)), ...(chart ? { chart } : {}) });
  }
  const rest = Object.keys(metrics).filter((k) => typeof metrics[k] === "number" && !used.has(k));
  if (rest.length) groups.push({ title: "Other figures", figures: rest.map((k) => figure(metrics, k)) });
  return groups;
}

/**
 * The few figures that say how a run went, for the per-scenario summary: the measure each kind of
 * system is judged on first, then its cost. In this order, the first four a run has.
 */
const HEADLINE = [
  "hitRatio",
  "lruHitRatio",
  "optimalHitRatio",
  "usPerOp",
  "movedOnJoin",
  "idealMovedOnJoin",
  "balanceMaxOverMean",
  "windowMaxOverLimit",
  "lightAdmitted",
  "spikeAdmitted",
  "outageAttemptsPerSec",
  "recoveryOkRatio",
  "failedFast",
  "imbalance",
  "stickyRatio",
  "staleRatio",
  "lostWrites",
  "dbReadsPerSec",
  "latencyP99Ms",
  "failedRequests",
  "errorRate",
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
};

/** Headline figures of a scenario over its seeds (the median seed's value of each). */
export function headlineFigures(runs: Metrics[], count = 4): Figure[] {
  const keys = HEADLINE.filter((k) => runs.some((m) => typeof m[k] === "number")).slice(0, count);
  return keys.map((key) => {
    const value = median(runs.flatMap((m) => (typeof m[key] === "number" ? [m[key]!] : [])));
    return { key, label: labelOf(key), value, text: formatFigure(key, value) };
  });
}

const byClientNumber = (a: string, b: string) => Number(/(\d+)$/.exec(a)?.[1] ?? 0) - Number(/(\d+)$/.exec(b)?.[1] ?? 0);

/** A chart drawn from a run's series (test.series), under the figure group it explains. */
export type SeriesChart =
  | { kind: "stacked"; group: string; keys: string[]; chart: StackedChart }
  | { kind: "columns"; group: string; keys: string[]; chart: ColumnChart }
  | { kind: "bars"; group: string; keys: string[]; chart: BarChart };

export type Series = Record<string, number[]>;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const OTHER_SERIES_GROUP = "Over the run";
/** Series that describe the set-up, not what happened: not charted (failServers marks the servers' labels). */
const NOT_CHARTED = new Set(["weights", "failServers", "errorShares", "admittedClient"]);

/**
 * Charts of the series a component run measured: requests per server (split by the fault's windows
 * when the system counts them), admitted per second against the limit, keys per node against a fair
 * share; any other series as columns (per second when its name ends in PerSec). Pure.
 */
export function seriesCharts(series: Series | undefined, metrics: Metrics = {}): SeriesChart[] {
  if (!series) return [];
  const charts: SeriesChart[] = [];
  const used = new Set<string>(NOT_CHARTED);
  const has = (key: string, length?: number) => Array.isArray(series[key]) && series[key]!.length > 0 && (length === undefined || series[key]!.length === length);

  if (has("sentPerServer")) {
    const sent = series.sentPerServer!;
    const n = sent.length;
    const failed = new Set(has("failServers") ? series.failServers! : []);
    const server = (i: number) => (failed.has(i) ? `server ${i} ✕` : `server ${i}`);
    used.add("sentPerServer").add("servedPerServer");
    if (has("sentDuringOutage", n) && sum(series.sentDuringOutage!) > 0) {
      const during = series.sentDuringOutage!;
      const after = has("sentAfterRecovery", n) ? series.sentAfterRecovery! : new Array<number>(n).fill(0);
      used.add("sentDuringOutage").add("sentAfterRecovery");
      const parts = has("sentAfterRecovery", n) ? ["other times", "outage", "after recovery"] : ["other times", "outage"];
      charts.push({
        kind: "stacked",
        group: "Load across servers",
        keys: ["sentPerServer", "sentDuringOutage", ...(has("sentAfterRecovery", n) ? ["sentAfterRecovery"] : [])],
        chart: {
          title: failed.size ? "Requests per server, during and outside the fault window (✕ failed)" : "Requests per server, during and outside the fault window",
          unit: "",
          parts,
          rows: sent.map((total, i) => {
            const rest = Math.max(0, total - during[i]! - after[i]!);
            return { label: server(i), values: parts.length === 3 ? [rest, during[i]!, after[i]!] : [rest, during[i]!] };
          }),
        },
      });
    } else {
      // No outage in this scenario (or the system does not count one): the windows' series are zeros.
      used.add("sentDuringOutage").add("sentAfterRecovery");
      charts.push({ kind: "bars", group: "Load across servers", keys: ["sentPerServer"], chart: { title: "Requests per server", unit: "", bars: sent.map((value, i) => ({ label: server(i), value })) } });
    }
  }

  if (has("utilisation")) {
    used.add("utilisation");
    charts.push({ kind: "bars", group: "Load across servers", keys: ["utilisation"], chart: { title: "Utilisation per server", unit: "%", limit: { value: 100, label: "fully busy" }, bars: series.utilisation!.map((u, i) => ({ label: `server ${i}`, value: Math.round(u * 1000) / 10 })) } });
  }

  if (has("admittedPerSec")) {
    used.add("admittedPerSec");
    const perSec = series.admittedPerSec!;
    const clients = metrics.clients ?? (has("admitted") ? series.admitted!.length : 1);
    const limit = typeof metrics.ratePerSec === "number" ? metrics.ratePerSec * Math.max(1, clients) : undefined;
    const burst = (metrics.burst ?? 0) * Math.max(1, clients);
    charts.push({
      kind: "columns",
      group: "Admitted against the limit",
      keys: ["admittedPerSec"],
      chart: {
        title: clients > 1 ? `Admitted per second, all ${clients} clients` : "Admitted per second",
        unit: "/s",
        values: perSec,
        label: (i) => `${i}`,
        axis: "second of the run",
        ...(limit !== undefined ? { reference: { value: limit, label: clients > 1 ? `limit × ${clients}` : "limit" } } : {}),
        ...(limit !== undefined ? { bad: (v: number, i: number) => v > limit * 1.05 + (i === 0 ? burst : 0) } : {}),
      },
    });
  }

  // Per listed client (the rate limiter's admittedPerSec.client-1…): what it got each second, against the
  // limit. A token bucket of the limit admits at most the limit plus its burst in any one second.
  for (const key of Object.keys(series).filter((k) => /^admittedPerSec\./.test(k)).sort(byClientNumber)) {
    used.add(key);
    const client = key.slice("admittedPerSec.".length);
    const i = Number(/(\d+)$/.exec(client)?.[1] ?? 0) - 1;
    const offeredRate = has("offered") && metrics.durationMs ? (series.offered![i] ?? 0) / (metrics.durationMs / 1000) : undefined;
    const limit = metrics.ratePerSec;
    const most = limit !== undefined ? limit + (metrics.burst ?? 0) : undefined;
    charts.push({
      kind: "columns",
      group: "Admitted against the limit",
      keys: [key],
      chart: {
        title: `Admitted per second, ${client}${offeredRate !== undefined ? ` (offers ${Math.round(offeredRate).toLocaleString("en")}/s)` : ""}`,
        unit: "/s",
        values: series[key]!,
        label: (s) => `${s}`,
        axis: "second of the run",
        ...(limit !== undefined ? { reference: { value: limit, label: "limit" } } : {}),
        ...(most !== undefined ? { bad: (v: number) => v > most } : {}),
      },
    });
  }

  // Calls that reached a downstream each second (the circuit breaker's attemptsPerSec), with its outage
  // shaded: a retry storm stands out as a block of tall columns inside the band, a breaker as a gap.
  // No column is marked bad: how many calls a task allows is its check's to say (retry-storm).
  if (has("attemptsPerSec")) {
    used.add("attemptsPerSec");
    const from = metrics.outageFromMs;
    const to = metrics.outageToMs;
    charts.push({
      kind: "columns",
      group: "During the outage",
      keys: ["attemptsPerSec"],
      chart: {
        title: "Calls reaching the downstream per second",
        unit: "/s",
        values: series.attemptsPerSec!,
        label: (s) => `${s}`,
        axis: "second of the run",
        ...(metrics.offeredPerSec !== undefined ? { reference: { value: metrics.offeredPerSec, label: "requests arriving" } } : {}),
        ...(from !== undefined && to !== undefined ? { band: { from: from / 1000, to: to / 1000, label: "downstream down" } } : {}),
      },
    });
  }

  const ring = (["keysPerNode", "keysPerNodeAfterJoin", "keysPerNodeAfterLeave"] as const).filter((k) => has(k));
  const ringTitle: Record<string, string> = { keysPerNode: "Keys per node", keysPerNodeAfterJoin: "Keys per node after a node joined", keysPerNodeAfterLeave: "Keys per node after a node left" };
  for (const key of ring) {
    used.add(key);
    const values = series[key]!;
    charts.push({
      kind: "columns",
      group: "Keys on the ring",
      keys: [key],
      chart: { title: ringTitle[key]!, unit: "", values, label: (i) => `${i + 1}`, axis: "node", reference: { value: sum(values) / values.length, label: "fair share" } },
    });
  }

  for (const key of Object.keys(series).sort()) {
    const values = series[key]!;
    // Event times (…AtMs) are charted as their per-second counts (…PerSec), which the harness adds.
    if (used.has(key) || /AtMs$/.test(key) || !Array.isArray(values) || values.length < 2) continue;
    const perSec = /PerSec$/.test(key);
    charts.push({
      kind: "columns",
      group: OTHER_SERIES_GROUP,
      keys: [key],
      chart: { title: perSec ? `${labelOf(key.replace(/PerSec$/, ""))} per second` : labelOf(key), unit: perSec ? "/s" : "", values, label: (i) => `${i}`, axis: perSec ? "second of the run" : "" },
    });
  }
  return charts;
}
