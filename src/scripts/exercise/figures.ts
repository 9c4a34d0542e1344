// Which charts a result gets: latency percentiles of the selected run, messages per operation over the
// scenario's seeds, and the load on each node (messages sent and received) when the run's trace is known.
import type { TestResult, TraceEntry } from "../../../graders/index.ts";
import type { BarChart } from "./charts.ts";

export function latencyChart(test: TestResult): BarChart | undefined {
  const m = test.metrics;
  const bars = [
    ["p50", m.latencyP50Ms],
    ["p99", m.latencyP99Ms],
    ["max", m.latencyMaxMs],
    ["stable p50", m.stableLatencyP50Ms],
    ["stable max", m.stableLatencyMaxMs],
  ]
    .filter((pair): pair is [string, number] => typeof pair[1] === "number")
    .map(([label, value]) => ({ label, value }));
  return bars.length ? { title: `Operation latency, seed ${test.seed}`, unit: "ms", bars } : undefined;
}

/** Messages per operation for every seed of one scenario, so an outlier seed stands out. */
export function msgsPerOpChart(runs: TestResult[]): BarChart | undefined {
  const bars = runs
    .filter((t) => typeof t.metrics.msgsPerOp === "number")
    .map((t) => ({ label: `seed ${t.seed}`, value: t.metrics.msgsPerOp!, tone: t.check === "msgs-per-op" ? ("bad" as const) : undefined }));
  return bars.length ? { title: "Node-to-node messages per operation", unit: "", bars } : undefined;
}

/** Messages each server node sent plus received in one run (clients left out: they are the load, not a node's). */
export function loadPerNode(trace: TraceEntry[], nodeIds: string[]): Map<string, number> {
  const load = new Map(nodeIds.map((id) => [id, 0]));
  for (const msg of trace) {
    if (load.has(msg.src)) load.set(msg.src, load.get(msg.src)! + 1);
    if (msg.fate === "delivered" && load.has(msg.dest)) load.set(msg.dest, load.get(msg.dest)! + 1);
  }
  return load;
}

export function loadChart(trace: TraceEntry[], nodeIds: string[], truncated: boolean): BarChart | undefined {
  const load = loadPerNode(trace, nodeIds);
  if (load.size === 0) return undefined;
  return {
    title: `Load per node: messages sent and received${truncated ? " (trace cut short)" : ""}`,
    unit: "",
    bars: [...load].map(([label, value]) => ({ label, value })),
  };
}
