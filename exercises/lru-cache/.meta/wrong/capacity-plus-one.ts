// fails: memory
import type { Cache, CacheFactory } from "clusterlab";

/** An LRU on a Map's order that evicts once the size is over the capacity: it always holds one entry too many. */
const createCache: CacheFactory = (capacity) => {
  const entries = new Map<string, string>();
  const cache: Cache = {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    put(key, value) {
      entries.delete(key);
      entries.set(key, value);
      // Checked after the insert, and with > where >= was meant.
      if (entries.size > capacity + 1) entries.delete(entries.keys().next().value!);
    },
  };
  return cache;
};

export default createCache;
