/**
 * The cache system: a read-through client in front of the learner's cache, keys drawn from a Zipf
 * distribution (skew 0.99, as YCSB). Each read calls get(key); a miss fetches the value and calls
 * put(key, value). The hit ratio is compared with two references computed here on the same trace: an
 * exact LRU of the same capacity, and the optimum (Belady: evict the key used furthest in the future),
 * which no cache of that capacity can beat: a higher hit ratio means the cache holds more than it may.
 */
import { hashText } from "../report/hash.ts";
import { zipfSampler } from "../sim/requests/distributions.ts";
import { round3 } from "../sim/requests/recorder.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

const GET = "get|s";
const PUT = "put|ss";

function sizes(options: Options) {
  return {
    capacity: numberOption(options, "capacity", 1000),
    keys: numberOption(options, "keys", 100_000),
    ops: numberOption(options, "ops", 100_000),
    skew: numberOption(options, "skew", 0.99),
    /** Fill the cache with this many distinct keys first, then time the ops (the speed task). */
    timed: numberOption(options, "timed", 0),
  };
}

/** The value a key always has: a hit must return exactly this. */
const valueOf = (key: string) => `value-of-${key}`;

/** Real time after which the reads stop (an O(1) cache needs a small fraction of it). */
const slowCutoffMs = 1000;

export const lruCache: ComponentSystem = {
  name: "lru-cache",
  summary: "a read-through client calls get(key) and, on a miss, put(key, value); keys are Zipf-distributed",
  describe(scenario) {
    const s = sizes(scenario.workload.options ?? {});
    return [`capacity ${s.capacity} entries; ${s.ops} reads of ${s.keys} keys, Zipf skew ${s.skew}${s.timed ? `; cache filled first, then timed` : ""}`];
  },
  run(ctx): SystemOutcome {
    const s = sizes(ctx.options);
    const { port } = ctx;
    const cache = port.create(undefined, s.capacity);
    if (cache === undefined) return { figures: {}, series: {}, recordHash: hashText("no cache"), events: 0, simulatedMs: 0 };
    // Key names are a seeded permutation of ranks, so the popular keys differ from seed to seed.
    const names = Array.from({ length: s.keys }, (_, i) => `k${i}`);
    const shuffle = ctx.rng.fork("names");
    for (let i = names.length - 1; i > 0; i--) {
      const j = shuffle.int(i + 1);
      const swap = names[i]!;
      names[i] = names[j]!;
      names[j] = swap;
    }
    const zipf = zipfSampler(s.keys, s.skew, ctx.rng.fork("keys"));
    const trace = new Int32Array(s.ops);
    for (let i = 0; i < s.ops; i++) trace[i] = zipf();

    let calls = 0;
    let wrong = 0;
    // Fill with the least popular keys, so the timed reads start against a full cache.
    const warm = Int32Array.from({ length: Math.min(s.timed, s.keys) }, (_, i) => s.keys - 1 - i);
    for (const rank of warm) {
      port.call(cache, PUT, 0, 0, 0, names[rank]!, valueOf(names[rank]!));
      calls++;
    }
    let hits = 0;
    const record: number[] = [];
    const started = Date.now();
    const callsBefore = calls;
    let timedOps = 0;
    for (let i = 0; i < s.ops; i++) {
      const key = names[trace[i]!]!;
      port.nowMs = i;
      const got = port.call(cache, GET, 0, 0, 0, key);
      calls++;
      timedOps++;
      if (got === undefined) {
        port.call(cache, PUT, 0, 0, 0, key, valueOf(key));
        calls++;
        record.push(0);
      } else if (got === valueOf(key)) {
        hits++;
        record.push(1);
      } else {
        wrong++;
        if (wrong === 1) port.complain(`get(${JSON.stringify(key)}) returned ${JSON.stringify(got)}, but the value stored for that key is ${JSON.stringify(valueOf(key))}`);
        record.push(2);
      }
      // A cache far too slow stops the reads early, so the run ends with a verdict and not at the wall-time
      // budget; only such a cache's record depends on timing.
      if ((i & 1023) === 1023 && Date.now() - started > slowCutoffMs) break;
    }
    const elapsedMs = Date.now() - started;
    const measured = timedOps;
    // The references see the same puts first; only hits on the reads count (the puts are all first uses).
    const seen = new Int32Array(warm.length + measured);
    seen.set(warm);
    seen.set(trace.subarray(0, measured), warm.length);
    const lru = lruHits(seen, s.capacity);
    const opt = optimalHits(seen, s.capacity);
    const figures: Record<string, number> = {
      capacity: s.capacity,
      reads: measured,
      hitRatio: round3(hits / measured),
      lruHitRatio: round3(lru / measured),
      optimalHitRatio: round3(opt / measured),
      hits,
      lruHits: lru,
      optimalHits: opt,
      wrongValues: wrong,
    };
    // Wall time is the one figure that is not deterministic: it is never part of the record hash.
    if (s.timed) figures.usPerOp = round3((elapsedMs * 1000) / Math.max(1, calls - callsBefore));
    return { figures, series: {}, recordHash: hashText(record.join("")), events: calls, simulatedMs: 0 };
  },
  checks: {
    /** Hit ratio against an exact LRU of the same capacity on the same reads. Param: minOfLru (0…1). */
    "hit-ratio"(run, params) {
      const f = run.components.figures;
      const min = params.minOfLru ?? 0.99;
      const text = `hit ratio ${pct(f.hitRatio!)} (an exact LRU of ${f.capacity} entries gets ${pct(f.lruHitRatio!)}, the optimum ${pct(f.optimalHitRatio!)})`;
      if (f.hits! < min * f.lruHits!) return { ok: false, message: `${text}; need at least ${Math.round(min * 100)}% of LRU's hits. Evict the least recently used entry: a get counts as a use.` };
      return { ok: true, message: text };
    },
    /** No more hits than the optimum for the capacity allows: more means the cache holds too much. */
    memory(run) {
      const f = run.components.figures;
      const text = `${f.hits} hits; the most any cache of ${f.capacity} entries can get on these reads is ${f.optimalHits}`;
      if (f.hits! > f.optimalHits!) return { ok: false, message: `${text}, so this one holds more than ${f.capacity} entries. Evict when a put would go over the capacity.` };
      return { ok: true, message: text };
    },
    /** Mean real time per get or put with the cache full. Param: maxUs. */
    speed(run, params) {
      const f = run.components.figures;
      const text = `${f.usPerOp} µs per operation with ${f.capacity} entries (${f.reads} reads timed)`;
      if (!(f.usPerOp! <= (params.maxUs ?? Infinity))) return { ok: false, message: `${text}; the budget is ${params.maxUs} µs. get and put must be O(1): a Map for lookup and a linked list (or the Map's own order) for recency, no scans.` };
      return { ok: true, message: text };
    },
  },
};

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Hits of an exact LRU (a Map keeps insertion order: delete and set again to mark a use). */
export function lruHits(trace: Int32Array, capacity: number): number {
  const cache = new Map<number, true>();
  let hits = 0;
  for (let i = 0; i < trace.length; i++) {
    const k = trace[i]!;
    if (cache.delete(k)) hits++;
    else if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    cache.set(k, true);
  }
  return hits;
}

/** Hits of Belady's optimum with bypass: on a miss, keep the key only if it is used sooner than some cached key. */
export function optimalHits(trace: Int32Array, capacity: number): number {
  const n = trace.length;
  const nextUse = new Int32Array(n);
  const seen = new Map<number, number>();
  for (let i = n - 1; i >= 0; i--) {
    nextUse[i] = seen.get(trace[i]!) ?? n + i; // never again: beyond every real index, distinct per key
    seen.set(trace[i]!, i);
  }
  // A max-heap of (next use, key) with lazy deletion: an entry is live if it matches the key's current next use.
  const heapUse: number[] = [];
  const heapKey: number[] = [];
  const current = new Map<number, number>();
  const push = (use: number, key: number) => {
    let i = heapUse.length;
    heapUse.push(use);
    heapKey.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapUse[p]! >= use) break;
      heapUse[i] = heapUse[p]!;
      heapKey[i] = heapKey[p]!;
      i = p;
    }
    heapUse[i] = use;
    heapKey[i] = key;
  };
  const pop = () => {
    const lastUse = heapUse.pop()!;
    const lastKey = heapKey.pop()!;
    if (heapUse.length === 0) return;
    let i = 0;
    const len = heapUse.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= len) break;
      const r = l + 1;
      const c = r < len && heapUse[r]! > heapUse[l]! ? r : l;
      if (heapUse[c]! <= lastUse) break;
      heapUse[i] = heapUse[c]!;
      heapKey[i] = heapKey[c]!;
      i = c;
    }
    heapUse[i] = lastUse;
    heapKey[i] = lastKey;
  };
  const top = () => {
    while (heapUse.length && current.get(heapKey[0]!) !== heapUse[0]) pop();
  };
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const k = trace[i]!;
    const use = nextUse[i]!;
    if (current.has(k)) {
      hits++;
      current.set(k, use);
      push(use, k);
      continue;
    }
    if (current.size < capacity) {
      current.set(k, use);
      push(use, k);
      continue;
    }
    top();
    if (heapUse[0]! > use) {
      current.delete(heapKey[0]!);
      pop();
      current.set(k, use);
      push(use, k);
    }
  }
  return hits;
}
