// fails: busy-cores
import type { ServersAssumptions, ServersFigures } from "clusterlab";

// Takes the CPU milliseconds per request for seconds.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = ((a.dailyActiveUsers * a.requestsPerUserPerDay) / 86_400) * a.peakToMeanRatio;
  const busyCores = peakQps * a.cpuMsPerRequest;
  const coresNeeded = busyCores / a.targetUtilisation;
  const serversForPeak = Math.ceil(coresNeeded / a.coresPerServer);
  const servers = Math.ceil((serversForPeak * a.zones) / (a.zones - 1));
  return { peakQps, busyCores, coresNeeded, serversForPeak, servers };
}
