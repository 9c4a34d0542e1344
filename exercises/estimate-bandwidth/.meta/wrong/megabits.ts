// fails: egress-gbits
import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// Megabits per second in the gigabits field.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / 86_400;
  const egressBytesPerSec = (a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView) / 86_400;
  const peakEgressBytesPerSec = egressBytesPerSec * a.peakToMeanRatio;
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio, peakEgressBytesPerSec, peakEgressGbitsPerSec: (peakEgressBytesPerSec * 8) / 1e6 };
}
