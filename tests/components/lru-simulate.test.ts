// The lru-cache system's reference LRU (and each mistake its diagnosis tries) as a linked list over key
// numbers: read for read the same hits as the plain model here, a Map in insertion order, on seeded random
// operations over every policy and small, exact and overfull capacities. Its optimum (the memory check's
// bound: no cache of that size finds more) against an exhaustive search on short operation lists.
import { describe, expect, it } from "vitest";
import { digitText, exactLru, optimalHits, simulate, variants, type Policy } from "../../graders/components/lru-cache.ts";
import { createRng } from "../../graders/sim/prng.ts";

/** The model: a Map keeps insertion order, so delete and set again marks a use; its first key is the oldest. */
function mapModel(keys: Int32Array, writes: Uint8Array, capacity: number, policy: Policy): Uint8Array {
  const held = new Uint8Array(keys.length);
  const cache = new Map<number, true>();
  const size = capacity + policy.extra;
  const evictOldest = () => {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  };
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const present = cache.has(k);
    if (!writes[i] && present) {
      held[i] = 1;
      if (policy.refreshOnGet) {
        cache.delete(k);
        cache.set(k, true);
      }
      continue;
    }
    if (present) {
      if (policy.updateEvicts && cache.size >= size) evictOldest();
      if (policy.refreshOnPut) cache.delete(k);
      cache.set(k, true);
      continue;
    }
    if (size <= 0) continue;
    if (cache.size >= size) evictOldest();
    cache.set(k, true);
  }
  return held;
}

describe("lru-cache's reference simulation", () => {
  it("matches the Map model on every policy, read for read", () => {
    const rng = createRng(7, "lru-simulate-test");
    let hits = 0;
    for (const [keyCount, capacity, ops] of [[5, 1, 400], [50, 10, 3000], [400, 64, 6000], [30, 30, 2000], [3, 1, 300]] as const) {
      const keys = new Int32Array(ops);
      const writes = new Uint8Array(ops);
      for (let i = 0; i < ops; i++) {
        // Skewed: half the operations on the first tenth of the keys, so keys are used again while cached.
        keys[i] = rng.next() < 0.5 ? rng.int(Math.max(1, Math.floor(keyCount / 10))) : rng.int(keyCount);
        writes[i] = rng.next() < 0.2 ? 1 : 0;
      }
      for (const policy of [exactLru, ...variants]) {
        const got = simulate(keys, writes, capacity, policy);
        expect(Array.from(got), `${keyCount} keys, capacity ${capacity}, ${JSON.stringify(policy)}`).toEqual(Array.from(mapModel(keys, writes, capacity, policy)));
        hits += got.reduce((a, b) => a + b, 0);
      }
    }
    expect(hits).toBeGreaterThan(1000);
  });
});

/**
 * The most read hits any cache of `capacity` entries can have, by trying every choice: after a miss or a
 * write of a key not held, keep it (evicting any one key when full) or not. A write leaves a held key held
 * with its new value. States are sets of held keys, as bit masks, memoised per operation.
 */
function bestPossible(keys: Int32Array, writes: Uint8Array, capacity: number): number {
  const memo = new Map<string, number>();
  const popcount = (m: number) => m.toString(2).replaceAll("0", "").length;
  const best = (i: number, held: number): number => {
    if (i === keys.length) return 0;
    const id = `${i}/${held}`;
    const known = memo.get(id);
    if (known !== undefined) return known;
    const bit = 1 << keys[i]!;
    let result: number;
    if (held & bit) result = (writes[i] ? 0 : 1) + best(i + 1, held);
    else {
      result = best(i + 1, held); // bypass
      if (capacity > 0) {
        if (popcount(held) < capacity) result = Math.max(result, best(i + 1, held | bit));
        else for (let k = 0; k < 31; k++) if (held & (1 << k)) result = Math.max(result, best(i + 1, (held & ~(1 << k)) | bit));
      }
    }
    memo.set(id, result);
    return result;
  };
  return best(0, 0);
}

describe("lru-cache's optimum", () => {
  it("equals an exhaustive search over every keep-or-evict choice", () => {
    const rng = createRng(11, "lru-optimum-test");
    let cases = 0;
    for (let t = 0; t < 300; t++) {
      const ops = 1 + rng.int(16);
      const keyCount = 1 + rng.int(6);
      const keys = new Int32Array(ops);
      const writes = new Uint8Array(ops);
      for (let i = 0; i < ops; i++) {
        keys[i] = rng.int(keyCount);
        writes[i] = rng.next() < 0.25 ? 1 : 0;
      }
      for (const capacity of [0, 1, 2, 3]) {
        expect(optimalHits(keys, writes, capacity), `keys ${Array.from(keys)}, writes ${Array.from(writes)}, capacity ${capacity}`).toBe(bestPossible(keys, writes, capacity));
        cases++;
      }
    }
    expect(cases).toBe(1200);
  });
});

describe("lru-cache's record text", () => {
  it("writes the outcomes as Array.prototype.join(…, \"\") does, across chunk edges", () => {
    const rng = createRng(7, "digits");
    for (const n of [0, 1, 2, 8191, 8192, 8193, 16_384, 60_000]) {
      const digits = Uint8Array.from({ length: n }, () => rng.int(5));
      expect(digitText(digits)).toBe(Array.prototype.join.call(digits, ""));
    }
  });
});
