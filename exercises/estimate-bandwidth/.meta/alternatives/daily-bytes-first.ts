import type { BandwidthAssumptions, BandwidthFigures } from "clusterlab";

// A day's bytes each way first (what a storage or billing report shows), then rates, with 10⁵ s a day.
export default function estimate(a: BandwidthAssumptions): BandwidthFigures {
  const uploadBytesPerDay = a.dailyActiveUsers * a.uploadsPerUserPerDay * a.bytesPerUpload;
  const viewBytesPerDay = a.dailyActiveUsers * a.viewsPerUserPerDay * a.bytesPerView;
  const peakEgress = (viewBytesPerDay / 1e5) * a.peakToMeanRatio;
  return {
    ingressBytesPerSec: uploadBytesPerDay / 1e5,
    egressBytesPerSec: viewBytesPerDay / 1e5,
    peakIngressBytesPerSec: (uploadBytesPerDay / 1e5) * a.peakToMeanRatio,
    peakEgressBytesPerSec: peakEgress,
    peakEgressGbitsPerSec: peakEgress / 125e6,
  };
}
