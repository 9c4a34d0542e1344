import type { Cache, CacheFactory } from "clusterlab";

/**
 * LRU on parallel arrays: each entry lives in a numbered slot, the recency list is two Int32Arrays of slot
 * numbers (no object per entry for the collector to trace), and a full cache reuses the oldest entry's slot.
 */
const createCache: CacheFactory = (capacity) => {
  const size = Math.max(0, capacity);
  const keys: string[] = [];
  const values: string[] = [];
  // Slot `size` is the list's head: newer[head] is the least recently used, older[head] the most.
  const head = size;
  const newer = new Int32Array(size + 1);
  const older = new Int32Array(size + 1);
  newer[head] = older[head] = head;
  const slotOf = new Map<string, number>();
  const unlink = (i: number) => {
    newer[older[i]!] = newer[i]!;
    older[newer[i]!] = older[i]!;
  };
  const append = (i: number) => {
    const last = older[head]!;
    newer[last] = i;
    older[i] = last;
    newer[i] = head;
    older[head] = i;
  };
  const cache: Cache = {
    get(key) {
      const i = slotOf.get(key);
      if (i === undefined) return undefined;
      unlink(i);
      append(i);
      return values[i];
    },
    put(key, value) {
      let i = slotOf.get(key);
      if (i !== undefined) {
        values[i] = value;
        unlink(i);
        append(i);
        return;
      }
      if (size === 0) return;
      if (slotOf.size < size) i = slotOf.size;
      else {
        i = newer[head]!;
        unlink(i);
        slotOf.delete(keys[i]!);
      }
      keys[i] = key;
      values[i] = value;
      slotOf.set(key, i);
      append(i);
    },
  };
  return cache;
};

export default createCache;
