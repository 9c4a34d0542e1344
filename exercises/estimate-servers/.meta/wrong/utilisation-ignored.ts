// fails: cores
import type { ServersAssumptions, ServersFigures } from "clusterlab";

// Runs every core flat out at the peak: the utilisation target is left out.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = ((a.dailyActiveUsers * a.requestsPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  const busyCores = (peakQps * a.cpuMsPerRequest) / 1000;
  const coresNeeded = busyCores;
  const serversForPeak = Math.ceil(coresNeeded / a.coresPerServer);
  const servers = Math.ceil((serversForPeak * a.zones) / (a.zones - 1));
  return { peakQps, busyCores, coresNeeded, serversForPeak, servers };
}
