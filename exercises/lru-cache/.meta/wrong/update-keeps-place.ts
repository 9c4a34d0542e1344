// fails: hit-ratio
import type { Cache, CacheFactory } from "clusterlab";

/**
 * An LRU on a Map's order, where put sets the value in place: a Map's set on a key it has keeps the key's
 * old position, so an updated key stays as old as it was and is evicted too soon.
 */
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
      if (!entries.has(key) && entries.size >= capacity) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
  };
  return cache;
};

export default createCache;
