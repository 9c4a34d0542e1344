// fails: answer
import type { QpsAssumptions } from "clusterlab";

// Right numbers, but one field is spelt peakQPS: the grader names it and says which field was meant.
export default function estimate(a: QpsAssumptions) {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / 86_400;
  const peakQPS = meanQps * a.peakToMeanRatio;
  const peakWriteQps = ((a.dailyActiveUsers * a.writesPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  return { dailyRequests, meanQps, peakQPS, peakWriteQps, readToWriteRatio: a.readsPerUserPerDay / a.writesPerUserPerDay };
}
