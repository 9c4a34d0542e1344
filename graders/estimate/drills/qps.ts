/** Drill: requests per second, mean and peak, from daily active users. */
import type { Drill } from "../types.ts";
import { secondsPerDay } from "./units.ts";

export const qpsDrill: Drill = {
  name: "estimate-qps",
  title: "Requests per second from daily users",
  summary: "A consumer app: each daily active user reads and writes a few times a day; traffic follows the day, so the busiest hour runs well above the day's mean.",
  assumptions: [
    { name: "dailyActiveUsers", description: "users active on a day", min: 1e6, max: 5e8, scale: "log", factorHint: "the number of users" },
    { name: "readsPerUserPerDay", description: "reads (page views, feed loads) per user per day", min: 10, max: 300, scale: "log" },
    { name: "writesPerUserPerDay", description: "writes (posts, likes, edits) per user per day", min: 0.1, max: 10, scale: "log" },
    { name: "peakToMeanRatio", description: "the busiest hour's request rate over the day's mean rate", min: 2.5, max: 6, scale: "linear", step: 0.5, factorHint: "the peak is that many times the mean" },
  ],
  // Reads outnumber writes at least 3 to 1, as in most consumer products (so the two cannot be confused).
  accept: (a) => a.readsPerUserPerDay! >= 3 * a.writesPerUserPerDay!,
  steps: [
    {
      figure: "dailyRequests",
      check: "daily-requests",
      description: "reads and writes of all users in a day",
      inputs: ["dailyActiveUsers", "readsPerUserPerDay", "writesPerUserPerDay"],
      rule: "dailyActiveUsers × (readsPerUserPerDay + writesPerUserPerDay)",
      compute: (v) => v.dailyActiveUsers! * (v.readsPerUserPerDay! + v.writesPerUserPerDay!),
    },
    {
      figure: "meanQps",
      check: "mean-qps",
      description: "requests per second averaged over the day",
      inputs: ["dailyRequests"],
      rule: "dailyRequests ÷ 86,400 s per day",
      compute: (v) => v.dailyRequests! / secondsPerDay,
      mistakes: [{ compute: (v) => v.dailyRequests! / 3600, says: "you divided by 3,600, the seconds in an hour: a day has 86,400" }],
    },
    {
      figure: "peakQps",
      check: "peak-qps",
      description: "requests per second in the busiest hour",
      inputs: ["meanQps", "peakToMeanRatio"],
      rule: "meanQps × peakToMeanRatio",
      compute: (v) => v.meanQps! * v.peakToMeanRatio!,
      mistakes: [
        { compute: (v) => v.meanQps!, says: "you used peak factor 1, the mean: servers must carry the busiest hour, which runs at peakToMeanRatio × the mean" },
        { compute: (v) => v.meanQps! / v.peakToMeanRatio!, says: "you divided by peakToMeanRatio: the peak is above the mean, so multiply" },
      ],
    },
    {
      figure: "peakWriteQps",
      check: "peak-write-qps",
      description: "writes per second in the busiest hour (what the primary database must take)",
      inputs: ["dailyActiveUsers", "writesPerUserPerDay", "peakToMeanRatio"],
      rule: "dailyActiveUsers × writesPerUserPerDay ÷ 86,400 × peakToMeanRatio",
      compute: (v) => ((v.dailyActiveUsers! * v.writesPerUserPerDay!) / secondsPerDay) * v.peakToMeanRatio!,
      mistakes: [
        { compute: (v) => (v.dailyActiveUsers! * v.writesPerUserPerDay!) / secondsPerDay, says: "that is the mean write rate: writes peak with the rest of the traffic, at peakToMeanRatio × the mean" },
        { compute: (v) => v.peakQps!, says: "that is every request at the peak, reads included: only writes go to the primary" },
      ],
    },
    {
      figure: "readToWriteRatio",
      check: "read-write-ratio",
      description: "reads per write (how read-heavy the traffic is: it decides caching and replicas)",
      inputs: ["readsPerUserPerDay", "writesPerUserPerDay"],
      rule: "readsPerUserPerDay ÷ writesPerUserPerDay",
      compute: (v) => v.readsPerUserPerDay! / v.writesPerUserPerDay!,
      mistakes: [{ compute: (v) => v.writesPerUserPerDay! / v.readsPerUserPerDay!, says: "that is writes per read, upside down: reads ÷ writes" }],
    },
  ],
};
