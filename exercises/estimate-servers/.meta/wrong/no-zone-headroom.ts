// fails: servers
import type { ServersAssumptions, ServersFigures } from "clusterlab";

// Deploys just enough for the peak: losing a zone at the peak overloads the rest.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = ((a.dailyActiveUsers * a.requestsPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  const busyCores = (peakQps * a.cpuMsPerRequest) / 1000;
  const coresNeeded = busyCores / a.targetUtilisation;
  const serversForPeak = Math.ceil(coresNeeded / a.coresPerServer);
  const servers = serversForPeak;
  return { peakQps, busyCores, coresNeeded, serversForPeak, servers };
}
