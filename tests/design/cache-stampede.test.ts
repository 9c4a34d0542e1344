// A cache's set-if-absent (`add`, Redis SET NX EX) and what it does to the sample's weights. Of the many
// real callers a simulated one stands for, all race for a key every user shares (a celebrity's rebuild
// lock), so one real caller wins it: the winner's answer names the entity (`coalesced`), and what follows
// it on that entity's keys (the one rebuild that coalescing leaves) is one real request's work on the
// store. Not for a sampled user's key (it stands for `weight` users' own keys: every real caller wins its
// own), a key added for the first time (it may be made up per call), or a lock shorter than a second.
import { describe, expect, it } from "vitest";
import { CacheModel } from "../../graders/design/cache-model.ts";
import { EventQueue } from "../../graders/design/events.ts";
import { Station } from "../../graders/design/station.ts";
import type { CacheConfig, SqlConfig } from "../../graders/design/validate.ts";
import { CacheComponent, SqlComponent, type CallResult } from "../../graders/design/world.ts";
import { sharedEntityOf } from "../../graders/design/prompts/news-feed.ts";
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
  const full = { ...host, weight, sharedEntity: (key: string) => (shared(key) ? "c0" : undefined), readCpuMs: (key: string) => (shared(key) ? 20 : 0) };
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
  it("names the entity on a shared lock raced for again, and nothing on a first add, a lost one, a sampled user's key or a short lock", () => {
    const { events, cache } = world(3000);
    const add = (key: string, ttlSec: number) => answer(events, (r) => cache.serve("add", [key, "1", ttlSec], 0, [], r, 3000));
    const wait = (ms: number) => {
      let woke = false;
      events.at(events.nowMs + ms, events.on(() => (woke = true)), 0);
      while (!woke) events.step();
    };
    expect(add("rebuild:tl:c0", 1)).toEqual({ ok: true, value: true });
    expect(add("rebuild:tl:c0", 1)).toEqual({ ok: true, value: false });
    wait(1000);
    expect(add("rebuild:tl:c0", 1)).toEqual({ ok: true, value: true, coalesced: "c0" });
    expect(add("rebuild:feed:u7", 1)).toEqual({ ok: true, value: true });
    wait(1000);
    expect(add("rebuild:feed:u7", 1)).toEqual({ ok: true, value: true });
    expect(add("short:tl:c0", 0.1)).toEqual({ ok: true, value: true });
    wait(100);
    expect(add("short:tl:c0", 0.1)).toEqual({ ok: true, value: true });
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

describe("the news feed's shared keys", () => {
  it("are a celebrity's, not a sampled user's own key that names a celebrity", () => {
    expect(sharedEntityOf("rebuild:tl:c0")).toBe("c0");
    expect(sharedEntityOf("posts:c5")).toBe("c5");
    expect(sharedEntityOf("lock:c3:zone-a")).toBe("c3");
    expect(sharedEntityOf("rebuild:tl:c0:u17")).toBeUndefined();
    expect(sharedEntityOf("feed:xc0.12")).toBeUndefined();
    expect(sharedEntityOf("posts:c6")).toBeUndefined();
    expect(sharedEntityOf("feed:u7")).toBeUndefined();
    expect(sharedEntityOf("c01")).toBeUndefined();
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

describe("the news feed's ranked timelines, end to end (seed 1)", () => {
  // The coalesced reference's one rebuild per aged timeline is one real ranked query: its feeds stay fast
  // while the fault lasts. Counted at the sample's weight (3,333 queries), that one rebuild alone would
  // saturate the shard and its winners' feeds would wait about 270 ms; without the lock every reader who
  // misses rebuilds, and they do.
  it("keeps the reference's feeds fast during the fault, and not the uncoalesced design's", async () => {
    const { expandKnobs } = await import("../../graders/index.ts");
    const { createIsolatedVmSandbox } = await import("../../graders/sandbox/node/index.ts");
    const { exercisesDir, loadExercise } = await import("../../src/cli/exercises.ts");
    const { readSolutionJs } = await import("../support/solution-js.ts");
    const { join } = await import("node:path");
    const exercise = (await loadExercise("news-feed-design"))!;
    const scenario = exercise.tasks.flatMap((t) => t.scenarios).find((s) => s.name === "ranked-timelines")!;
    const sandbox = createIsolatedVmSandbox();
    const duringP99 = async (file: string) => {
      const solutionJs = await readSolutionJs(join(exercisesDir, "news-feed-design", ".meta", file));
      const run = await sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs, harness: "design" });
      if (run.kind === "error") throw new Error(run.message);
      return (run.data as unknown as { design: { figures: Record<string, number> } }).design.figures["feed.during.p99Ms"]!;
    };
    expect(await duringP99("solution.ts")).toBeLessThan(60);
    expect(await duringP99("wrong/uncoalesced-rebuild.ts")).toBeGreaterThan(200);
  }, 120_000);
});
