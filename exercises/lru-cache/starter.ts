import type { Cache, CacheFactory } from "clusterlab";

// A cache of at most `capacity` entries that evicts the least recently used one.
const createCache: CacheFactory = (capacity) => {
  const cache: Cache = {
    get(key) {
      return undefined; // TODO
    },
    put(key, value) {
      // TODO
    },
  };
  return cache;
};

export default createCache;
