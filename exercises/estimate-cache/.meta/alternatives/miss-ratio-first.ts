import type { CacheAssumptions, CacheFigures } from "clusterlab";

// The misses first: the items outside the hot set take (H(n) − H(k)) / H(n) of the reads, and
// H(n) − H(k) ≈ ln(n / k) = ln(1 / hotShare), whatever the catalogue's size.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * a.hotShare;
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const missRatio = Math.log(1 / a.hotShare) / (Math.log(a.objects) + 0.5772);
  return {
    hotObjects,
    bytesPerEntry,
    cacheBytes: hotObjects * bytesPerEntry,
    cacheNodes: Math.ceil((hotObjects * bytesPerEntry) / (a.nodeMemoryGiB * 1024 ** 3)),
    hitRatio: 1 - missRatio,
    dbReadsPerSec: a.readsPerSec * missRatio,
  };
}
