import type { CachePatterns, CachePolicy, CachePolicyFactory } from "clusterlab";

const readCached: CachePolicy["read"] = (_key, ageMs) => (ageMs >= 0 ? "cache" : "database");

/** Cache-aside as in the books: fill on a miss, and on a write update the database, then delete the entry. */
const cacheAside: CachePolicyFactory = () => ({
  read: readCached,
  write: () => "invalidate",
});

/**
 * Write-through, and the entries its readers keep hot are reloaded in the background near the end of
 * their time-to-live, so a hot key does not fall out of the cache between two writes.
 */
const writeThrough: CachePolicyFactory = ({ ttlMs }) => {
  const reloadedAt = new Map<string, number>();
  return {
    read(key, ageMs) {
      if (ageMs < 0) return "database";
      if (ageMs > 0.9 * ttlMs && (reloadedAt.get(key) ?? -Infinity) < Date.now() - 0.1 * ttlMs) {
        reloadedAt.set(key, Date.now());
        return "cache+refresh";
      }
      return "cache";
    },
    write: () => "write-through",
  };
};

/**
 * Write-behind with the dirty keys in an array (in write order) and a set to skip duplicates; each tick
 * flushes the array whole. Re-writing a key already queued adds nothing: its latest value is what the
 * flush sends, because the flush reads the cache.
 */
const writeBehind: CachePolicyFactory = () => {
  let queue: string[] = [];
  let queued = new Set<string>();
  return {
    read: readCached,
    write(key) {
      if (!queued.has(key)) {
        queued.add(key);
        queue.push(key);
      }
      return "write-behind";
    },
    tick() {
      const keys = queue.join(",");
      queue = [];
      queued = new Set();
      return keys;
    },
  };
};

/**
 * Refresh-ahead for popular keys only: a key read at least `hotReads` times in its current entry's life
 * is reloaded once it is past half its time-to-live; a rarely read key just expires, which costs one
 * slow read and saves a reload nobody needed.
 */
const refreshAhead: CachePolicyFactory = ({ ttlMs }) => {
  const hotReads = 2;
  const readsOf = new Map<string, { count: number; since: number; refreshedAt: number }>();
  return {
    read(key, ageMs) {
      if (ageMs < 0) {
        readsOf.set(key, { count: 0, since: Date.now(), refreshedAt: -Infinity });
        return "database";
      }
      let stats = readsOf.get(key);
      if (!stats || Date.now() - stats.since > ttlMs) {
        stats = { count: 0, since: Date.now() - ageMs, refreshedAt: stats?.refreshedAt ?? -Infinity };
        readsOf.set(key, stats);
      }
      stats.count++;
      if (stats.count >= hotReads && ageMs > 0.5 * ttlMs && stats.refreshedAt < Date.now() - 0.5 * ttlMs) {
        stats.refreshedAt = Date.now();
        stats.count = 0;
        stats.since = Date.now();
        return "cache+refresh";
      }
      return "cache";
    },
    write: () => "write-through",
  };
};

export default { cacheAside, writeThrough, writeBehind, refreshAhead } satisfies CachePatterns;
