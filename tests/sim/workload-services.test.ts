// A workload's service on the cluster's network (ClientApi.serve): nodes reach it like a peer, its answers
// go back to the life of the node that asked, and an address that is neither node, client nor service is
// still an error.
import { expect, it } from "vitest";
import { Simulator, type NodeEntry } from "../../graders/sim/simulator.ts";
import type { FaultEvent, Knobs, ScenarioSpec } from "../../graders/sim/scenario.ts";
import { encodeEffects, encodeSend, encodeTimer } from "../../graders/protocol/effects.ts";
import type { Workload } from "../../graders/workloads/types.ts";

function run(faults: FaultEvent[], replyAfterMs: number) {
  const scenario: ScenarioSpec = { name: "svc", nodes: 1, durationMs: 500, settleMs: 100, network: { latency: { dist: "constant", ms: 2 } }, workload: { name: "none", rate: 1, clients: 1 } };
  const knobs: Knobs = { seed: 1, nodeIds: ["n1"], latency: { dist: "constant", ms: 2 }, lossRate: 0, duplicateRate: 0, clocks: { n1: { skewMs: 0, driftPpm: 0 } }, faults };
  const asked: Array<{ src: string; type: string; atMs: number }> = [];
  const workload: Workload = {
    name: "none",
    summary: "",
    rpcs: [],
    checks: {},
    driver: (api) => ({
      start: () =>
        api.serve("svc", (src, body, reply) => {
          asked.push({ src, type: body.type, atMs: api.now() });
          api.at(replyAfterMs, () => reply({ type: "ping_ok" }));
        }),
      final: () => {},
    }),
  };
  const heard: Array<{ atMs: number; src: string; body: Record<string, unknown> }> = [];
  const entry: NodeEntry = (kind, trueMs, arg, src) => {
    if (kind === "init") return encodeEffects(false, [encodeTimer(1, 10)]);
    if (kind === "timer") return encodeEffects(false, [encodeSend("svc", "ping", JSON.stringify({ type: "ping", msg_id: 7 })), encodeSend("nobody", "ping", JSON.stringify({ type: "ping" }))]);
    if (kind === "msg") heard.push({ atMs: trueMs, src, body: JSON.parse(arg) });
    return encodeEffects(false, []);
  };
  const sim = new Simulator(scenario, knobs, workload);
  sim.attach("n1", entry);
  for (let signal = sim.run(); signal !== "done"; signal = sim.run()) if (signal.startsWith("restart ")) sim.attach("n1", entry);
  return { asked, heard, errors: sim.resultData().errors };
}

it("a node's request reaches the service, and its answer comes back with in_reply_to", () => {
  const { asked, heard, errors } = run([], 5);
  expect(asked).toEqual([{ src: "n1", type: "ping", atMs: 12 }]);
  expect(heard).toEqual([{ atMs: 19, src: "svc", body: { type: "ping_ok", in_reply_to: 7 } }]);
  expect(errors.map((e) => e.text)).toEqual([expect.stringMatching(/"nobody", which is not a node or client/)]);
});

it("an answer for a node that crashed in between is not delivered to its next life", () => {
  const { asked, heard } = run([{ atMs: 20, kind: "crash", node: "n1" }, { atMs: 30, kind: "restart", node: "n1" }], 50);
  // The restarted node asked again at 40 ms; only that request's answer reaches it.
  expect(asked.map((a) => a.atMs)).toEqual([12, 42]);
  expect(heard.map((h) => h.atMs)).toEqual([94]);
});
