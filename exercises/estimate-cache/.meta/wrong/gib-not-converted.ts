// fails: cache-nodes
import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Divides bytes by a count of GiB.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * a.hotShare;
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const cacheBytes = hotObjects * bytesPerEntry;
  const cacheNodes = Math.ceil(cacheBytes / a.nodeMemoryGiB);
  const hitRatio = (Math.log(hotObjects) + 0.5772) / (Math.log(a.objects) + 0.5772);
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec: a.readsPerSec * (1 - hitRatio) };
}
