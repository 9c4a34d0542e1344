// fails: mean-qps
import type { QpsAssumptions, QpsFigures } from "clusterlab";

// Divides a day's requests by the seconds in an hour.
export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / 3600;
  const peakQps = meanQps * a.peakToMeanRatio;
  const peakWriteQps = ((a.dailyActiveUsers * a.writesPerUserPerDay) / 3600) * a.peakToMeanRatio;
  return { dailyRequests, meanQps, peakQps, peakWriteQps, readToWriteRatio: a.readsPerUserPerDay / a.writesPerUserPerDay };
}
