/** Drill: network bandwidth in (uploads) and out (views), mean and peak, in bytes and in bits. */
import type { Drill } from "../types.ts";
import { bitsPerByte, secondsPerDay } from "./units.ts";

export const bandwidthDrill: Drill = {
  name: "estimate-bandwidth",
  title: "Bandwidth in and out",
  summary: "A media app: users upload now and then and view a lot. Uploads are ingress (into the data centre), views are egress (out of it). Links and bills count bits per second; files count bytes.",
  assumptions: [
    { name: "dailyActiveUsers", description: "users active on a day", min: 1e6, max: 2e8, scale: "log", factorHint: "the number of users" },
    { name: "uploadsPerUserPerDay", description: "uploads per user per day", min: 0.05, max: 2, scale: "log" },
    { name: "bytesPerUpload", description: "bytes of one upload", min: 1e5, max: 2e7, scale: "log" },
    { name: "viewsPerUserPerDay", description: "items each user views a day", min: 20, max: 200, scale: "log" },
    { name: "bytesPerView", description: "bytes sent for one view (a resized image, a video segment)", min: 5e4, max: 2e6, scale: "log" },
    { name: "peakToMeanRatio", description: "the busiest hour's traffic over the day's mean", min: 2.5, max: 5, scale: "linear", step: 0.5, factorHint: "the peak is that many times the mean" },
  ],
  // Viewing moves at least 5 times the bytes uploading does, as in any media product.
  accept: (a) => a.viewsPerUserPerDay! * a.bytesPerView! >= 5 * a.uploadsPerUserPerDay! * a.bytesPerUpload!,
  steps: [
    {
      figure: "ingressBytesPerSec",
      check: "ingress",
      description: "upload bytes per second, the day's mean",
      inputs: ["dailyActiveUsers", "uploadsPerUserPerDay", "bytesPerUpload"],
      rule: "dailyActiveUsers × uploadsPerUserPerDay × bytesPerUpload ÷ 86,400 s",
      compute: (v) => (v.dailyActiveUsers! * v.uploadsPerUserPerDay! * v.bytesPerUpload!) / secondsPerDay,
      mistakes: [{ compute: (v) => (v.dailyActiveUsers! * v.viewsPerUserPerDay! * v.bytesPerView!) / secondsPerDay, says: "that is the views' traffic: ingress is what users send in, their uploads" }],
    },
    {
      figure: "egressBytesPerSec",
      check: "egress",
      description: "view bytes per second, the day's mean",
      inputs: ["dailyActiveUsers", "viewsPerUserPerDay", "bytesPerView"],
      rule: "dailyActiveUsers × viewsPerUserPerDay × bytesPerView ÷ 86,400 s",
      compute: (v) => (v.dailyActiveUsers! * v.viewsPerUserPerDay! * v.bytesPerView!) / secondsPerDay,
      mistakes: [{ compute: (v) => (v.dailyActiveUsers! * v.uploadsPerUserPerDay! * v.bytesPerUpload!) / secondsPerDay, says: "that is the uploads' traffic: egress is what the service sends out, the views" }],
    },
    {
      figure: "peakIngressBytesPerSec",
      check: "peak-ingress",
      description: "upload bytes per second in the busiest hour",
      inputs: ["ingressBytesPerSec", "peakToMeanRatio"],
      rule: "ingressBytesPerSec × peakToMeanRatio",
      compute: (v) => v.ingressBytesPerSec! * v.peakToMeanRatio!,
    },
    {
      figure: "peakEgressBytesPerSec",
      check: "peak-egress",
      description: "view bytes per second in the busiest hour",
      inputs: ["egressBytesPerSec", "peakToMeanRatio"],
      rule: "egressBytesPerSec × peakToMeanRatio",
      compute: (v) => v.egressBytesPerSec! * v.peakToMeanRatio!,
      mistakes: [{ compute: (v) => v.egressBytesPerSec!, says: "that is the mean: links and CDN contracts are sized for the busiest hour" }],
    },
    {
      figure: "peakEgressGbitsPerSec",
      check: "egress-gbits",
      description: "the peak egress in gigabits per second (10⁹ bits), as links are sold",
      inputs: ["peakEgressBytesPerSec"],
      rule: "peakEgressBytesPerSec × 8 bits per byte ÷ 10⁹",
      compute: (v) => (v.peakEgressBytesPerSec! * bitsPerByte) / 1e9,
      mistakes: [
        { compute: (v) => v.peakEgressBytesPerSec! / 1e9, says: "that is gigabytes per second: a byte is 8 bits, so multiply by 8" },
        { compute: (v) => (v.peakEgressBytesPerSec! * bitsPerByte) / 1e6, says: "that is megabits per second: a gigabit is 10⁹ bits" },
      ],
    },
  ],
};
