import type { ServersAssumptions, ServersFigures } from "clusterlab";

// Servers for the busiest hour, at the utilisation target, surviving the loss of a zone.
export default function estimate(a: ServersAssumptions): ServersFigures {
  const peakQps = 0; // TODO
  const busyCores = 0; // TODO
  const coresNeeded = 0; // TODO
  const serversForPeak = 0; // TODO
  const servers = 0; // TODO
  return { peakQps, busyCores, coresNeeded, serversForPeak, servers };
}
