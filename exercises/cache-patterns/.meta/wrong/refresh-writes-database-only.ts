// fails: stale-reads
import type { CachePatterns, CachePolicy, CachePolicyFactory } from "clusterlab";

/** Read from the cache when it has the key; otherwise the database (which fills the cache). */
const readCached: CachePolicy["read"] = (_key, ageMs) => (ageMs >= 0 ? "cache" : "database");

/** Cache-aside: the application fills the cache on a miss and deletes the entry on a write. */
const cacheAside: CachePolicyFactory = () => ({
  read: readCached,
  write: () => "invalidate",
});

/** Write-through: every write goes to the database and then to the cache, so the cache stays current. */
const writeThrough: CachePolicyFactory = () => ({
  read: readCached,
  write: () => "write-through",
});

/**
 * Write-behind: a write lands in the cache and is acknowledged at once; the database gets it at the next
 * tick. Every dirty key is flushed on every tick, so a crash loses at most the last 100 ms of writes.
 */
const writeBehind: CachePolicyFactory = () => {
  const dirty = new Set<string>();
  return {
    read: readCached,
    write(key) {
      dirty.add(key);
      return "write-behind";
    },
    tick() {
      const keys = [...dirty].join(",");
      dirty.clear();
      return keys;
    },
  };
};

/**
 * Refresh-ahead whose writes go to the database only, on the idea that the background reload will pick
 * the new value up soon anyway: until it does, every read of the key returns the old value.
 */
const refreshAhead: CachePolicyFactory = ({ ttlMs }) => {
  const refreshing = new Map<string, number>();
  return {
    read(key, ageMs) {
      if (ageMs < 0) return "database";
      if (ageMs > 0.5 * ttlMs && (refreshing.get(key) ?? -Infinity) < Date.now() - 0.5 * ttlMs) {
        refreshing.set(key, Date.now());
        return "cache+refresh";
      }
      return "cache";
    },
    write: () => "database",
  };
};

export default { cacheAside, writeThrough, writeBehind, refreshAhead } satisfies CachePatterns;
