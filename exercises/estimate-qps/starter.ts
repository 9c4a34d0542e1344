import type { QpsAssumptions, QpsFigures } from "clusterlab";

// From daily users to requests per second: every figure in the unit its name ends with.
export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = 0; // TODO: every user's reads and writes in a day
  const meanQps = 0; // TODO
  const peakQps = 0; // TODO
  const peakWriteQps = 0; // TODO
  const readToWriteRatio = 0; // TODO
  return { dailyRequests, meanQps, peakQps, peakWriteQps, readToWriteRatio };
}
