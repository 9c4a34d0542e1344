import type { CachePatterns, CachePolicyFactory } from "clusterlab";

// One factory per pattern. read(key, ageMs) and write(key) return what the application does; see the
// CachePolicy type for the choices. tick() (optional) runs every 100 ms.

const cacheAside: CachePolicyFactory = () => ({
  read: () => "database",
  write: () => "database",
});

const writeThrough: CachePolicyFactory = () => ({
  read: () => "database",
  write: () => "database",
});

const writeBehind: CachePolicyFactory = () => ({
  read: () => "database",
  write: () => "database",
});

const refreshAhead: CachePolicyFactory = ({ ttlMs }) => ({
  read: () => "database",
  write: () => "database",
});

export default { cacheAside, writeThrough, writeBehind, refreshAhead } satisfies CachePatterns;
