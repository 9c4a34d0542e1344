import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// One user's average traffic in bits per second, scaled up: the network engineer's way round.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const userUpBitsPerSec = (a.uploadsPerUserPerDay * a.bytesPerUpload * 8) / 86_400;
  const userDownBitsPerSec = (a.viewsPerUserPerDay * a.bytesPerView * 8) / 86_400;
  const ingressBytesPerSec = (a.dailyActiveUsers * userUpBitsPerSec) / 8;
  const egressBytesPerSec = (a.dailyActiveUsers * userDownBitsPerSec) / 8;
  return {
    ingressBytesPerSec,
    egressBytesPerSec,
    peakIngressBytesPerSec: ingressBytesPerSec * a.peakToMeanRatio,
    peakEgressBytesPerSec: egressBytesPerSec * a.peakToMeanRatio,
    peakEgressGbitsPerSec: (a.dailyActiveUsers * userDownBitsPerSec * a.peakToMeanRatio) / 1e9,
  };
}
