import type { Cache, CacheFactory } from "clusterlab";

/**
 * A Map remembers insertion order, so it is already a recency list: on every use, delete the key and set
 * it again (it moves to the end); the first key is then the least recently used. Both are O(1).
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
      entries.delete(key);
      if (entries.size >= capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(key, value);
    },
  };
  return cache;
};

export default createCache;
