// fails: peak-write-qps
import type { QpsAssumptions, QpsFigures } from "clusterlab";

// Sends every request to the primary: the peak write rate is taken as the whole peak.
export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / 86_400;
  const peakQps = meanQps * a.peakToMeanRatio;
  return { dailyRequests, meanQps, peakQps, peakWriteQps: peakQps, readToWriteRatio: a.readsPerUserPerDay / a.writesPerUserPerDay };
}
