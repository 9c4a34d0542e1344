// fails: cache-bytes
import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Sizes the cache for every object, not the hot set.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * a.hotShare;
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const cacheBytes = a.objects * bytesPerEntry;
  const cacheNodes = Math.ceil(cacheBytes / (a.nodeMemoryGiB * 2 ** 30));
  const hitRatio = (Math.log(hotObjects) + 0.5772) / (Math.log(a.objects) + 0.5772);
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec: a.readsPerSec * (1 - hitRatio) };
}
