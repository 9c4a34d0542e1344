import type { Results } from "../../graders/index.ts";

const usd = (x: number) => `$${Math.round(x).toLocaleString("en-US")}/month`;
/** A design run measured a fault's phases (its figures per phase exist only then): recovery figures mean something. */
const hadFault = (m: Record<string, number>) => Object.keys(m).some((k) => k.endsWith(".during.availability"));

/**
 * Figures of component and design runs worth a line, in the order shown, with their labels in words and
 * their units (a design run's raw keys, such as costUsdPerMonth or p99Ratio, are no reading for a person).
 * An optional condition says when a figure means something.
 */
const shown: Array<[key: string, label: string, format: (x: number) => string, when?: (m: Record<string, number>) => boolean]> = [
  ["requests", "requests", String],
  ["throughputPerSec", "throughput", (x) => `${x}/s`],
  ["latencyP50Ms", "p50", (x) => `${x} ms`],
  ["latencyP99Ms", "p99", (x) => `${x} ms`],
  ["latencyP999Ms", "p999", (x) => `${x} ms`],
  ["errorRate", "errors", (x) => `${(x * 100).toFixed(2)}%`],
  ["imbalance", "imbalance", (x) => `${x}×`],
  ["stickyRatio", "sticky", (x) => `${(x * 100).toFixed(1)}%`],
  ["hitRatio", "hit ratio", (x) => `${(x * 100).toFixed(1)}%`],
  ["balanceMaxOverMean", "balance", (x) => `${x}×`],
  ["movedOnJoin", "moved on join", String],
  ["movedOnLeave", "moved on leave", String],
  ["idealMovedOnJoin", "ideal", String],
  ["costServerSec", "cost", (x) => `${x} server-s`],
  ["lruHitRatio", "exact LRU", (x) => `${(x * 100).toFixed(1)}%`],
  ["optimalHitRatio", "optimum", (x) => `${(x * 100).toFixed(1)}%`],
  ["usPerOp", "speed", (x) => `${x} µs/op`],
  ["admitted", "admitted", String],
  ["windowMaxOverLimit", "busiest second", (x) => `${x}× the limit`],
  ["saturatedUse", "greedy client", (x) => `${(x * 100).toFixed(1)}% of its limit`],
  ["lightAdmitted", "light clients", (x) => `${(x * 100).toFixed(1)}% admitted`],
  ["attemptsPerRequest", "attempts/request", String],
  ["outageAttemptsPerSec", "calls during outage", (x) => `${x}/s`],
  ["outageFailMeanMs", "time to fail", (x) => `${x} ms`],
  ["recoveryOkRatio", "recovery", (x) => `${(x * 100).toFixed(1)}%`],
  ["staleRatio", "stale reads", (x) => `${(x * 100).toFixed(2)}%`],
  ["lostWrites", "lost writes", String],
  ["writeLatencyP99Ms", "write p99", (x) => `${x} ms`],
  ["hotLatencyP99Ms", "hot-key p99", (x) => `${x} ms`],
  // Design runs: recovery, durability and cost, beside the reference design's on the same seed.
  ["rtoSec", "recovery time (RTO)", (x) => (x < 0 ? "never recovered" : `${x} s`), hadFault],
  ["rpoSec", "data-loss window (RPO)", (x) => `${x} s`, hadFault],
  ["lostWritesReal", "acknowledged writes lost", (x) => `about ${x}`, hadFault],
  ["costUsdPerMonth", "cost", usd],
  ["referenceCostUsdPerMonth", "reference design's cost", usd],
  ["costRatio", "cost over the reference's", (x) => `${x}×`],
  ["referenceLatencyP99Ms", "reference design's p99", (x) => `${x} ms`],
  ["p99Ratio", "p99 over the reference's", (x) => `${x}×`],
  ["sampleWeight", "each simulated request stands for", (x) => `${x} real ones`],
];

/**
 * The figures of a component or design exercise's runs, one line per scenario (its first seed that measured any), so that a grade
 * shows what the simulated system measured and not only whether it passed.
 */
export function renderComponentFigures(results: Results): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const test of results.tests) {
    // A run that errored or was skipped measured nothing: the scenario's next seed may have.
    if (seen.has(test.name) || test.status === "skipped") continue;
    // Every run carries latency metrics (zero without requests): show them only for request systems.
    const parts = shown.filter(([key, , , when]) => test.metrics[key] !== undefined && (test.metrics.requests !== undefined || !key.startsWith("latency")) && (!when || when(test.metrics))).map(([key, label, format]) => `${label} ${format(test.metrics[key]!)}`);
    if (parts.length === 0) continue;
    seen.add(test.name);
    lines.push(`  ${test.name} (seed ${test.seed}): ${parts.join(", ")}`);
  }
  return lines.length ? `figures:\n${lines.join("\n")}\n` : "";
}
