// fails: db-reads
import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Sends the hits to the database instead of the misses.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * a.hotShare;
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const cacheBytes = hotObjects * bytesPerEntry;
  const cacheNodes = Math.ceil(cacheBytes / (a.nodeMemoryGiB * 2 ** 30));
  const hitRatio = (Math.log(hotObjects) + 0.5772) / (Math.log(a.objects) + 0.5772);
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec: a.readsPerSec * hitRatio };
}
