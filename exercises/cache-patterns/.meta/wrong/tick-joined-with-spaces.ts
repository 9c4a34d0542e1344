// fails: no-errors
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
 * Write-behind whose tick() joins the keys with ", " (a comma and a space), as one might for a log line:
 * "item:3, item:17". The system reads " item:17" as no key at all, so only the first key of each flush
 * reaches the database.
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
      const keys = [...dirty].join(", ");
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
