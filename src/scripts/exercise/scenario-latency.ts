// A node exercise's headline latency, one row per scenario. One figure over the whole grade would mix
// scenarios whose hops take 1–10 ms with one at 100 ms per hop, and describe neither. Pure.
import type { TestResult } from "../../../graders/index.ts";

export interface ScenarioLatency {
  scenarioIndex: number;
  /** "<task> > <scenario>" */
  name: string;
  taskId: string;
  seeds: number;
  /** Medians over the scenario's seeds, except `maxMs`, the worst seed's. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  msgsPerOp?: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
};

export function latencyByScenario(tests: Pick<TestResult, "scenarioIndex" | "name" | "taskId" | "metrics">[]): ScenarioLatency[] {
  const byScenario = new Map<number, typeof tests>();
  for (const test of tests) {
    if (typeof test.metrics.latencyP50Ms !== "number") continue; // an error or a skipped run measured nothing
    const list = byScenario.get(test.scenarioIndex) ?? [];
    list.push(test);
    byScenario.set(test.scenarioIndex, list);
  }
  return [...byScenario.entries()]
    .sort(([a], [b]) => a - b)
    .map(([scenarioIndex, runs]) => {
      const values = (key: string) => runs.flatMap((t) => (typeof t.metrics[key] === "number" ? [t.metrics[key]!] : []));
      const msgs = values("msgsPerOp");
      return {
        scenarioIndex,
        name: runs[0]!.name,
        taskId: runs[0]!.taskId,
        seeds: runs.length,
        p50Ms: median(values("latencyP50Ms")),
        p99Ms: median(values("latencyP99Ms").length ? values("latencyP99Ms") : values("latencyP50Ms")),
        maxMs: Math.max(...(values("latencyMaxMs").length ? values("latencyMaxMs") : values("latencyP50Ms"))),
        ...(msgs.length ? { msgsPerOp: median(msgs) } : {}),
      };
    });
}
