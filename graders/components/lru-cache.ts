/**
 * The cache system: a client in front of the learner's cache, keys drawn from a Zipf distribution (skew
 * 0.99, as YCSB). A read calls get(key); a miss fetches the value and calls put(key, value). A write (a
 * share of the operations) gives the key a new value and puts it at once (write-through), so put is
 * called on keys already cached too, and a get must then return the new value.
 *
 * Every correct LRU makes the same choice on every operation, so the learner's cache is compared read by
 * read with an exact LRU of the same capacity simulated here on the same operations. The optimum
 * (Belady: evict the key read furthest in the future) is reported beside it. After the operations the
 * most recently used keys are read once more: a cache that still holds more of them than its capacity
 * holds more than it may, whatever its policy.
 */
import { hashText } from "../report/hash.ts";
import { zipfSampler } from "../sim/requests/distributions.ts";
import { round3 } from "../sim/requests/recorder.ts";
import { componentErrorsCheck } from "./checks.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";
import { wallNow } from "../sim/wall-clock.ts";

const GET = "get|s";
const PUT = "put|ss";

function sizes(options: Options) {
  return {
    capacity: numberOption(options, "capacity", 1000),
    keys: numberOption(options, "keys", 100_000),
    ops: numberOption(options, "ops", 100_000),
    skew: numberOption(options, "skew", 0.99),
    /** Share of operations that write a new value (the rest read). */
    writeShare: numberOption(options, "writeShare", 0.1),
    /** Fill the cache with this many distinct keys first, then time the ops (the speed task). */
    timed: numberOption(options, "timed", 0),
  };
}

/**
 * "k0" … "k<n−1>", made once per count: every run of a grade names its keys alike before shuffling them
 * (100 000 strings a run in the larger tasks). Callers shuffle a copy.
 */
let builtNames: readonly string[] = [];
function keyNames(count: number): readonly string[] {
  if (builtNames.length !== count) builtNames = Array.from({ length: count }, (_, i) => `k${i}`);
  return builtNames;
}

/** The value a key has after `version` writes: a hit must return the current one. */
const valueOf = (key: string, version: number) => (version === 0 ? `value-of-${key}` : `value-of-${key}#${version}`);

/** Operations per timed block: a few milliseconds for an O(1) cache, so the clock's millisecond is fine enough. */
const timedBlockOps = 4096;

/** Real time after which a slow cache's operations stop (an O(1) cache needs a small fraction of it). */
const slowCutoffMs = 1000;

/**
 * Slow means a median block slower than this per call: a cache that fails any speed budget the exercise
 * sets (20 µs; correct caches take 0.4–5). A correct cache on a busy machine may pass the cutoff, but its
 * median block stays fast (load stretches some blocks, not most), so it runs every operation and its
 * record is the same on every machine; only a cache that fails on speed anyway stops early.
 */
const slowCallUs = 20;

/** What the learner's cache did on each operation. */
const MISS = 0;
const HIT = 1;
/** A get returned a string that is not the key's current value. */
const STALE = 2;
/** A get returned something that is not a string at all. */
const UNREADABLE = 3;
/** A write (a put with a new value); also the fill before the timed task. */
const WRITE = 4;

/** How the last use of a key came about, for the messages. */
const lastUseWords = ["a get that missed (then the put of the fetched value)", "a get that hit", "a get that hit", "a get that hit", "a put of a new value"];

export const lruCache: ComponentSystem = {
  name: "lru-cache",
  summary: "a client calls get(key) and, on a miss, put(key, value); writes put a new value at once; keys are Zipf-distributed",
  describe(scenario) {
    const s = sizes(scenario.workload.options ?? {});
    return [`capacity ${s.capacity} entries; ${s.ops} operations on ${s.keys} keys (Zipf skew ${s.skew}), ${Math.round(s.writeShare * 100)}% of them writes${s.timed ? `; cache filled with ${s.timed} keys first, then timed` : ""}`];
  },
  run(ctx): SystemOutcome {
    const s = sizes(ctx.options);
    const { port } = ctx;
    const cache = port.create(undefined, s.capacity);
    if (cache === undefined) return { figures: {}, series: {}, recordHash: hashText("no cache"), events: 0, simulatedMs: 0 };
    // Key names are a seeded permutation of ranks, so the popular keys differ from seed to seed.
    const names = keyNames(s.keys).slice();
    const shuffle = ctx.rng.fork("names");
    for (let i = names.length - 1; i > 0; i--) {
      const j = shuffle.int(i + 1);
      const swap = names[i]!;
      names[i] = names[j]!;
      names[j] = swap;
    }
    const zipf = zipfSampler(s.keys, s.skew, ctx.rng.fork("keys"));
    const kinds = ctx.rng.fork("writes");
    // Fill with the least popular keys, so the timed operations start against a full cache.
    const warm = Math.min(s.timed, s.keys);
    const total = warm + s.ops;
    const keyAt = new Int32Array(total);
    const writeAt = new Uint8Array(total);
    for (let i = 0; i < warm; i++) {
      keyAt[i] = s.keys - 1 - i;
      writeAt[i] = 1;
    }
    for (let i = warm; i < total; i++) {
      keyAt[i] = zipf();
      writeAt[i] = kinds.next() < s.writeShare ? 1 : 0;
    }

    // The value each operation puts or expects: writes bump the key's version, in operation order.
    const versionAt = new Int32Array(total);
    {
      const version = new Int32Array(s.keys);
      for (let i = 0; i < total; i++) versionAt[i] = writeAt[i] ? ++version[keyAt[i]!]! : version[keyAt[i]!]!;
    }
    const outcome = new Uint8Array(total);
    let firstBadValue = true;
    // Each key's current value, made once per version (a key's versions only grow in operation order): most
    // operations read a few popular keys, and their hits then return the very string the client compares.
    const values: Array<string | undefined> = new Array(s.keys);
    const valueVersions = new Int32Array(s.keys).fill(-1);
    /** One operation on `instance`; `record` is where its outcome goes (the measured cache's, or a scratch one). */
    const call = (instance: number, i: number, record: Uint8Array) => {
      const rank = keyAt[i]!;
      const key = names[rank]!;
      const version = versionAt[i]!;
      if (valueVersions[rank] !== version) {
        values[rank] = valueOf(key, version);
        valueVersions[rank] = version;
      }
      const expected = values[rank]!;
      port.nowMs = i;
      if (writeAt[i]) {
        port.call(instance, PUT, 0, 0, 0, key, expected);
        record[i] = WRITE;
        return 1;
      }
      const got = port.call(instance, GET, 0, 0, 0, key);
      if (got === undefined) {
        port.call(instance, PUT, 0, 0, 0, key, expected);
        record[i] = MISS;
        return 2;
      }
      if (got === expected) record[i] = HIT;
      else {
        record[i] = typeof got === "string" ? STALE : UNREADABLE;
        if (firstBadValue && record === outcome) {
          firstBadValue = false;
          port.complain(
            typeof got === "string"
              ? `get(${JSON.stringify(key)}) returned ${JSON.stringify(got)}, but the key's current value is ${JSON.stringify(expected)}${versionAt[i]! > 0 ? ` (its last put was put(${JSON.stringify(key)}, ${JSON.stringify(expected)}))` : ""}`
              : `get(${JSON.stringify(key)}) returned ${JSON.stringify(got)} (a ${typeof got}), which the client cannot use: it must return the stored string, or undefined on a miss`,
          );
        }
      }
      return 1;
    };
    for (let i = 0; i < warm; i++) call(cache, i, outcome);
    // Timed in blocks of operations: a machine busy with other work stretches some blocks (the process
    // is not running for part of them), not the cache's own cost, so the speed is the median block's.
    const started = wallNow();
    const blockMs: number[] = [];
    const blockCalls: number[] = [];
    let done = warm;
    while (done < total) {
      const end = Math.min(total, done + timedBlockOps);
      const t0 = wallNow();
      let calls = 0;
      for (let i = done; i < end; i++) calls += call(cache, i, outcome);
      blockMs.push(wallNow() - t0);
      blockCalls.push(calls);
      done = end;
      // A cache far too slow stops early, so the run ends with a verdict and not at the wall-time budget;
      // only such a cache's record depends on timing.
      if (wallNow() - started > slowCutoffMs && medianCallUs(blockMs, blockCalls) > slowCallUs) break;
    }

    // The references on the same operations (the fill included: it is part of what the cache has seen).
    const keys = keyAt.subarray(0, done);
    const writes = writeAt.subarray(0, done);
    const lru = simulate(keys, writes, s.capacity, exactLru);
    const optimal = optimalHits(keys, writes, s.capacity);
    let reads = 0, hits = 0, held = 0, lruHits = 0, missedHits = 0, extraHits = 0, stale = 0, unreadable = 0;
    let firstMissed = -1;
    let firstExtra = -1;
    for (let i = warm; i < done; i++) {
      const o = outcome[i]!;
      if (o === WRITE) continue;
      reads++;
      if (o === HIT) hits++;
      if (o === STALE) stale++;
      if (o === UNREADABLE) unreadable++;
      const mine = o !== MISS;
      if (mine) held++;
      if (lru[i]) lruHits++;
      if (lru[i] && !mine) {
        missedHits++;
        if (firstMissed < 0) firstMissed = i;
      } else if (!lru[i] && mine) {
        extraHits++;
        if (firstExtra < 0) firstExtra = i;
      }
    }
    // Which simple mistake the cache's hits match read for read, if any: the hint names the cause.
    const like = missedHits + extraHits > 0 ? likeVariant(keys, writes, s.capacity, outcome, warm) : -1;
    const probe = probeHeld(port, cache, names, keys, s.capacity, done);

    const figures: Record<string, number> = {
      capacity: s.capacity,
      reads,
      hitRatio: round3(hits / Math.max(1, reads)),
      lruHitRatio: round3(lruHits / Math.max(1, reads)),
      optimalHitRatio: round3(optimal / Math.max(1, reads)),
      hitsOfLru: round3(lruHits ? hits / lruHits : 1),
      hitsOfOptimal: round3(optimal ? hits / optimal : 1),
      hits,
      heldHits: held,
      lruHits,
      optimalHits: optimal,
      missedHits,
      extraHits,
      wrongValues: stale,
      unreadableValues: unreadable,
      probedKeys: probe.tried,
      probeHeld: probe.held,
      likeVariant: like,
    };
    // Wall time is the one figure that is not deterministic: it is never part of the record hash.
    if (s.timed) {
      figures.usPerOp = round3(medianCallUs(blockMs, blockCalls));
      figures.timedBlocks = blockMs.length;
    }
    return {
      figures,
      series: { firstMissed: divergence(keys, outcome, names, firstMissed), firstExtra: divergence(keys, outcome, names, firstExtra) },
      recordHash: hashText(`${digitText(outcome.subarray(0, done))}/${probe.held}`),
      events: done,
      simulatedMs: 0,
    };
  },
  checks: {
    "no-errors": componentErrorsCheck((e) => `operation #${e.timeMs + 1}`),
    /** Read by read the same hits as an exact LRU of the same capacity on the same operations. */
    "hit-ratio"(run) {
      const f = run.components.figures;
      const s = run.components.series;
      const text = `hit ratio ${pct(f.hitRatio!)}: ${pct(f.hitsOfLru!)} of an exact LRU's hits (${pct(f.lruHitRatio!)} with ${f.capacity} entries) and ${pct(f.hitsOfOptimal!)} of the optimum's (${pct(f.optimalHitRatio!)})`;
      const problems: string[] = [];
      if (f.missedHits || f.extraHits) {
        problems.push(`${f.missedHits} reads missed that an exact LRU hits and ${f.extraHits} hit that it misses.`);
        const first = f.missedHits ? describeDivergence(s.firstMissed!, f.capacity!, "missed") : describeDivergence(s.firstExtra!, f.capacity!, "hit");
        problems.push(first);
        problems.push(diagnose(f));
      }
      if (f.wrongValues) problems.push(`${f.wrongValues} gets returned a value the key no longer had: a put of a key already cached must replace its value.`);
      if (f.unreadableValues) problems.push(`${f.unreadableValues} gets returned something other than a string (the client cannot use it).`);
      if (problems.length) return { ok: false, message: `${text}. ${problems.join(" ")}` };
      return { ok: true, message: `${text}; every read matched an exact LRU` };
    },
    /** At most `capacity` entries: the most recently used keys read back, and no more hits than the optimum. */
    memory(run) {
      const f = run.components.figures;
      const text = `after the operations, ${f.probeHeld} of the ${f.probedKeys} most recently used keys were still cached (at most ${f.capacity} may be)`;
      if (f.probeHeld! > f.capacity!) return { ok: false, message: `${text}, so this cache holds more than ${f.capacity} entries. Evict when a put of a new key would take it over the capacity.` };
      if (f.heldHits! > f.optimalHits!) return { ok: false, message: `${text}; but ${f.heldHits} reads found their key, and the most any cache of ${f.capacity} entries can find on these operations is ${f.optimalHits}: it held more than ${f.capacity} entries at some point. Evict when a put of a new key would take it over the capacity.` };
      return { ok: true, message: `${text}; ${f.heldHits} reads found their key, the most possible is ${f.optimalHits}` };
    },
    /**
     * Real time per get or put with the cache full, in the median of the timed blocks (a busy machine
     * stretches some blocks; the cost of the cache shows in all of them). Param: maxUs.
     */
    speed(run, params) {
      const f = run.components.figures;
      const text = `${f.usPerOp} µs per call with ${f.capacity} entries (the median of ${f.timedBlocks} timed blocks of ${timedBlockOps} operations), the calls into the sandbox included`;
      if (!(f.usPerOp! <= (params.maxUs ?? Infinity))) return { ok: false, message: `${text}; the budget is ${params.maxUs} µs. get and put must be O(1): a Map for lookup and a linked list (or the Map's own order) for recency, no search through the entries.` };
      return { ok: true, message: text };
    },
  },
};

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** How a cache uses recency: the exact LRU, and the mistakes a diagnosis tries. */
export interface Policy {
  /** Entries it keeps, relative to the capacity. */
  extra: number;
  /** A get that hits makes the key the most recently used. */
  refreshOnGet: boolean;
  /** A put of a key already cached makes it the most recently used. */
  refreshOnPut: boolean;
  /** A put of a key already cached evicts the oldest entry when the cache is full (the slot check forgets the key is there). */
  updateEvicts: boolean;
}

export const exactLru: Policy = { extra: 0, refreshOnGet: true, refreshOnPut: true, updateEvicts: false };

/**
 * Per operation, 1 where a read found its key under `policy`. The recency order is a doubly linked list over
 * key numbers in typed arrays: a use moves the key to the newest end, an eviction takes the oldest, each
 * O(1). (A Map in insertion order does the same, but finding its oldest key skips every entry deleted
 * before it: most of a run's time went there.)
 */
export function simulate(keys: Int32Array, writes: Uint8Array, capacity: number, policy: Policy): Uint8Array {
  const held = new Uint8Array(keys.length);
  const size = capacity + policy.extra;
  let keyCount = 0;
  for (let i = 0; i < keys.length; i++) if (keys[i]! >= keyCount) keyCount = keys[i]! + 1;
  const newer = new Int32Array(keyCount).fill(-1);
  const older = new Int32Array(keyCount).fill(-1);
  const cached = new Uint8Array(keyCount);
  let oldest = -1;
  let newest = -1;
  let count = 0;
  const unlink = (k: number) => {
    const o = older[k]!, n = newer[k]!;
    if (o >= 0) newer[o] = n;
    else oldest = n;
    if (n >= 0) older[n] = o;
    else newest = o;
    cached[k] = 0;
    count--;
  };
  const append = (k: number) => {
    older[k] = newest;
    newer[k] = -1;
    if (newest >= 0) newer[newest] = k;
    else oldest = k;
    newest = k;
    cached[k] = 1;
    count++;
  };
  const evictOldest = () => {
    if (oldest >= 0) unlink(oldest);
  };
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const present = cached[k] === 1;
    if (!writes[i] && present) {
      held[i] = 1;
      if (policy.refreshOnGet) {
        unlink(k);
        append(k);
      }
      continue;
    }
    // A write, or a read that missed and puts the fetched value.
    if (present) {
      if (policy.updateEvicts && count >= size) evictOldest();
      if (policy.refreshOnPut && cached[k]) unlink(k);
      // Setting a key still cached keeps its place; one evicted just now goes in as the newest.
      if (!cached[k]) append(k);
      continue;
    }
    if (size <= 0) continue;
    if (count >= size) evictOldest();
    append(k);
  }
  return held;
}

/** The mistakes a diagnosis tries, in the order their words are preferred. */
export const variants: Policy[] = [];
for (const extra of [0, 1, -1]) {
  for (const refreshOnGet of [true, false]) {
    for (const refreshOnPut of [true, false]) {
      for (const updateEvicts of [false, true]) {
        const p = { extra, refreshOnGet, refreshOnPut, updateEvicts };
        if (extra !== 0 || !refreshOnGet || !refreshOnPut || updateEvicts) variants.push(p);
      }
    }
  }
}

function variantWords(index: number): string {
  const p = variants[index]!;
  const parts: string[] = [];
  if (p.extra > 0) parts.push(`holds ${p.extra} entry more than its capacity (it evicts only once the size is over the capacity, not before a new key would take it over)`);
  if (p.extra < 0) parts.push(`holds ${-p.extra} entry fewer than its capacity (it evicts when the size reaches the capacity after the put)`);
  if (!p.refreshOnGet) parts.push("does not count a get as a use (a hit must make the key the most recently used)");
  if (!p.refreshOnPut) parts.push("leaves a key where it was when a put replaces its value (a put makes it the most recently used: a Map's set on an existing key keeps its old place)");
  if (p.updateEvicts) parts.push("evicts an entry when a put replaces the value of a key already cached (only a new key may make room)");
  return parts.join(", and ");
}

/** The index of the first mistake whose hits equal the cache's on every read, or −1. */
function likeVariant(keys: Int32Array, writes: Uint8Array, capacity: number, outcome: Uint8Array, from: number): number {
  for (let v = 0; v < variants.length; v++) {
    const held = simulate(keys, writes, capacity, variants[v]!);
    let same = true;
    for (let i = from; i < keys.length && same; i++) {
      if (writes[i]) continue;
      if ((outcome[i] !== MISS ? 1 : 0) !== held[i]) same = false;
    }
    if (same) return v;
  }
  return -1;
}

/**
 * [operation, the number in the key's name, distinct other keys used since its last use, that last use's
 * operation, how it was used]; [] for none. Series hold numbers only: the key `k317` travels as 317.
 */
function divergence(keys: Int32Array, outcome: Uint8Array, names: readonly string[], at: number): number[] {
  if (at < 0) return [];
  const key = keys[at]!;
  const between = new Set<number>();
  let last = at - 1;
  for (; last >= 0 && keys[last] !== key; last--) between.add(keys[last]!);
  return [at, Number(names[key]!.slice(1)), between.size, last, last >= 0 ? outcome[last]! : -1];
}

function describeDivergence(d: number[], capacity: number, what: "missed" | "hit"): string {
  const [at, name, distinct, last, kind] = d as [number, number, number, number, number];
  const since = last >= 0 ? `its last use was operation #${last + 1}, ${lastUseWords[kind] ?? "a put"}, and ${distinct} other keys were used since` : "it was never used before";
  const lru = distinct < capacity ? `an exact LRU of ${capacity} keeps it` : `an exact LRU of ${capacity} has evicted it`;
  return `First difference: the read of k${name} at operation #${at + 1} ${what} (${since}; ${lru}).`;
}

/** The cause, best evidence first: a mistake the hits match read for read, then what the read-back showed, then the direction. */
function diagnose(f: Record<string, number>): string {
  if (f.likeVariant! >= 0) return `Read for read, these are the hits of a cache that ${variantWords(f.likeVariant!)}.`;
  // An exact LRU holds exactly this many of the keys read back.
  const lruHeld = Math.min(f.capacity!, f.probedKeys!);
  if (f.probeHeld! < lruHeld) return `After the operations it held only ${f.probeHeld} of the ${f.probedKeys} most recently used keys, where an exact LRU holds ${lruHeld}: it keeps fewer entries than its capacity.`;
  if (f.probeHeld! > lruHeld) return `After the operations it held ${f.probeHeld} of the ${f.probedKeys} most recently used keys, more than the ${lruHeld} an exact LRU holds.`;
  if (f.extraHits! > f.missedHits!) return "It keeps keys an exact LRU has evicted: does it hold more than the capacity, or evict something other than the least recently used entry?";
  return "It evicts keys an exact LRU still holds: a get and a put each make the key the most recently used, only a put of a new key into a full cache evicts, and it evicts the least recently used entry.";
}

/**
 * Reads back the most recently used distinct keys (up to twice the capacity, and a few more) after the
 * operations: an exact LRU holds exactly `capacity` of them. A get does not add an entry, so the probe
 * cannot make any cache hold more than it did.
 */
function probeHeld(port: { call(instance: number, method: string, a?: number, b?: number, c?: number, s?: string): unknown; nowMs: number }, cache: number, names: string[], keys: Int32Array, capacity: number, done: number) {
  const want = Math.min(names.length, 2 * capacity + 8);
  const recent: number[] = [];
  const seen = new Uint8Array(names.length);
  for (let i = done - 1; i >= 0 && recent.length < want; i--) {
    if (seen[keys[i]!]) continue;
    seen[keys[i]!] = 1;
    recent.push(keys[i]!);
  }
  let held = 0;
  port.nowMs = done;
  for (const k of recent) if (port.call(cache, GET, 0, 0, 0, names[k]!) !== undefined) held++;
  return { tried: recent.length, held };
}

/**
 * Read hits of Belady's optimum with bypass. A key's worth is its next read: when its next use is a
 * write, the copy held now is worth nothing (the write brings the new value for free), so it counts as
 * never used again. On a miss or a write of a key not held, keep it only if it is read sooner than some
 * key held.
 */
export function optimalHits(keys: Int32Array, writes: Uint8Array, capacity: number): number {
  const n = keys.length;
  let keyCount = 0;
  for (let i = 0; i < n; i++) if (keys[i]! >= keyCount) keyCount = keys[i]! + 1;
  // Typed arrays over key numbers and operations, not Maps and growing arrays: this runs on every
  // operation of every run (a tenth of lru-cache's Submit in the browser with Maps).
  const nextUse = new Int32Array(n);
  const seen = new Int32Array(keyCount).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    const next = seen[keys[i]!]!;
    // Never again (or a write next): beyond every real index, distinct per operation.
    nextUse[i] = next < 0 || writes[next] ? n + i : next;
    seen[keys[i]!] = i;
  }
  // A max-heap of (next use, key) with lazy deletion: an entry is live if it matches the key's current next
  // use. At most one push per operation, so n slots hold it.
  const heapUse = new Int32Array(Math.max(1, n));
  const heapKey = new Int32Array(Math.max(1, n));
  let size = 0;
  /** Per key, the next use of the copy held, or −1 when none is held. */
  const current = new Int32Array(keyCount).fill(-1);
  let held = 0;
  const push = (use: number, key: number) => {
    let i = size++;
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
    size--;
    if (size === 0) return;
    const lastUse = heapUse[size]!;
    const lastKey = heapKey[size]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && heapUse[r]! > heapUse[l]! ? r : l;
      if (heapUse[c]! <= lastUse) break;
      heapUse[i] = heapUse[c]!;
      heapKey[i] = heapKey[c]!;
      i = c;
    }
    heapUse[i] = lastUse;
    heapKey[i] = lastKey;
  };
  const top = () => {
    while (size > 0 && current[heapKey[0]!] !== heapUse[0]) pop();
  };
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const use = nextUse[i]!;
    if (current[k]! >= 0) {
      if (!writes[i]) hits++;
      current[k] = use;
      push(use, k);
      continue;
    }
    if (held < capacity) {
      current[k] = use;
      held++;
      push(use, k);
      continue;
    }
    top();
    if (size > 0 && heapUse[0]! > use) {
      current[heapKey[0]!] = -1;
      pop();
      current[k] = use;
      push(use, k);
    }
  }
  return hits;
}

/**
 * The outcomes as one string of digits ("0"…"4"), as Array.prototype.join(…, "") writes them, in chunks of
 * character codes: join converts element by element (3–4 ms a run of 60 000 operations).
 */
export function digitText(digits: Uint8Array): string {
  const chunk = 8192;
  const codes = new Uint16Array(Math.min(chunk, digits.length));
  let text = "";
  for (let at = 0; at < digits.length; at += chunk) {
    const n = Math.min(chunk, digits.length - at);
    for (let i = 0; i < n; i++) codes[i] = 48 + digits[at + i]!;
    text += String.fromCharCode.apply(null, n === codes.length ? (codes as unknown as number[]) : (codes.subarray(0, n) as unknown as number[]));
  }
  return text;
}

/** The median timed block's cost per call, in µs (0 before any block). */
function medianCallUs(blockMs: readonly number[], blockCalls: readonly number[]): number {
  const perCallUs = blockMs.map((ms, b) => (ms * 1000) / Math.max(1, blockCalls[b]!)).sort((a, b) => a - b);
  return perCallUs[perCallUs.length >> 1] ?? 0;
}
