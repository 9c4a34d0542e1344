// The design engine's parts against the models they must agree with, on seeded runs (exact, not timed):
// a cache's hits are an exact LRU's on the same trace (cold, and warm from the link universe); a station
// under scaled traffic waits as Erlang C says, whatever the weight; RPO under asynchronous replication is
// the replica's lag at the failure; the tail of a fan-out is 1 − (1 − p)^n; the availability of parts in
// series is the product of theirs.
import { describe, expect, it } from "vitest";
import { CacheModel } from "../../graders/design/cache-model.ts";
import { EventQueue } from "../../graders/design/events.ts";
import { LinkUniverse } from "../../graders/design/links.ts";
import { Station } from "../../graders/design/station.ts";
import { Shard, StoreCopy, StoreModel } from "../../graders/design/store-model.ts";
import { Topology } from "../../graders/design/topology.ts";
import { createRng } from "../../graders/sim/prng.ts";
import { mmc } from "../sim/erlang.ts";
import { directWorld } from "../support/design-world.ts";

/** An exact LRU by stack distance: a read hits iff fewer than `capacity` other keys were used since its key's last use. */
function stackDistanceHits(trace: readonly string[], capacity: number, preload: readonly string[] = []): number {
  const stack: string[] = [...preload].reverse(); // most recent first
  let hits = 0;
  for (const key of trace) {
    const at = stack.indexOf(key);
    if (at >= 0 && at < capacity) hits++;
    if (at >= 0) stack.splice(at, 1);
    stack.unshift(key);
    if (stack.length > capacity) stack.length = capacity;
  }
  return hits;
}

/** Cache-aside on a trace: get, and set on a miss. */
function cacheHits(cache: CacheModel, trace: readonly string[]): number {
  for (const [i, key] of trace.entries()) if (cache.get(key, i) === undefined) cache.set(key, "v", i);
  return cache.hits;
}

function zipfTrace(universe: LinkUniverse, n: number, seed: number): string[] {
  const rng = createRng(seed, "trace");
  return Array.from({ length: n }, () => universe.codeOf(universe.rankAt(rng.next())));
}

describe("a cache's hit ratio is an exact LRU's on the same trace", () => {
  const universe = new LinkUniverse(200_000, 0.99);
  const trace = zipfTrace(universe, 20_000, 1);

  it.each([10, 100, 1000])("one node, cold, capacity %i", (capacity) => {
    const hits = cacheHits(new CacheModel(1, capacity), trace);
    expect(hits).toBe(stackDistanceHits(trace, capacity));
    expect(hits).toBeGreaterThan(0);
  });

  it("four nodes: each an exact LRU of its own keys", () => {
    const cache = new CacheModel(4, 800);
    const hits = cacheHits(cache, trace);
    const byNode = new Map<number, string[]>();
    for (const key of trace) {
      const node = cache.nodeOf(key);
      byNode.set(node, [...(byNode.get(node) ?? []), key]);
    }
    let expected = 0;
    for (const keys of byNode.values()) expected += stackDistanceHits(keys, 200);
    expect(hits).toBe(expected);
  });

  it("warm from the universe: as an LRU that holds the top ranks, the least popular oldest", () => {
    const capacity = 500;
    const warm = new CacheModel(1, capacity, { warm: { universe, ranks: capacity, value: (rank) => universe.urlOf(rank) } });
    const preload = Array.from({ length: capacity }, (_, r) => universe.codeOf(capacity - 1 - r));
    expect(warm.size).toBe(capacity);
    expect(cacheHits(warm, trace)).toBe(stackDistanceHits(trace, capacity, preload));
  });

  it("a lost node comes back cold", () => {
    const cache = new CacheModel(1, 1000, { warm: { universe, ranks: 1000, value: () => "v" } });
    expect(cache.get(universe.codeOf(0), 0)).toBe("v");
    cache.loseNode(0);
    expect(cache.size).toBe(0);
    expect(cache.get(universe.codeOf(1), 1)).toBeUndefined();
  });

  it("entries expire after their TTL", () => {
    const cache = new CacheModel(1, 10, { ttlMs: 1000 });
    cache.set("k", "v", 0);
    expect(cache.get("k", 999)).toBe("v");
    expect(cache.get("k", 1000)).toBeUndefined();
  });
});

describe("a station under scaled traffic waits as Erlang C says", () => {
  // M/M/c: Poisson arrivals at λ·(1/weight) of the real rate, each job holding its slot weight × its service time.
  it.each([
    { c: 8, rho: 0.7, weight: 1 },
    { c: 8, rho: 0.7, weight: 20 },
    { c: 32, rho: 0.85, weight: 50 },
  ])("c=$c, ρ=$rho, weight $weight: P(wait) within 5%", ({ c, rho, weight }) => {
    const events = new EventQueue();
    const station = new Station("s", 0, { slots: c, queueMax: 1e9, vcpuPerInstance: 1, instances: 1 }, weight, events);
    const rng = createRng(7, "mmc");
    const meanMs = 10;
    const lambdaPerMs = (rho * c) / meanMs / weight;
    let waited = 0, jobs = 0;
    const arrive = events.on(() => {
      const sent = events.nowMs;
      jobs++;
      station.submit({
        started: (s) => {
          if (events.nowMs > sent) waited++;
          s.hold(events.nowMs, rng.exponential(meanMs));
        },
        failed: () => {},
      });
      if (jobs < 200_000) events.at(events.nowMs + rng.exponential(1 / lambdaPerMs), arrive);
    });
    events.at(0, arrive);
    while (events.step());
    const theory = mmc(c, rho * c / meanMs, 1 / meanMs).probWait;
    expect(Math.abs(waited / jobs / theory - 1)).toBeLessThan(0.05);
  });
});

function asyncStore(delayMs: number) {
  const events = new EventQueue();
  const topology = new Topology(["us-east-1"], createRng(1, "net"));
  const station = (zone: number) => new Station(`copy${zone}`, zone, { slots: 100, queueMax: 1000, vcpuPerInstance: 2, instances: 1 }, 1, events);
  const primary = new StoreCopy(station(0), 0);
  const replica = new StoreCopy(station(1), 1);
  const shard = new Shard(0, [primary, replica]);
  const store = new StoreModel({ name: "db", shards: [shard], shardKey: "hash", replication: "async", failoverMs: 5000, applyMs: 0.1, universe: new LinkUniverse(10, 0.99), events, topology, weight: 1, drawDelayMs: () => delayMs });
  return { events, store, shard, primary };
}

describe("RPO under asynchronous replication is the lag at the failure", () => {
  it.each([20, 80, 250])("replica %i ms behind: the writes acknowledged in that last stretch are lost, and no others", (delayMs) => {
    const { events, store, shard, primary } = asyncStore(delayMs);
    const acked: number[] = [];
    // A write every millisecond for two seconds; the primary fails at 1500.5 ms.
    const write = events.on((i: number) => {
      if (!shard.hasPrimary) return;
      store.write(shard, `k${i}`, "v", () => acked.push(events.nowMs));
      if (i < 2000) events.at(events.nowMs + 1, write, i + 1);
    });
    events.at(0, write, 0);
    const fail = events.on(() => store.fail(primary));
    events.at(1500.5, fail);
    while (events.step());
    const failure = store.failovers[0]!;
    const lost = store.lost;
    // The lag at the failure: the replica's apply delay plus the network between the two zones.
    expect(failure.lagMs).toBeGreaterThanOrEqual(delayMs);
    expect(failure.lagMs).toBeLessThan(delayMs + 1);
    // Lost: one write per ms of the lag (a write in flight on the network may still have arrived).
    expect(Math.abs(lost.length - failure.lagMs)).toBeLessThanOrEqual(2);
    const oldest = Math.max(...lost.map((l) => l.failedMs - l.ackedMs));
    expect(Math.abs(oldest - failure.lagMs)).toBeLessThanOrEqual(2);
    // What the replica had, it kept: nothing older than the lag is lost.
    expect(lost.every((l) => l.failedMs - l.ackedMs <= failure.lagMs + 1)).toBe(true);
  });

  it("synchronous replication loses no acknowledged write", () => {
    const events = new EventQueue();
    const topology = new Topology(["us-east-1"], createRng(1, "net"));
    const station = (zone: number) => new Station(`copy${zone}`, zone, { slots: 100, queueMax: 1000, vcpuPerInstance: 2, instances: 1 }, 1, events);
    const primary = new StoreCopy(station(0), 0);
    const shard = new Shard(0, [primary, new StoreCopy(station(1), 1)]);
    const store = new StoreModel({ name: "db", shards: [shard], shardKey: "hash", replication: "sync", failoverMs: 5000, applyMs: 0.1, universe: new LinkUniverse(10, 0.99), events, topology, weight: 1, drawDelayMs: () => 100 });
    const write = events.on((i: number) => {
      if (!shard.hasPrimary) return;
      store.write(shard, `k${i}`, "v", () => {});
      if (i < 2000) events.at(events.nowMs + 1, write, i + 1);
    });
    events.at(0, write, 0);
    events.at(1500.5, events.on(() => store.fail(primary)));
    while (events.step());
    expect(store.lost).toEqual([]);
    expect(store.failovers[0]!.lagMs).toBe(0);
  });
});

/** A cache component's calls, made directly: the world's network, slots and service times, no learner. */
async function worldCalls() {
  const { CacheComponent } = await import("../../graders/design/world.ts");
  return (regionZones: string[], rngSeed: number) => {
    const { events, host } = directWorld(["us-east-1"], rngSeed);
    const config = { kind: "cache" as const, name: "c", region: "us-east-1", zones: regionZones, memoryGb: 1, nodes: regionZones.length, node: "cache.r7g.large" as const, eviction: "lru" as const, ttlSec: Infinity, pattern: "cache-aside" as const };
    const cache = new CacheComponent(config, host, 1000, undefined);
    return { events, host, cache };
  };
}

describe("the fan-out tail is 1 − (1 − p)^n", () => {
  it.each([2, 5, 10])("n = %i parallel calls", async (n) => {
    const make = await worldCalls();
    const { events, cache } = make(["a"], 3);
    const requests = 4000;
    const single: number[] = [];
    const fanned: number[] = [];
    const send = events.on((i: number) => {
      const sent = events.nowMs;
      let left = n;
      let slowest = 0;
      for (let k = 0; k < n; k++) {
        cache.serve("get", [`key${(i * n + k) % 997}`], 0, [], () => {
          const took = events.nowMs - sent;
          single.push(took);
          slowest = Math.max(slowest, took);
          if (--left === 0) fanned.push(slowest);
        });
      }
      if (i < requests) events.at(events.nowMs + 5, send, i + 1);
    });
    events.at(0, send, 0);
    while (events.step());
    // The single call's 95th percentile: 5% of calls are slower.
    const sorted = [...single].sort((a, b) => a - b);
    const t = sorted[Math.floor(0.95 * sorted.length)]!;
    const p = single.filter((x) => x > t).length / single.length;
    const slow = fanned.filter((x) => x > t).length / fanned.length;
    const theory = 1 - (1 - p) ** n;
    expect(Math.abs(slow - theory)).toBeLessThan(0.03);
  });
});

describe("serial availability is the product of the parts", () => {
  it("two components down independently (90% and 80% up): a request needing both succeeds 72% of the time", async () => {
    const make = await worldCalls();
    const { events, cache, host } = make(["a", "b"], 5);
    // Node 0 lives in zone a, node 1 in zone b; flip each zone by its own random schedule.
    const flips = createRng(11, "flips");
    const schedule = (zone: number, up: number) => {
      const toggle = events.on((isUp: boolean) => {
        if (isUp) cache.zoneUp(zone);
        else cache.zoneDown(zone);
        events.at(events.nowMs + flips.exponential(isUp ? 1000 * up : 1000 * (1 - up)), toggle, !isUp);
      });
      events.at(flips.exponential(1000), toggle, false);
    };
    schedule(0, 0.9);
    schedule(1, 0.8);
    const keyOn = (node: number) => {
      for (let i = 0; ; i++) if (cache.model.nodeOf(`k${i}`) === node) return `k${i}`;
    };
    const [a, b] = [keyOn(0), keyOn(1)];
    let ok = 0, all = 0;
    const call = (key: string, next: (ok: boolean) => void) => {
      let over = false;
      cache.serve("get", [key], 0, [], () => {
        if (!over) {
          over = true;
          next(true);
        }
      });
      host.after(50, () => {
        if (!over) {
          over = true;
          next(false);
        }
      });
    };
    const send = events.on(() => {
      all++;
      call(a, (first) => (first ? call(b, (second) => void (ok += second ? 1 : 0)) : undefined));
      if (events.nowMs < 2_000_000) events.at(events.nowMs + 20, send);
    });
    events.at(0, send);
    while (events.nowMs < 2_100_000 && events.step());
    expect(Math.abs(ok / all - 0.9 * 0.8)).toBeLessThan(0.015);
  });
});
