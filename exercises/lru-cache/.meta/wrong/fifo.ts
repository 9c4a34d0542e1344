// fails: hit-ratio
import type { Cache, CacheFactory } from "clusterlab";

/** First in, first out: a get does not refresh the key, so the most popular keys keep getting evicted. */
const createCache: CacheFactory = (capacity) => {
  const entries = new Map<string, string>();
  const cache: Cache = {
    get: (key) => entries.get(key),
    put(key, value) {
      if (!entries.has(key) && entries.size >= capacity) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
  };
  return cache;
};

export default createCache;
