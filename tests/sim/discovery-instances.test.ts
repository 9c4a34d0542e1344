// service-discovery's instances are services on the cluster's network: a registry node that pings one gets
// {type: "pong"} while it is up and nothing once it has crashed, so a registry may check on them itself.
import { expect, it } from "vitest";
import { Simulator, type NodeEntry } from "../../graders/sim/simulator.ts";
import type { Knobs, ScenarioSpec } from "../../graders/sim/scenario.ts";
import { encodeEffects, encodeSend, encodeTimer } from "../../graders/protocol/effects.ts";
import { serviceDiscovery } from "../../graders/workloads/service-discovery.ts";

it("an instance answers ping while it is up and is silent after its crash", () => {
  const latency = { dist: "constant", ms: 2 } as const;
  const scenario: ScenarioSpec = { name: "ping", nodes: 1, durationMs: 2000, network: { latency }, workload: { name: "service-discovery", rate: 10, clients: 2, options: { crashEveryMs: 300, scaleUpAtMs: 5000 } } };
  const knobs: Knobs = { seed: 3, nodeIds: ["n1"], latency, lossRate: 0, duplicateRate: 0, clocks: { n1: { skewMs: 0, driftPpm: 0 } }, faults: [] };
  const instances = ["api-1", "api-2", "api-3", "api-4", "api-5", "api-6", "auth-1", "auth-2", "auth-3"];
  const pinged: Array<{ instance: string; atMs: number }> = [];
  const pongs: Array<{ src: string; atMs: number; body: Record<string, unknown> }> = [];
  let msgId = 0;
  const entry: NodeEntry = (kind, trueMs, arg, src) => {
    if (kind === "init") return encodeEffects(false, [encodeTimer(1, 20)]);
    if (kind === "timer" && trueMs < 1900) {
      const sends = instances.map((instance) => {
        pinged.push({ instance, atMs: trueMs + 2 });
        return encodeSend(instance, "ping", JSON.stringify({ type: "ping", msg_id: ++msgId }));
      });
      return encodeEffects(false, [...sends, encodeTimer(1, 20)]);
    }
    if (kind === "msg" && src !== "c1" && src !== "c2") pongs.push({ src, atMs: trueMs, body: JSON.parse(arg) });
    return encodeEffects(false, []);
  };
  const sim = new Simulator(scenario, knobs, serviceDiscovery);
  sim.attach("n1", entry);
  for (let signal = sim.run(); signal !== "done"; signal = sim.run()) expect(signal).toBe("yield");
  const data = sim.resultData();

  const up = new Map<string, number>();
  const down = new Map<string, number>();
  for (const o of data.observations ?? []) {
    const fact = o.value as { kind: string; instance?: string };
    if (fact.kind === "up") up.set(fact.instance!, o.timeMs);
    if (fact.kind === "down") down.set(fact.instance!, o.timeMs);
  }
  expect(down.size).toBeGreaterThan(0);
  // Every pong came from an instance that was up when the ping reached it (2 ms each way), with its name.
  expect(pongs.length).toBeGreaterThan(100);
  for (const p of pongs) {
    const reachedMs = p.atMs - 2;
    expect(up.get(p.src)! <= reachedMs && reachedMs < (down.get(p.src) ?? Infinity)).toBe(true);
    expect(p.body).toMatchObject({ type: "pong", instance: p.src });
  }
  // Every ping that reached a live instance was answered; none that reached a crashed one was.
  for (const [instance, downMs] of down) {
    const answered = (from: number, to: number) => pongs.filter((p) => p.src === instance && p.atMs - 2 >= from && p.atMs - 2 < to).length;
    const asked = (from: number, to: number) => pinged.filter((p) => p.instance === instance && p.atMs >= from && p.atMs < to).length;
    expect(answered(up.get(instance)!, downMs)).toBe(asked(up.get(instance)!, downMs));
    expect(asked(downMs, 1900)).toBeGreaterThan(0);
    expect(answered(downMs, Infinity)).toBe(0);
  }
  // An address that is no instance's (yet) is still an error, as before; one that is, never.
  const misaddressed = data.errors.flatMap((e) => {
    const m = /to "([^"]+)", which is not a node or client/.exec(e.text);
    return m ? [{ address: m[1]!, atMs: e.timeMs }] : [];
  });
  expect(misaddressed.length).toBeGreaterThan(0);
  for (const m of misaddressed) expect(!up.has(m.address) || up.get(m.address)! > m.atMs).toBe(true);
});
