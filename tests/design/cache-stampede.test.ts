// A cache's set-if-absent (`add`, Redis SET NX EX) and what it does to the sample's weights. Of the many
// real callers a simulated one stands for, all race for a key every user shares (a celebrity's rebuild
// lock), so one real caller wins it: the winner's answer carries weight 1, and what follows it (the one
// rebuild that coalescing leaves) is one real request's work on the store. On a key of a sampled user
// (which stands for `weight` users' own keys) every real caller wins its own, so the weight stays.
import { describe, expect, it } from "vitest";
import { CacheModel } from "../../graders/design/cache-model.ts";
import { EventQueue } from "../../graders/design/events.ts";
import { Station } from "../../graders/design/station.ts";
import type { CacheConfig, SqlConfig } from "../../graders/design/validate.ts";
import { CacheComponent, SqlComponent, type CallResult } from "../../graders/design/world.ts";
import { directWorld } from "../support/design-world.ts";

describe("cache add", () => {
  it("sets a key that holds nothing, refuses one that holds an entry, and is no read", () => {
    const cache = new CacheModel(3, 1000, { ttlMs: 10_000 });
    expect(cache.add("lock", "a", 0, 1000)).toBe(true);
    expect(cache.add("lock", "b", 500, 1000)).toBe(false);
    expect(cache.get("lock", 600)).toBe("a");
    // Its own TTL ends it: the next caller wins.
    expect(cache.add("lock", "c", 1000, 1000)).toBe(true);
    cache.set("k", "v", 0);
    expect(cache.add("k", "w", 1)).toBe(false);
    expect(cache.gets).toBe(1);
    expect(cache.hits).toBe(1);
  });

  it("wins again once the node holding the key is lost", () => {
    const cache = new CacheModel(1, 10);
    expect(cache.add("lock", "a", 0, 60_000)).toBe(true);
    cache.loseNode(0);
    expect(cache.add("lock", "a", 1, 60_000)).toBe(true);
  });
});

function world(weight: number) {
  const { events, host } = directWorld(["us-east-1"], 7);
  const shared = (key: string) => key.split(/[^A-Za-z0-9]+/).includes("c0");
  const full = { ...host, weight, sharedKey: shared, readCpuMs: (key: string) => (shared(key) ? 20 : 0) };
  const cacheConfig: CacheConfig = { kind: "cache", name: "cache", region: "us-east-1", zones: ["a"], memoryGb: 1, nodes: 1, node: "cache.r7g.large", eviction: "lru", ttlSec: Infinity, pattern: "cache-aside" };
  const sqlConfig: SqlConfig = { kind: "sql", name: "db", region: "us-east-1", zones: ["a"], instance: "db.r7g.2xlarge", vcpu: 8, shards: 1, shardKey: "hash", replicas: 0, replicaRegions: [], replication: "async", failoverSec: 10 };
  return { events, cache: new CacheComponent(cacheConfig, full, 1000, undefined), db: new SqlComponent(sqlConfig, full) };
}

function answer(events: EventQueue, serve: (reply: (r: CallResult) => void) => void): CallResult {
  let got: CallResult | undefined;
  serve((r) => (got = r));
  while (got === undefined && events.nextMs < Infinity) events.step();
  return got!;
}

describe("a won add on a shared key stands for one real caller", () => {
  it("carries weight 1 on a shared key, and none on a sampled user's key or when lost", () => {
    const { events, cache } = world(3000);
    expect(answer(events, (r) => cache.serve("add", ["rebuild:tl:c0", "1", 1], 0, [], r, 3000))).toEqual({ ok: true, value: true, weight: 1 });
    expect(answer(events, (r) => cache.serve("add", ["rebuild:tl:c0", "1", 1], 0, [], r, 3000))).toEqual({ ok: true, value: false });
    expect(answer(events, (r) => cache.serve("add", ["rebuild:feed:u7", "1", 1], 0, [], r, 3000))).toEqual({ ok: true, value: true });
  });

  it("puts one real ranked query on the shard for a weight-1 rebuild, `weight` of them for a simulated miss", () => {
    for (const [weight, expected] of [
      [1, 20.2],
      [3000, 20.2 * 3000],
    ] as const) {
      const { events, db } = world(3000);
      const shard = db.store.shards[0]!.copies[0]!.station;
      answer(events, (r) => db.serve("range", ["posts:c0", 0], 0, [], r, weight));
      expect(shard.cpuMs).toBeCloseTo(expected, 6);
      // A sampled user's list is an ordinary read.
      const before = shard.cpuMs;
      answer(events, (r) => db.serve("range", ["posts:u7", 0], 0, [], r, weight));
      expect(shard.cpuMs - before).toBeCloseTo(0.2 * weight, 6);
    }
  });
});

describe("a station's hold and CPU count a job's own weight", () => {
  it("holds a slot weight × the time, and counts weight × the CPU", () => {
    const events = new EventQueue();
    const station = new Station("s", 0, { slots: 1, queueMax: 10_000, vcpuPerInstance: 8, instances: 1 }, 1000, events);
    station.hold(0, 2);
    expect(station.slotMs).toBe(2000);
    station.hold(0, 2, 1);
    expect(station.slotMs).toBe(2002);
    station.cpu(1, 1);
    station.cpu(1);
    expect(station.cpuMs).toBe(1001);
  });
});
