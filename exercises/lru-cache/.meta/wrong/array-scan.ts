// fails: speed
import type { Cache, CacheFactory } from "clusterlab";

/** An exact LRU, but on an array: every get and put scans it, O(capacity) per operation. */
const createCache: CacheFactory = (capacity) => {
  const keys: string[] = [];
  const values: string[] = [];
  const cache: Cache = {
    get(key) {
      const i = keys.indexOf(key);
      if (i < 0) return undefined;
      const value = values[i]!;
      keys.splice(i, 1);
      values.splice(i, 1);
      keys.push(key);
      values.push(value);
      return value;
    },
    put(key, value) {
      const i = keys.indexOf(key);
      if (i >= 0) {
        keys.splice(i, 1);
        values.splice(i, 1);
      } else if (keys.length >= capacity) {
        keys.shift();
        values.shift();
      }
      keys.push(key);
      values.push(value);
    },
  };
  return cache;
};

export default createCache;
