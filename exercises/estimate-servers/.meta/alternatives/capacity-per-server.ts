import type { ServersAssumptions, ServersFigures } from "clusterlab";

// One server's safe capacity in requests per second first, then servers = peak ÷ capacity; the zone
// headroom as servers per zone, rounded up, so the surviving zones hold the peak.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = ((a.dailyActiveUsers * a.requestsPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  const requestsPerCorePerSec = 1000 / a.cpuMsPerRequest;
  const safeQpsPerServer = requestsPerCorePerSec * a.coresPerServer * a.targetUtilisation;
  const serversForPeak = Math.ceil(peakQps / safeQpsPerServer);
  const perZone = Math.ceil(serversForPeak / (a.zones - 1));
  return {
    peakQps,
    busyCores: peakQps / requestsPerCorePerSec,
    coresNeeded: peakQps / requestsPerCorePerSec / a.targetUtilisation,
    serversForPeak,
    servers: perZone * a.zones,
  };
}
