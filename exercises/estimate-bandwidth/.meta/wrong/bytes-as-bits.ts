// fails: egress-gbits
import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// Gigabytes per second in the gigabits field: the 8 bits of a byte are forgotten.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / 86_400;
  const egressBytesPerSec = (a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView) / 86_400;
  const peakEgressBytesPerSec = egressBytesPerSec * a.peakToMeanRatio;
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio, peakEgressBytesPerSec, peakEgressGbitsPerSec: peakEgressBytesPerSec / 1e9 };
}
