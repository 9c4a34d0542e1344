// fails: hit-ratio
import type { Cache, CacheFactory } from "clusterlab";

/** An LRU on a Map's order whose put of a key already cached only refreshes it: gets then return the old value. */
const createCache: CacheFactory = (capacity) => {
  const entries = new Map<string, string>();
  const touch = (key: string, value: string) => {
    entries.delete(key);
    entries.set(key, value);
  };
  const cache: Cache = {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) touch(key, value);
      return value;
    },
    put(key, value) {
      const cached = entries.get(key);
      if (cached !== undefined) {
        touch(key, cached);
        return;
      }
      if (entries.size >= capacity) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
  };
  return cache;
};

export default createCache;
