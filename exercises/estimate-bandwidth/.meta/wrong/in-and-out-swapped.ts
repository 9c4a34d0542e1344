// fails: ingress
import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// Ingress and egress swapped: views counted as traffic in, uploads as traffic out.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView) / 86_400;
  const egressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / 86_400;
  const peakEgressBytesPerSec = egressBytesPerSec * a.peakToMeanRatio;
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio, peakEgressBytesPerSec, peakEgressGbitsPerSec: (peakEgressBytesPerSec * 8) / 1e9 };
}
