// fails: read-write-ratio
import type { QpsAssumptions, QpsFigures } from "clusterlab";

// Writes per read where reads per write was asked.
export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / 86_400;
  const peakQps = meanQps * a.peakToMeanRatio;
  const peakWriteQps = ((a.dailyActiveUsers * a.writesPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  return { dailyRequests, meanQps, peakQps, peakWriteQps, readToWriteRatio: a.writesPerUserPerDay / a.readsPerUserPerDay };
}
