// fails: egress
import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// A day's bytes divided by the seconds of an hour.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / 3600;
  const egressBytesPerSec = (a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView) / 3600;
  const peakEgressBytesPerSec = egressBytesPerSec * a.peakToMeanRatio;
  return { ingressBytesPerSec, egressBytesPerSec, peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio, peakEgressBytesPerSec, peakEgressGbitsPerSec: (peakEgressBytesPerSec * 8) / 1e9 };
}
