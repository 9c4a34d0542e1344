// fails: hit-ratio
import type { Cache, CacheFactory } from "clusterlab";

/** An LRU on a Map's order whose put makes room before it looks whether the key is already there. */
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
      // A full cache evicts its oldest entry even when this put only replaces a value.
      if (entries.size >= capacity) entries.delete(entries.keys().next().value!);
      entries.delete(key);
      entries.set(key, value);
    },
  };
  return cache;
};

export default createCache;
