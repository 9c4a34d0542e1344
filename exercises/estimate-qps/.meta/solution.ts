import type { QpsAssumptions, QpsFigures } from "clusterlab";

const secondsPerDay = 86_400;

export default function estimate(a: QpsAssumptions): QpsFigures {
  const dailyRequests = a.dailyActiveUsers * (a.readsPerUserPerDay + a.writesPerUserPerDay);
  const meanQps = dailyRequests / secondsPerDay;
  const peakQps = meanQps * a.peakToMeanRatio;
  const peakWriteQps = ((a.dailyActiveUsers * a.writesPerUserPerDay) / secondsPerDay) * a.peakToMeanRatio;
  const readToWriteRatio = a.readsPerUserPerDay / a.writesPerUserPerDay;
  return { dailyRequests, meanQps, peakQps, peakWriteQps, readToWriteRatio };
}
