import type { Cache, CacheFactory } from "clusterlab";

interface Entry {
  key: string;
  value: string;
  newer: Entry;
  older: Entry;
}

/**
 * The textbook LRU: a Map from key to entry for O(1) lookup, and a doubly linked list of entries from the
 * most recently used to the least, closed into a ring by one sentinel so that no link is ever null.
 */
const createCache: CacheFactory = (capacity) => {
  const byKey = new Map<string, Entry>();
  const ring = { key: "", value: "" } as Entry;
  ring.newer = ring.older = ring;
  const unlink = (e: Entry) => {
    e.newer.older = e.older;
    e.older.newer = e.newer;
  };
  const makeNewest = (e: Entry) => {
    e.older = ring.older;
    e.newer = ring;
    ring.older.newer = e;
    ring.older = e;
  };
  const cache: Cache = {
    get(key) {
      const e = byKey.get(key);
      if (!e) return undefined;
      unlink(e);
      makeNewest(e);
      return e.value;
    },
    put(key, value) {
      const existing = byKey.get(key);
      if (existing) {
        existing.value = value;
        unlink(existing);
        makeNewest(existing);
        return;
      }
      if (capacity <= 0) return;
      if (byKey.size >= capacity) {
        const oldest = ring.newer;
        unlink(oldest);
        byKey.delete(oldest.key);
      }
      const e = { key, value } as Entry;
      makeNewest(e);
      byKey.set(key, e);
    },
  };
  return cache;
};

export default createCache;
