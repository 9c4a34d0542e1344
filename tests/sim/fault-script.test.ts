// Scripted faults (graders/sim/fault-script.ts): steps that wait for a time or for a message a node sends,
// bind what it said, and cut, heal, crash or restart nodes. Nodes here are plain functions returning effect
// lines, so each test knows exactly what was sent and when.
import { describe, expect, it } from "vitest";
import { Simulator, type NodeEntry } from "../../graders/sim/simulator.ts";
import { assertScenario } from "../../graders/sim/knobs.ts";
import type { Knobs, ScenarioSpec, ScriptStep } from "../../graders/sim/scenario.ts";
import { encodeEffects, encodeSend, encodeTimer } from "../../graders/protocol/effects.ts";
import type { Workload } from "../../graders/workloads/types.ts";

const base: ScenarioSpec = {
  name: "script",
  nodes: 3,
  durationMs: 400,
  settleMs: 50,
  network: { latency: { dist: "constant", ms: 2 } },
  workload: { name: "none", rate: 1, clients: 1 },
};

const idle: Workload = { name: "none", summary: "", rpcs: [], checks: {}, driver: () => ({ start() {}, final() {} }) };

/** n1 sends n2 `{type: "tick", round}` every 10 ms (round 1, 2, …); every node counts its boots. */
function run(script: ScriptStep[] | undefined) {
  const scenario: ScenarioSpec = { ...base, faults: script ? { script } : undefined };
  const ids = ["n1", "n2", "n3"];
  const knobs: Knobs = { seed: 1, nodeIds: ids, latency: { dist: "constant", ms: 2 }, lossRate: 0, duplicateRate: 0, clocks: Object.fromEntries(ids.map((id) => [id, { skewMs: 0, driftPpm: 0 }])), faults: [] };
  const sim = new Simulator(scenario, knobs, idle);
  const boots: Array<{ node: string; atMs: number }> = [];
  let round = 0;
  const entryFor = (id: string): NodeEntry => (kind, trueMs) => {
    if (kind === "init") {
      boots.push({ node: id, atMs: trueMs });
      return encodeEffects(false, id === "n1" ? [encodeTimer(1, 10)] : []);
    }
    if (kind === "timer" && id === "n1") return encodeEffects(false, [encodeSend("n2", "tick", JSON.stringify({ type: "tick", round: ++round })), encodeTimer(1, 10)]);
    return encodeEffects(false, []);
  };
  for (const id of ids) sim.attach(id, entryFor(id));
  for (let signal = sim.run(); signal !== "done"; signal = sim.run()) {
    if (signal.startsWith("restart ")) sim.attach(signal.slice(8), entryFor(signal.slice(8)));
  }
  const data = sim.resultData();
  const ticks = data.trace.filter((t) => t.type === "tick");
  return { data, boots, ticks };
}

describe("scripted faults", () => {
  const cutAtRound3: ScriptStep[] = [
    { when: { from: ["n1"], to: "node", body: { type: "tick", round: { gte: 3 } }, bind: { who: "src", r: "round" } }, do: [{ partition: [["$who"], ["*"]] }] },
    { when: { from: ["$who"], body: { round: { gt: "$r" } } }, do: [] },
    { afterMs: 50, do: [{ heal: true }] },
  ];

  it("fire on the first matching message, after the step that sent it; bound names pick the nodes", () => {
    const { data, ticks } = run(cutAtRound3);
    // Round 3 (sent at 30 ms) fired the cut: it was delivered, and rounds 4… were cut until the heal 50 ms
    // after round 4 was seen (at 40 ms).
    expect(ticks.slice(0, 3).map((t) => t.fate)).toEqual(["delivered", "delivered", "delivered"]);
    const cut = ticks.filter((t) => t.fate === "partition").map((t) => t.sendMs);
    expect(cut).toEqual([40, 50, 60, 70, 80]);
    expect(ticks.find((t) => t.sendMs === 90)?.fate).toBe("delivered");
    expect(data.scriptedFaults).toEqual([
      { atMs: 30, kind: "partition", label: "scripted {n1} | {n2 n3}", blocked: [["n1", "n2"], ["n1", "n3"], ["n2", "n1"], ["n3", "n1"]] },
      { atMs: 90, kind: "heal" },
    ]);
  });

  it("crash and restart nodes at times; a step that is never matched leaves the rest of the script waiting", () => {
    const { data, boots } = run([
      { atMs: 100, do: [{ crash: "n3" }] },
      { afterMs: 20, do: [{ restart: "n3" }] },
      { when: { body: { type: "never" } }, do: [{ crash: "n2" }] },
    ]);
    expect(boots.filter((b) => b.node === "n3").map((b) => b.atMs)).toEqual([0, 120]);
    expect(boots.filter((b) => b.node === "n2")).toHaveLength(1);
    expect(data.scriptedFaults?.map((f) => f.kind)).toEqual(["crash", "restart"]);
  });

  it("give up a step that waits longer than withinMs: the script heals its cuts and ends", () => {
    const { data, ticks } = run([
      { atMs: 20, do: [{ partition: [["n1"], ["*"]] }] },
      { withinMs: 50, when: { body: { type: "never" } }, do: [{ crash: "n2" }] },
      { afterMs: 10, do: [{ partition: [["n1"], ["*"]] }] },
    ]);
    // Cut from 20 ms; the wait gave up at the first message after 70 ms (n1's tick at 80 ms, which still
    // went out cut, as the heal comes when its step ends); nothing after.
    expect(data.scriptedFaults?.map((f) => `${f.atMs} ${f.kind}`)).toEqual(["20 partition", "80 heal"]);
    expect(ticks.filter((t) => t.fate === "partition").map((t) => t.sendMs)).toEqual([20, 30, 40, 50, 60, 70, 80]);
  });

  it("change nothing when a scenario has none: the run's data has no scriptedFaults and the same trace", () => {
    const without = run(undefined);
    expect(without.data.scriptedFaults).toBeUndefined();
    expect(without.ticks.some((t) => t.fate === "partition")).toBe(false);
    expect(run([]).data.trace).toEqual(without.data.trace);
  });

  it("are checked with the scenario: unknown nodes and names no earlier step bound are refused", () => {
    expect(() => assertScenario({ ...base, faults: { script: [{ atMs: 5, do: [{ crash: "n9" }] }] } })).toThrow(/"n9" is not a node/);
    expect(() => assertScenario({ ...base, faults: { script: [{ atMs: 5, do: [{ partition: [["$leader"], ["*"]] }] }] } })).toThrow(/"\$leader" is not a node or a name bound/);
    expect(() => assertScenario({ ...base, faults: { script: [{ when: { body: { term: { gt: "$t" } } }, do: [] }] } })).toThrow(/"\$t" is not bound/);
    expect(() => assertScenario({ ...base, faults: { script: cutAtRound3 } })).not.toThrow();
  });
});
