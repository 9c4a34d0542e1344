// fails: memory
import type { Cache, CacheFactory } from "clusterlab";

/** Keeps everything: a fine hit ratio, and far over the memory budget. */
const createCache: CacheFactory = () => {
  const entries = new Map<string, string>();
  const cache: Cache = {
    get: (key) => entries.get(key),
    put(key, value) {
      entries.set(key, value);
    },
  };
  return cache;
};

export default createCache;
