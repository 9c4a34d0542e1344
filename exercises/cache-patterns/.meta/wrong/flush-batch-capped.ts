// fails: lost-writes
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

/** At most this many keys per flush, "to keep database batches small". */
const flushBatchMax = 20;

/**
 * Write-behind with a flush batch capped at 20 keys: while writes touch fewer keys per 100 ms than that,
 * all is well; above it the dirty set only grows, and the crash takes the whole backlog.
 */
const writeBehind: CachePolicyFactory = () => {
  const dirty: string[] = [];
  const queued = new Set<string>();
  return {
    read: readCached,
    write(key) {
      if (!queued.has(key)) {
        queued.add(key);
        dirty.push(key);
      }
      return "write-behind";
    },
    tick() {
      const batch = dirty.splice(0, flushBatchMax);
      for (const key of batch) queued.delete(key);
      return batch.join(",");
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
