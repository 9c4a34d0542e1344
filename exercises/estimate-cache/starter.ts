import type { CacheAssumptions, CacheFigures } from "clusterlab";

// Memory for the hot set of a Zipf-popular catalogue, the nodes it takes, and the reads that miss.
export default function estimate(a: CacheAssumptions): CacheFigures {
  const hotObjects = 0; // TODO
  const bytesPerEntry = 0; // TODO
  const cacheBytes = 0; // TODO
  const cacheNodes = 0; // TODO
  const hitRatio = 0.5; // TODO: under Zipf popularity, not uniform
  const dbReadsPerSec = 0; // TODO
  return { hotObjects, bytesPerEntry, cacheBytes, cacheNodes, hitRatio, dbReadsPerSec };
}
