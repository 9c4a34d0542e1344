// Faults end at the heal, targeted crashes too: a crash armed before the heal that would strike after it
// would leave its node down for the rest of the run (restarts are scheduled in the safety phase only).
import { expect, it } from "vitest";
import { Simulator, type NodeEntry } from "../../graders/sim/simulator.ts";
import type { Knobs, ScenarioSpec } from "../../graders/sim/scenario.ts";
import { encodeEffects, encodeSend, encodeStorage, encodeTimer } from "../../graders/protocol/effects.ts";
import type { Workload } from "../../graders/workloads/types.ts";

const idle: Workload = { name: "none", summary: "", rpcs: [], checks: {}, driver: () => ({ start: () => {}, final: () => {} }) };

it("a crash armed before the heal does not strike after it", () => {
  const scenario: ScenarioSpec = { name: "heal", nodes: 2, durationMs: 500, settleMs: 500, network: { latency: { dist: "constant", ms: 2 } }, workload: { name: "none", rate: 1, clients: 1 } };
  const knobs: Knobs = {
    seed: 1,
    nodeIds: ["n1", "n2"],
    latency: { dist: "constant", ms: 2 },
    lossRate: 0,
    duplicateRate: 0,
    clocks: { n1: { skewMs: 0, driftPpm: 0 }, n2: { skewMs: 0, driftPpm: 0 } },
    // Armed at 100 ms; n1's first storage write comes at 600 ms, after the heal at 500 ms.
    faults: [{ atMs: 100, kind: "crash-point", node: "n1", point: "after-storage-write", nth: 1, downMs: 5 }],
  };
  const pings: number[] = [];
  const entry = (id: string): NodeEntry => (kind, trueMs, arg) => {
    if (id === "n2") {
      if (kind === "msg") pings.push(trueMs);
      return encodeEffects(false, []);
    }
    if (kind === "init") return encodeEffects(false, [encodeTimer(1, 600)]);
    if (kind === "timer" && arg === "1") return encodeEffects(false, [encodeStorage(JSON.stringify("k"), "1"), encodeTimer(2, 100)]);
    if (kind === "timer") return encodeEffects(false, [encodeSend("n2", "ping", JSON.stringify({ type: "ping" }))]);
    return encodeEffects(false, []);
  };
  const sim = new Simulator(scenario, knobs, idle);
  for (const id of knobs.nodeIds) sim.attach(id, entry(id));
  for (let signal = sim.run(); signal !== "done"; signal = sim.run()) {
    if (signal.startsWith("restart ")) sim.attach(signal.slice(8), entry(signal.slice(8)));
  }
  // n1 wrote at 600 ms without crashing, so its next timer sent n2 a ping.
  expect(pings).toEqual([702]);
});
