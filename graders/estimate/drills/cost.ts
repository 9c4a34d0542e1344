/** Drill: a month's bill for servers, replicated storage and egress, from a small price table (prices.ts). */
import type { Drill } from "../types.ts";
import { prices } from "./prices.ts";
import { bitsPerByte, bytesPerGB, hoursPerMonth, secondsPerMonth } from "./units.ts";

export const costDrill: Drill = {
  name: "estimate-cost",
  title: "Cost per month",
  summary: "A service's monthly bill: servers billed by the hour, objects billed per GB-month for every replica, and egress to the internet billed per GB sent. Traffic dashboards show egress in gigabits per second, the day's mean. A month is a twelfth of a 365-day year: 730 hours.",
  assumptions: [
    { name: "servers", description: "servers running all month", min: 10, max: 2000, scale: "log", factorHint: "the number of servers" },
    { name: "storedBytes", description: "bytes of objects stored (one copy)", min: 1e13, max: 5e15, scale: "log" },
    { name: "replicationFactor", description: "copies of every object, each billed", min: 3, max: 3, scale: "linear", choices: [3], factorHint: "every byte is stored (and billed) that many times" },
    { name: "egressGbitsPerSec", description: "mean egress to the internet, in gigabits (10⁹ bits) per second", min: 0.5, max: 100, scale: "log" },
    { name: "serverDollarsPerHour", description: "price of one server per hour", min: prices.serverDollarsPerHour, max: prices.serverDollarsPerHour, scale: "linear", choices: [prices.serverDollarsPerHour] },
    { name: "storageDollarsPerGBMonth", description: "price of storing 1 GB (10⁹ bytes) for a month", min: prices.storageDollarsPerGBMonth, max: prices.storageDollarsPerGBMonth, scale: "linear", choices: [prices.storageDollarsPerGBMonth] },
    { name: "egressDollarsPerGB", description: "price of sending 1 GB (10⁹ bytes) to the internet", min: prices.egressDollarsPerGB, max: prices.egressDollarsPerGB, scale: "linear", choices: [prices.egressDollarsPerGB] },
  ],
  constants: [
    { value: hoursPerMonth, says: "730, the hours in a month" },
    { value: secondsPerMonth, says: "2,628,000, the seconds in a month" },
    { value: 8760, says: "8,760, the hours in a year" },
  ],
  steps: [
    {
      figure: "serverDollarsPerMonth",
      check: "server-cost",
      description: "the servers' bill for a month",
      inputs: ["servers", "serverDollarsPerHour"],
      rule: "servers × serverDollarsPerHour × 730 hours a month",
      compute: (v) => v.servers! * v.serverDollarsPerHour! * hoursPerMonth,
      mistakes: [
        { compute: (v) => v.servers! * v.serverDollarsPerHour! * 24, says: "that is a day of hours (24): a month has 730" },
        { compute: (v) => v.servers! * v.serverDollarsPerHour! * 8760, says: "that is a year of hours (8,760): a month has 730" },
      ],
    },
    {
      figure: "storageDollarsPerMonth",
      check: "storage-cost",
      description: "the storage bill for a month, every replica billed",
      inputs: ["storedBytes", "replicationFactor", "storageDollarsPerGBMonth"],
      rule: "storedBytes × replicationFactor ÷ 10⁹ bytes per GB × storageDollarsPerGBMonth",
      compute: (v) => ((v.storedBytes! * v.replicationFactor!) / bytesPerGB) * v.storageDollarsPerGBMonth!,
      mistakes: [{ compute: (v) => (v.storedBytes! / bytesPerGB) * v.storageDollarsPerGBMonth!, says: "that bills one copy: every replica takes (and is billed for) the space" }],
    },
    {
      figure: "egressBytesPerMonth",
      check: "egress-bytes",
      description: "bytes sent to the internet in a month",
      inputs: ["egressGbitsPerSec"],
      rule: "egressGbitsPerSec × 10⁹ ÷ 8 bits per byte × 2,628,000 s a month",
      compute: (v) => ((v.egressGbitsPerSec! * 1e9) / bitsPerByte) * secondsPerMonth,
      mistakes: [
        { compute: (v) => v.egressGbitsPerSec! * 1e9 * secondsPerMonth, says: "you took gigabits for gigabytes: a byte is 8 bits, so divide by 8" },
        { compute: (v) => (v.egressGbitsPerSec! * 1e9) / bitsPerByte, says: "that is one second's bytes: a month has 2,628,000 seconds" },
      ],
    },
    {
      figure: "egressDollarsPerMonth",
      check: "egress-cost",
      description: "the egress bill for a month",
      inputs: ["egressBytesPerMonth", "egressDollarsPerGB"],
      rule: "egressBytesPerMonth ÷ 10⁹ bytes per GB × egressDollarsPerGB",
      compute: (v) => (v.egressBytesPerMonth! / bytesPerGB) * v.egressDollarsPerGB!,
    },
    {
      figure: "totalDollarsPerMonth",
      check: "total-cost",
      description: "the whole month's bill",
      inputs: ["serverDollarsPerMonth", "storageDollarsPerMonth", "egressDollarsPerMonth"],
      rule: "serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth",
      compute: (v) => v.serverDollarsPerMonth! + v.storageDollarsPerMonth! + v.egressDollarsPerMonth!,
    },
  ],
};
