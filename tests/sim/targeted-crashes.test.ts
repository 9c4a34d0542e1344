// Targeted crash points and power cycles: the knobs a seed draws for them, and what the simulator does
// when one strikes (graders/sim/scenario.ts, CrashPoint). Nodes here are plain functions that return effect
// lines, so each test says exactly which effects a step made, in which order.
import { describe, expect, it } from "vitest";
import { Simulator, type NodeEntry } from "../../graders/sim/simulator.ts";
import { assertScenario, expandKnobs } from "../../graders/sim/knobs.ts";
import { describeFault, type FaultEvent, type Knobs, type ScenarioSpec } from "../../graders/sim/scenario.ts";
import { encodeEffects, encodeSend, encodeStorage, encodeTimer } from "../../graders/protocol/effects.ts";
import type { ClientEvent, TraceEntry } from "../../graders/sim/history.ts";
import type { Workload } from "../../graders/workloads/types.ts";

const base: ScenarioSpec = {
  name: "points",
  nodes: 5,
  durationMs: 3000,
  settleMs: 100,
  network: { latency: { dist: "constant", ms: 1 } },
  workload: { name: "none", rate: 1, clients: 1 },
};

describe("targeted crash knobs", () => {
  const spec: ScenarioSpec = {
    ...base,
    faults: { partitions: { everyMs: 500, lengthMs: 200 }, targetedCrashes: { everyMs: 100, downMs: 5, at: ["after-storage-write", "after-vote"], nthMax: 3 } },
  };

  it("are drawn from the seed: same seed, same armings; each names a node, a point, an nth and the downtime", () => {
    const a = expandKnobs(spec, 7).faults.filter((f) => f.kind === "crash-point");
    expect(a.length).toBeGreaterThan(10);
    expect(expandKnobs(spec, 7).faults).toEqual(expandKnobs(spec, 7).faults);
    expect(expandKnobs(spec, 8).faults).not.toEqual(expandKnobs(spec, 7).faults);
    for (const f of a) {
      if (f.kind !== "crash-point") continue;
      expect(["n1", "n2", "n3", "n4", "n5"]).toContain(f.node);
      expect(["after-storage-write", "after-vote"]).toContain(f.point);
      expect(f.nth).toBeGreaterThanOrEqual(1);
      expect(f.nth).toBeLessThanOrEqual(3);
      expect(f.downMs).toBe(5);
    }
  });

  it("leave the scenario's other faults as they were (a stream of their own)", () => {
    const without: ScenarioSpec = { ...spec, faults: { partitions: spec.faults!.partitions } };
    expect(expandKnobs(spec, 3).faults.filter((f) => f.kind !== "crash-point")).toEqual(expandKnobs(without, 3).faults);
  });

  it("are printed with the knobs", () => {
    const f: FaultEvent = { atMs: 120, kind: "crash-point", node: "n3", point: "after-storage-write", nth: 2, downMs: 5 };
    expect(describeFault(f)).toBe("120 ms arm crash n3 right after its 2nd storage write, back 5 ms later");
    expect(describeFault({ ...f, point: "after-vote", nth: 1 })).toMatch(/right after its 1st vote/);
    expect(describeFault({ ...f, point: "before-reply", nth: 3 })).toMatch(/just before its 3rd reply to a client/);
  });

  it("power cycles take atOnce distinct nodes down and up together; atOnce 1 is the old single crash", () => {
    const single: ScenarioSpec = { ...base, faults: { crashes: { everyMs: 400, downMs: 10 } } };
    const one: ScenarioSpec = { ...base, faults: { crashes: { everyMs: 400, downMs: 10, atOnce: 1 } } };
    expect(expandKnobs(one, 5)).toEqual(expandKnobs(single, 5));
    const three: ScenarioSpec = { ...base, faults: { crashes: { everyMs: 400, downMs: 10, atOnce: 3 } } };
    const crashes = expandKnobs(three, 5).faults.filter((f) => f.kind === "crash");
    const byTime = Map.groupBy(crashes, (f) => f.atMs);
    expect(byTime.size).toBeGreaterThan(2);
    for (const group of byTime.values()) expect(new Set(group.map((f) => (f.kind === "crash" ? f.node : "")))).toHaveProperty("size", 3);
  });

  it("refuse specs that cannot be run", () => {
    const bad = (faults: ScenarioSpec["faults"]) => () => assertScenario({ ...base, faults });
    expect(bad({ targetedCrashes: { everyMs: 100, downMs: 5, at: [] } })).toThrow(/targetedCrashes.at/);
    expect(bad({ targetedCrashes: { everyMs: 100, downMs: 0, at: ["after-send"] } })).toThrow(/downMs/);
    expect(bad({ crashes: { everyMs: 100, downMs: 5, atOnce: 6 } })).toThrow(/atOnce/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The simulator

/** What one node does: effect lines per kind of call (init, a message by type, a timer by id). */
interface Script {
  init?: (life: number) => string[];
  message?: (type: string, body: Record<string, unknown>, src: string) => string[];
  timer?: (id: number) => string[];
}

interface Observed {
  /** Each node's boots: time and the storage it booted with. */
  boots: Array<{ node: string; atMs: number; storage: Record<string, string> }>;
  /** Each message a node received: its type, sender and body. */
  received: Array<{ node: string; atMs: number; type: string; src: string; body: Record<string, unknown> }>;
  history: ClientEvent[];
  trace: TraceEntry[];
}

/** A workload whose one client sends c1's request to n1 at 5 ms, if it is given one. */
function workload(request?: Record<string, unknown>): Workload {
  return {
    name: "none",
    summary: "",
    rpcs: [],
    checks: {},
    driver: (api) => ({
      start: () => {
        if (!request) return;
        api.at(5, () => {
          api.record({ process: "c1", type: "invoke", f: "req", value: null, timeMs: api.now(), node: "n1" });
          api.call("c1", "n1", request as never, 100, (reply) => {
            api.record({ process: "c1", type: reply ? "ok" : "info", f: "req", value: reply, timeMs: api.now(), node: "n1" });
          });
        });
      },
      final: () => {},
    }),
  };
}

function run(nodes: number, faults: FaultEvent[], scripts: Record<string, Script>, request?: Record<string, unknown>): Observed {
  const scenario: ScenarioSpec = { ...base, nodes, durationMs: 500 };
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const knobs: Knobs = {
    seed: 1,
    nodeIds: ids,
    latency: { dist: "constant", ms: 2 },
    lossRate: 0,
    duplicateRate: 0,
    clocks: Object.fromEntries(ids.map((id) => [id, { skewMs: 0, driftPpm: 0 }])),
    faults,
  };
  const sim = new Simulator(scenario, knobs, workload(request));
  const seen: Observed = { boots: [], received: [], history: [], trace: [] };
  const lives = new Map<string, number>();
  const entryFor = (id: string): NodeEntry => (kind, trueMs, arg, src) => {
    const script = scripts[id] ?? {};
    let effects: string[] = [];
    if (kind === "init") {
      const life = (lives.get(id) ?? 0) + 1;
      lives.set(id, life);
      seen.boots.push({ node: id, atMs: trueMs, storage: JSON.parse(arg).storage });
      effects = script.init?.(life) ?? [];
    } else if (kind === "msg") {
      const body = JSON.parse(arg) as Record<string, unknown>;
      seen.received.push({ node: id, atMs: trueMs, type: String(body.type), src, body });
      effects = script.message?.(String(body.type), body, src) ?? [];
    } else if (kind === "timer") {
      effects = script.timer?.(Number(arg)) ?? [];
    }
    return encodeEffects(false, effects);
  };
  for (const id of ids) sim.attach(id, entryFor(id));
  for (let signal = sim.run(); signal !== "done"; signal = sim.run()) {
    if (signal.startsWith("restart ")) sim.attach(signal.slice(8), entryFor(signal.slice(8)));
  }
  const data = sim.resultData();
  return { ...seen, history: data.history, trace: data.trace };
}

const send = (dest: string, body: Record<string, unknown>) => encodeSend(dest, String(body.type), JSON.stringify(body));
const put = (key: string, value: unknown) => encodeStorage(JSON.stringify(key), JSON.stringify(value));
const arm = (node: string, point: Extract<FaultEvent, { kind: "crash-point" }>["point"], nth = 1, downMs = 5): FaultEvent => ({ atMs: 0, kind: "crash-point", node, point, nth, downMs });

describe("a targeted crash in the simulator", () => {
  it("after a storage write: the write is kept, what the step did after it is lost, and the node is back downMs later", () => {
    const seen = run(2, [arm("n1", "after-storage-write", 1, 5)], {
      n1: { init: (life) => (life === 1 ? [encodeTimer(1, 10)] : []), timer: () => [put("a", 1), send("n2", { type: "ping" }), put("b", 2)] },
    });
    const n1 = seen.boots.filter((b) => b.node === "n1");
    expect(n1.map((b) => b.atMs)).toEqual([0, 15]);
    expect(n1[1]!.storage).toEqual({ a: "1" });
    expect(seen.received.filter((m) => m.type === "ping")).toEqual([]);
  });

  it("counts to the nth effect of its kind, from when it was armed", () => {
    const seen = run(2, [arm("n1", "after-storage-write", 3, 5)], {
      n1: { init: (life) => (life === 1 ? [encodeTimer(1, 10)] : []), timer: () => [put("a", 1), put("b", 2), put("c", 3), put("d", 4)] },
    });
    expect(seen.boots.filter((b) => b.node === "n1")[1]!.storage).toEqual({ a: "1", b: "2", c: "3" });
  });

  it("after a reply to a node: the reply arrives, the write that followed it does not", () => {
    const seen = run(2, [arm("n2", "after-send", 1, 5)], {
      n1: { init: (life) => (life === 1 ? [send("n2", { type: "vote_req", msg_id: 1 })] : []) },
      n2: { message: (type) => (type === "vote_req" ? [send("n1", { type: "vote_ok", in_reply_to: 1 }), put("voted", true)] : []) },
    });
    expect(seen.received.filter((m) => m.node === "n1" && m.type === "vote_ok")).toHaveLength(1);
    expect(seen.boots.filter((b) => b.node === "n2")[1]!.storage).toEqual({});
  });

  it("after a vote: the answer to a request its sender sent every node at once counts, a request to one node does not", () => {
    const request = (type: string) => ({ type, msg_id: type === "vote_req" ? 1 : 2 });
    const seen = run(3, [arm("n2", "after-vote"), arm("n3", "after-vote")], {
      n1: { init: (life) => (life === 1 ? [send("n2", request("vote_req")), send("n3", request("vote_req")), send("n3", request("forward"))] : []) },
      n2: { message: (type, body) => [send("n1", { type: `${type}_ok`, in_reply_to: body.msg_id })] },
      n3: { message: (type, body) => (type === "forward" ? [send("n1", { type: "forward_ok", in_reply_to: body.msg_id })] : []) },
    });
    // n2 voted and died; n3 answered only the forwarded request, which is not a vote.
    expect(seen.boots.filter((b) => b.node === "n2")).toHaveLength(2);
    expect(seen.boots.filter((b) => b.node === "n3")).toHaveLength(1);
  });

  it("before a reply to a client: the client never hears back", () => {
    const seen = run(1, [arm("n1", "before-reply")], { n1: { message: (_t, body) => [send("c1", { type: "req_ok", in_reply_to: body.msg_id })] } }, { type: "req" });
    expect(seen.history.map((op) => op.type)).toEqual(["invoke", "info"]);
    expect(seen.boots.filter((b) => b.node === "n1")).toHaveLength(2);
  });
});

describe("a restarted node is a new process", () => {
  const crashAt = (node: string, atMs: number, upMs: number): FaultEvent[] => [
    { atMs, kind: "crash", node },
    { atMs: upMs, kind: "restart", node },
  ];

  it("a late reply to what its previous life asked is dropped", () => {
    const seen = run(2, crashAt("n1", 5, 6), {
      n1: { init: (life) => (life === 1 ? [send("n2", { type: "get", msg_id: 1 })] : []) },
      // n2 answers 20 ms later, when n1 is back in a new life.
      n2: { message: () => [encodeTimer(1, 20)], timer: () => [send("n1", { type: "get_ok", in_reply_to: 1 })] },
    });
    expect(seen.received.filter((m) => m.node === "n1")).toEqual([]);
    expect(seen.trace.find((t) => t.type === "get_ok")!.fate).toBe("crashed");
  });

  it("when the new life reuses the id of a request the old one still waits on, neither reply is trusted", () => {
    const seen = run(2, crashAt("n1", 5, 6), {
      n1: { init: () => [send("n2", { type: "get", msg_id: 1 })] },
      n2: { message: () => [encodeTimer(1, 20)], timer: () => [send("n1", { type: "get_ok", in_reply_to: 1 })] },
    });
    expect(seen.received.filter((m) => m.node === "n1")).toEqual([]);
  });

  it("requests and replies between lives that did not crash are delivered as before", () => {
    const seen = run(2, crashAt("n1", 400, 401), {
      n1: { init: (life) => (life === 1 ? [send("n2", { type: "get", msg_id: 1 })] : []) },
      n2: { message: () => [send("n1", { type: "get_ok", in_reply_to: 1 })] },
    });
    expect(seen.received.filter((m) => m.node === "n1").map((m) => m.type)).toEqual(["get_ok"]);
  });
});
