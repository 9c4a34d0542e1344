// fails: hit-ratio
import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Takes the hot set's share of the items for its share of the reads, as if every item were equally popular.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * a.hotShare;
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const cacheBytes = hotObjects * bytesPerEntry;
  const cacheNodes = Math.ceil(cacheBytes / (a.nodeMemoryGiB * 2 ** 30));
  const hitRatio = a.hotShare;
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec: a.readsPerSec * (1 - hitRatio) };
}
