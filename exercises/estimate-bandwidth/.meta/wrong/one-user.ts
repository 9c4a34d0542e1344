// fails: egress
import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// One user's views only: the daily users are left out of the egress.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / 86_400;
  const egressBytesPerSec = (a.viewsPerUserPerDay * a.bytesPerView) / 86_400;
  const peakEgressBytesPerSec = egressBytesPerSec * a.peakToMeanRatio;
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio, peakEgressBytesPerSec, peakEgressGbitsPerSec: (peakEgressBytesPerSec * 8) / 1e9 };
}
