/** The node harness: the learner writes every node of a cluster; the simulator runs them (sim/simulator.ts). */
import { Simulator } from "../../sim/simulator.ts";
import { describeLatency } from "../../sim/knobs.ts";
import { describeFault, type Knobs } from "../../sim/scenario.ts";
import { createNodeRuntime } from "./realm/runtime.ts";
import { workloads, getWorkload } from "../../workloads/index.ts";
import { genericChecks, okLatencies, runFigures } from "../../checkers/stats.ts";
import { completedOps } from "../../checkers/history-ops.ts";
import { hashText } from "../../report/hash.ts";
import { jsonText } from "../../report/json-text.ts";
import type { NodeRunData } from "./run.ts";
import type { Engine, Harness } from "../types.ts";

/** The knobs a seed expanded into, as lines to print beside the seed. */
export function describeNodeKnobs(knobs: Knobs): string[] {
  const skews = Object.entries(knobs.clocks).filter(([, c]) => c.skewMs || c.driftPpm);
  return [
    `nodes ${knobs.nodeIds.length}, latency ${describeLatency(knobs.latency)}, loss ${knobs.lossRate}, duplicates ${knobs.duplicateRate}`,
    ...(skews.length ? [`clocks ${skews.map(([id, c]) => `${id} ${c.skewMs >= 0 ? "+" : ""}${c.skewMs} ms ${c.driftPpm} ppm`).join(", ")}`] : []),
    ...knobs.faults.slice(0, faultLinesMax).map(describeFault),
    ...(knobs.faults.length > faultLinesMax ? [`… ${knobs.faults.length - faultLinesMax} more faults`] : []),
  ];
}
/** Faults listed beside a seed; the rest are counted (a long run may have hundreds). */
const faultLinesMax = 20;

export const nodeHarness: Harness<NodeRunData> = {
  name: "node",
  runs: (scenario) => Object.hasOwn(workloads, scenario.workload.name),
  scenarioProblems: (scenario) => [
    ...(scenario.nodes === undefined ? ["a node scenario says how many nodes the cluster has (nodes: 1…100)"] : []),
    ...(scenario.realms !== undefined ? ["realms are a component scenario's instances; a node scenario has nodes"] : []),
  ],
  createEngine: (scenario, knobs) => new Simulator(scenario, knobs, getWorkload(scenario.workload.name)) as unknown as Engine,
  createRuntime: createNodeRuntime,
  checks: (scenario) => getWorkload(scenario.workload.name).checks,
  genericChecks,
  describeSystem(name) {
    const workload = getWorkload(name);
    return { kind: "workload", summary: workload.summary, messages: [...workload.rpcs], facts: [] };
  },
  describeKnobs: (_scenario, knobs) => describeNodeKnobs(knobs),
  // Observations of the nodes' state (status probes) are part of what a run did; runs without any hash as before.
  historyHash: (run) => hashText(jsonText(run.observations ? { history: run.history, observations: run.observations } : run.history)),
  figures(run, runWallMs) {
    const figures = runFigures(run);
    return {
      events: run.stats.events,
      simulatedMs: run.stats.simulatedMs,
      wallMs: runWallMs,
      ops: figures.ops,
      msgsPerOp: figures.msgsPerOp,
      latencyP50Ms: figures.latency.p50,
      latencyP99Ms: figures.latency.p99,
      latencyMaxMs: figures.latency.max,
      messagesDropped: run.stats.messagesDropped,
    };
  },
  wireErrorCodes: true,
  // The report's summary line already gives a node run's messages per operation and latency.
  figureLabels: [],
  totals(run) {
    return { ops: completedOps(run.history).length, serverMessages: run.stats.serverMessages, okLatenciesMs: okLatencies(run) };
  },
};
