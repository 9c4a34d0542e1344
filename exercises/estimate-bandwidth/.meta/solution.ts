import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

const secondsPerDay = 86_400;

export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const ingressBytesPerSec = (a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload) / secondsPerDay;
  const egressBytesPerSec = (a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView) / secondsPerDay;
  const peakEgressBytesPerSec = egressBytesPerSec * a.peakToMeanRatio;
  return {
    ingressBytesPerSec,
    egressBytesPerSec,
    peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio,
    peakEgressBytesPerSec,
    peakEgressGbitsPerSec: (peakEgressBytesPerSec * 8) / 1e9,
  };
}
