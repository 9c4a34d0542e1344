// The lru-cache system's reference LRU (and each mistake its diagnosis tries) as a linked list over key
// numbers: read for read the same hits as the plain model here, a Map in insertion order, on seeded random
// operations over every policy and small, exact and overfull capacities.
import { describe, expect, it } from "vitest";
import { exactLru, simulate, variants, type Policy } from "../../graders/components/lru-cache.ts";
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
