// fails: peak-qps
import type { ServersAssumptions, ServersFigures } from "clusterlab";

// Sizes the tier for the day's mean rate.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = (a.dailyActiveUsers * a.requestsPerUserPerDay) / 86_400;
  const busyCores = (peakQps * a.cpuMsPerRequest) / 1000;
  const coresNeeded = busyCores / a.targetUtilisation;
  const serversForPeak = Math.ceil(coresNeeded / a.coresPerServer);
  const servers = Math.ceil((serversForPeak * a.zones) / (a.zones - 1));
  return { peakQps, busyCores, coresNeeded, serversForPeak, servers };
}
