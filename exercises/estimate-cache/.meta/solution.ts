import type { CacheAssumptions, CacheFigures } from "clusterlab";

const gamma = 0.5772;
/** H(n) = 1 + 1/2 + … + 1/n, for large n. */
const harmonic = (n: number) => Math.log(n) + gamma;

export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = a.objects * a.hotShare;
  const bytesPerEntry = a.bytesPerObject + a.overheadBytesPerEntry;
  const cacheBytes = hotObjects * bytesPerEntry;
  const cacheNodes = Math.ceil(cacheBytes / (a.nodeMemoryGiB * 2 ** 30));
  const hitRatio = harmonic(hotObjects) / harmonic(a.objects);
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec: a.readsPerSec * (1 - hitRatio) };
}
