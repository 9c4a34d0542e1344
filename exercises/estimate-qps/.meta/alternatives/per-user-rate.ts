import type { QpsAssumptions, QpsFigures } from "clusterlab";

// One user's request rate first (requests per second), then scaled by the users and by the peak.
export default function estimate(a: QpsAssumptions): QpsFigures {
  const perUserReadsPerSec = a.readsPerUserPerDay / (24 * 60 * 60);
  const perUserWritesPerSec = a.writesPerUserPerDay / (24 * 60 * 60);
  const meanQps = a.dailyActiveUsers * (perUserReadsPerSec + perUserWritesPerSec);
  const meanWriteQps = a.dailyActiveUsers * perUserWritesPerSec;
  return {
    dailyRequests: meanQps * 24 * 60 * 60,
    meanQps,
    peakQps: meanQps * a.peakToMeanRatio,
    peakWriteQps: meanWriteQps * a.peakToMeanRatio,
    readToWriteRatio: perUserReadsPerSec / perUserWritesPerSec,
  };
}
