/** Drill: application servers for the peak at a utilisation target, surviving the loss of a zone. */
import type { Drill, Values } from "../types.ts";
import { secondsPerDay } from "./units.ts";

const peakQpsOf = (v: Values) => ((v.dailyActiveUsers! * v.requestsPerUserPerDay!) / secondsPerDay) * v.peakToMeanRatio!;
const serversForPeakOf = (v: Values) => Math.ceil((peakQpsOf(v) * v.cpuMsPerRequest!) / 1000 / v.targetUtilisation! / v.coresPerServer!);

export const serversDrill: Drill = {
  name: "estimate-servers",
  title: "Servers for the peak",
  summary: "A stateless service tier: each request costs a fixed amount of CPU time. Queues grow fast as a server nears full load, so the tier runs at a utilisation target at the peak; its servers are spread evenly over zones, and with any one zone down the others must still carry the peak at that target.",
  assumptions: [
    { name: "dailyActiveUsers", description: "users active on a day", min: 1e6, max: 3e8, scale: "log", factorHint: "the number of users" },
    { name: "requestsPerUserPerDay", description: "requests each user makes a day", min: 5, max: 200, scale: "log" },
    { name: "peakToMeanRatio", description: "the busiest hour's request rate over the day's mean", min: 2.5, max: 5, scale: "linear", step: 0.5, factorHint: "the peak is that many times the mean" },
    { name: "cpuMsPerRequest", description: "CPU time one request takes, in ms of one core", min: 2, max: 60, scale: "log" },
    { name: "coresPerServer", description: "cores of one server", min: 8, max: 64, scale: "log", choices: [8, 16, 32, 64], factorHint: "the cores of a server" },
    { name: "targetUtilisation", description: "the share of its cores a server may keep busy at the peak", min: 0.3, max: 0.5, scale: "linear", step: 0.05, factorHint: "the utilisation target" },
    { name: "zones", description: "zones the servers are spread over, evenly", min: 2, max: 3, scale: "linear", choices: [2, 3] },
  ],
  // At least four servers for the peak, so that whole servers are not a matter of rounding.
  accept: (a) => serversForPeakOf(a) >= 4,
  steps: [
    {
      figure: "peakQps",
      check: "peak-qps",
      description: "requests per second in the busiest hour",
      inputs: ["dailyActiveUsers", "requestsPerUserPerDay", "peakToMeanRatio"],
      rule: "dailyActiveUsers × requestsPerUserPerDay ÷ 86,400 s × peakToMeanRatio",
      compute: peakQpsOf,
      mistakes: [{ compute: (v) => (v.dailyActiveUsers! * v.requestsPerUserPerDay!) / secondsPerDay, says: "that is the day's mean: servers must carry the busiest hour, peakToMeanRatio × the mean" }],
    },
    {
      figure: "busyCores",
      check: "busy-cores",
      description: "cores kept fully busy at the peak",
      inputs: ["peakQps", "cpuMsPerRequest"],
      rule: "peakQps × cpuMsPerRequest ÷ 1,000 ms per second",
      compute: (v) => (v.peakQps! * v.cpuMsPerRequest!) / 1000,
    },
    {
      figure: "coresNeeded",
      check: "cores",
      description: "cores needed so that none is busier than the utilisation target",
      inputs: ["busyCores", "targetUtilisation"],
      rule: "busyCores ÷ targetUtilisation",
      compute: (v) => v.busyCores! / v.targetUtilisation!,
      mistakes: [
        { compute: (v) => v.busyCores!, says: "that runs every core at 100% at the peak: divide by targetUtilisation to keep the headroom queues need" },
        { compute: (v) => v.busyCores! * v.targetUtilisation!, says: "you multiplied by targetUtilisation: running cores at a fraction of their capacity takes more of them, so divide" },
      ],
    },
    {
      figure: "serversForPeak",
      check: "servers-for-peak",
      description: "servers that carry the peak at the target (a whole number)",
      inputs: ["coresNeeded", "coresPerServer"],
      rule: "⌈coresNeeded ÷ coresPerServer⌉",
      compute: (v) => Math.ceil(v.coresNeeded! / v.coresPerServer!),
    },
    {
      figure: "servers",
      check: "servers",
      description: "servers to deploy, so that with one zone down the rest still carry the peak (a whole number)",
      inputs: ["serversForPeak", "zones"],
      rule: "⌈serversForPeak × zones ÷ (zones − 1)⌉",
      compute: (v) => Math.ceil((v.serversForPeak! * v.zones!) / (v.zones! - 1)),
      mistakes: [
        { compute: (v) => v.serversForPeak!, says: "that leaves no headroom for a zone: with one of the zones down, only (zones − 1)/zones of the servers remain" },
        { compute: (v) => v.serversForPeak! + 1, says: "one spare server covers one server's failure, not a zone's: a zone takes 1/zones of them at once" },
      ],
    },
  ],
};
