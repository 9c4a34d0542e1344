// fails: peak-qps
import type { QpsAssumptions, QpsFigures } from "clusterlab";

// Sizes for the day's mean: the busiest hour is forgotten.
export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / 86_400;
  const peakQps = meanQps;
  const peakWriteQps = ((a.dailyActiveUsers * a.writesPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  return { dailyRequests, meanQps, peakQps, peakWriteQps, readToWriteRatio: a.readsPerUserPerDay / a.writesPerUserPerDay };
}
