import type { CachePatterns, CachePolicy, CachePolicyFactory } from "clusterlab";

const readCached: CachePolicy["read"] = (_key, ageMs) => (ageMs >= 0 ? "cache" : "database");

/**
 * Cache-aside that updates the entry on a write instead of deleting it: the next reader finds the new
 * value at once (no miss after every write), at the cost of caching values nobody may read again. Both
 * are safe here because the cache never takes an older value over a newer one.
 */
const cacheAside: CachePolicyFactory = () => ({
  read: readCached,
  write: () => "write-through",
});

const writeThrough: CachePolicyFactory = () => ({
  read: readCached,
  write: () => "write-through",
});

/**
 * Write-behind keeping, per dirty key, when it was first written since its last flush; every tick
 * flushes all of them, oldest first, so the database is never more than one tick behind.
 */
const writeBehind: CachePolicyFactory = () => {
  const dirtySince = new Map<string, number>();
  return {
    read: readCached,
    write(key) {
      if (!dirtySince.has(key)) dirtySince.set(key, Date.now());
      return "write-behind";
    },
    tick() {
      const keys = [...dirtySince.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
      dirtySince.clear();
      return keys.join(",");
    },
  };
};

/**
 * Refresh-ahead by probabilistic early expiration (XFetch, Vattani et al. 2015): a read refreshes with a
 * chance that grows as the entry nears its time-to-live, so the reads of a hot key trigger a refresh
 * early and about once, with no per-key bookkeeping. `beta` sets how early: a larger one refreshes sooner.
 */
const refreshAhead: CachePolicyFactory = ({ ttlMs }) => {
  /**
   * The time scale of "early": XFetch's reload time × beta. The hot keys here are read only a few times
   * per time-to-live, so the refresh must be likely well before expiry, not in its last few ms.
   */
  const reloadMs = 100;
  const beta = 3;
  return {
    read(_key, ageMs) {
      if (ageMs < 0) return "database";
      const early = -reloadMs * beta * Math.log(Math.random());
      return ageMs + early >= ttlMs ? "cache+refresh" : "cache";
    },
    write: () => "write-through",
  };
};

export default { cacheAside, writeThrough, writeBehind, refreshAhead } satisfies CachePatterns;
