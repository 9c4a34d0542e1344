// The design engine's lists and partitions against what they must do, on seeded runs of a SQL store
// called directly (the world's network, slots and service times, no learner): appends to one key get
// positions 1, 2, 3, … in the order the primary applied them, and every copy holds a prefix of that order
// (a replica lags, it never reorders); a partition between regions loses every call across it, and an
// asynchronous replica across it catches up, in order and complete, once the link heals; a synchronous
// write to a replica across it is never acknowledged while it lasts.
import { describe, expect, it } from "vitest";
import type { CallResult } from "../../graders/design/world.ts";
import type { SqlConfig } from "../../graders/design/validate.ts";
import { createRng } from "../../graders/sim/prng.ts";
import { directWorld } from "../support/design-world.ts";

async function sqlStore(options: { regions: string[]; replicas: number; replicaRegions: string[]; replication: "sync" | "async"; seed: number }) {
  const { SqlComponent } = await import("../../graders/design/world.ts");
  const { events, topology, host } = directWorld(options.regions, options.seed);
  const config: SqlConfig = { kind: "sql", name: "db", region: options.regions[0]!, zones: ["a", "b", "c"], instance: "db.r7g.large", vcpu: 2, shards: 1, shardKey: "hash", replicas: options.replicas, replicaRegions: options.replicaRegions, replication: options.replication, failoverSec: 10 };
  const db = new SqlComponent(config, host);
  /** Calls `op` from zone `from`; the answer, or undefined while none arrived. */
  const call = (op: string, args: unknown[], from = 0) => {
    const box: { result?: CallResult } = {};
    db.serve(op, args, from, [], (r) => (box.result = r));
    return box;
  };
  return { events, topology, db, call };
}

describe("lists: positions in the primary's order, every copy a prefix of it", () => {
  it.each([1, 2, 3])("200 appends from three zones, concurrently (seed %i)", async (seed) => {
    const { events, db, call } = await sqlStore({ regions: ["us-east-1"], replicas: 2, replicaRegions: [], replication: "async", seed });
    const answers: Array<{ value: string; box: { result?: CallResult } }> = [];
    const rng = createRng(seed, "appends");
    const send = events.on((i: number) => {
      const value = `m${i}`;
      answers.push({ value, box: call("append", ["conv:1", value], i % 3) });
      if (i < 200) events.at(events.nowMs + rng.exponential(0.3), send, i + 1);
    });
    events.at(0, send, 1);
    // Midway, read every copy's list (the replicas lag by tens of ms).
    const snapshots: string[][] = [];
    events.at(30, events.on(() => {
      for (const copy of db.store.shards[0]!.copies) {
        const raw = copy.data.get("conv:1");
        snapshots.push(raw ? (JSON.parse(raw) as string[]) : []);
      }
    }));
    while (events.step());
    // Every append answered its position; the positions are 1…200, each once, and the list holds each value at its own.
    const positions = answers.map((a) => (a.box.result as { ok: true; value: number }).value);
    expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const final = call("range", ["conv:1", 0]);
    while (events.step());
    const list = (final.result as { ok: true; value: string[] }).value;
    answers.forEach((a, i) => expect(list[positions[i]! - 1]).toBe(a.value));
    // Three zones at once: the primary's order is not the order they were sent in.
    expect(positions.some((p, i) => i > 0 && p < positions[i - 1]!)).toBe(true);
    // A lagging replica holds a shorter list, never another order.
    expect(snapshots.some((s) => s.length < snapshots[0]!.length)).toBe(true);
    for (const s of snapshots) expect(s).toEqual(list.slice(0, s.length));
    // range(after) is the tail after a position; a plain value is no list.
    const tail = call("range", ["conv:1", 195]);
    call("put", ["plain", "x"]);
    while (events.step());
    expect((tail.result as { ok: true; value: string[] }).value).toEqual(list.slice(195));
    const refused = call("append", ["plain", "y"]);
    while (events.step());
    expect(refused.result).toMatchObject({ ok: false, reason: "rejected" });
  });
});

describe("a partition between regions", () => {
  it("loses every call across it while it lasts, and none inside a side", async () => {
    const { events, topology, call } = await sqlStore({ regions: ["us-east-1", "eu-west-1"], replicas: 1, replicaRegions: [], replication: "async", seed: 4 });
    topology.cut("eu-west-1", 1000);
    const inside = call("get", ["k"], 1);
    const across = call("get", ["k"], 3);
    while (events.step());
    expect(inside.result).toMatchObject({ ok: true });
    expect(across.result).toBeUndefined();
    topology.heal();
    const healed = call("get", ["k"], 3);
    while (events.step());
    expect(healed.result).toMatchObject({ ok: true });
  });

  it("an asynchronous replica across it catches up once it heals, complete and in order", async () => {
    const { events, topology, db, call } = await sqlStore({ regions: ["us-east-1", "eu-west-1"], replicas: 0, replicaRegions: ["eu-west-1"], replication: "async", seed: 5 });
    const remote = db.store.shards[0]!.copies[1]!;
    const listOf = () => JSON.parse(remote.data.get("conv:1") ?? "[]") as string[];
    // The partition lasts from 100 ms to 2000 ms; an append every 10 ms for 3 s.
    events.at(100, events.on(() => topology.cut("eu-west-1", 2000)));
    events.at(2000, events.on(() => topology.heal()));
    const boxes: Array<{ result?: CallResult }> = [];
    const send = events.on((i: number) => {
      boxes.push(call("append", ["conv:1", `m${i}`]));
      if (i < 300) events.at(events.nowMs + 10, send, i + 1);
    });
    events.at(0, send, 1);
    let during = -1;
    events.at(1900, events.on(() => (during = listOf().length)));
    while (events.step());
    // Writes went on in the primary's region (asynchronous: acknowledged at once) …
    expect(boxes.filter((b) => b.result?.ok).length).toBe(300);
    // … the replica froze at what it had when the link failed …
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThan(20);
    // … and afterwards holds every write, in the primary's order.
    expect(listOf()).toEqual(Array.from({ length: 300 }, (_, i) => `m${i + 1}`));
  });

  it("a synchronous write to a replica across it is not acknowledged until it heals", async () => {
    const { events, topology, call } = await sqlStore({ regions: ["us-east-1", "eu-west-1"], replicas: 0, replicaRegions: ["eu-west-1"], replication: "sync", seed: 6 });
    topology.cut("eu-west-1", 5000);
    const box = call("append", ["conv:1", "m1"]);
    let at = NaN;
    const poll = events.on(() => {
      if (box.result && Number.isNaN(at)) at = events.nowMs;
      if (events.nowMs < 6000) events.at(events.nowMs + 10, poll);
    });
    events.at(0, poll);
    events.at(5000, events.on(() => topology.heal()));
    while (events.step());
    expect(at).toBeGreaterThanOrEqual(5000);
    expect(box.result).toMatchObject({ ok: true, value: 1 });
  });
});
