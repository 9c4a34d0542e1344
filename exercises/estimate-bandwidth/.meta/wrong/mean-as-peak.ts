// fails: peak-egress
import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// The mean egress taken for the peak: links sized for an average day fill up every evening.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / 86_400;
  const egressBytesPerSec = (a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView) / 86_400;
  const peakEgressBytesPerSec = egressBytesPerSec;
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio, peakEgressBytesPerSec, peakEgressGbitsPerSec: (peakEgressBytesPerSec * 8) / 1e9 };
}
