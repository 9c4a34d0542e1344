// fails: hot-objects
import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Keeps the cold 1 − hotShare of the items: the 80/20 rule read backwards.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * (1 - a.hotShare);
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const cacheBytes = hotObjects * bytesPerEntry;
  const cacheNodes = Math.ceil(cacheBytes / (a.nodeMemoryGiB * 2 ** 30));
  const hitRatio = (Math.log(hotObjects) + 0.5772) / (Math.log(a.objects) + 0.5772);
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec: a.readsPerSec * (1 - hitRatio) };
}
