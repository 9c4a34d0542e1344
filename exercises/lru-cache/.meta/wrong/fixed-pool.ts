// fails: hit-ratio
import type { Cache, CacheFactory } from "clusterlab";

/**
 * An exact LRU on a preallocated pool of slots (typed arrays for the recency list), sized once for what
 * seemed plenty: above 4096 entries it silently holds only 4096.
 */
const poolSize = 4096;

const createCache: CacheFactory = (capacity) => {
  const size = Math.min(capacity, poolSize);
  const keys: string[] = new Array(size);
  const values: string[] = new Array(size);
  const prev = new Int32Array(size + 1);
  const next = new Int32Array(size + 1);
  const head = size; // sentinel: next[head] is the most recent, prev[head] the least
  prev[head] = next[head] = head;
  const slotOf = new Map<string, number>();
  let used = 0;
  const unlink = (i: number) => {
    next[prev[i]!] = next[i]!;
    prev[next[i]!] = prev[i]!;
  };
  const pushFront = (i: number) => {
    next[i] = next[head]!;
    prev[i] = head;
    prev[next[head]!] = i;
    next[head] = i;
  };
  const cache: Cache = {
    get(key) {
      const i = slotOf.get(key);
      if (i === undefined) return undefined;
      unlink(i);
      pushFront(i);
      return values[i];
    },
    put(key, value) {
      let i = slotOf.get(key);
      if (i !== undefined) unlink(i);
      else if (used < size) i = used++;
      else {
        i = prev[head]!;
        unlink(i);
        slotOf.delete(keys[i]!);
      }
      keys[i] = key;
      values[i] = value;
      slotOf.set(key, i);
      pushFront(i);
    },
  };
  return cache;
};

export default createCache;
