import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// Bandwidth in (uploads) and out (views), in bytes per second, and the peak egress in gigabits per second.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = 0; // TODO
  const egressBytesPerSec = 0; // TODO
  const peakIngressBytesPerSec = 0; // TODO
  const peakEgressBytesPerSec = 0; // TODO
  const peakEgressGbitsPerSec = 0; // TODO
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec, peakEgressBytesPerSec, peakEgressGbitsPerSec };
}
