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
 * Write-behind that sends reads of dirty keys to the database, "to be safe while the cache holds a value
 * the database does not have yet": exactly backwards. The database has the old value until the flush,
 * so every such read is stale.
 */
const writeBehind: CachePolicyFactory = () => {
  const dirty = new Set<string>();
  return {
    read: (key, ageMs) => (ageMs >= 0 && !dirty.has(key) ? "cache" : "database"),
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
 * Refresh-ahead: a key read in the second half of its time-to-live is served from the cache and reloaded
 * in the background, so a popular key never expires under its readers. Writes go through to the cache
 * (an invalidation would send the next reader of a hot key to the database).
 */
const refreshAhead: CachePolicyFactory = ({ ttlMs }) => {
  const refreshing = new Map<string, number>();
  return {
    read(key, ageMs) {
      if (ageMs < 0) return "database";
      // One background reload per key per refresh window, not one per read.
      if (ageMs > 0.5 * ttlMs && (refreshing.get(key) ?? -Infinity) < Date.now() - 0.5 * ttlMs) {
        refreshing.set(key, Date.now());
        return "cache+refresh";
      }
      return "cache";
    },
    write: () => "write-through",
  };
};

export default { cacheAside, writeThrough, writeBehind, refreshAhead } satisfies CachePatterns;
