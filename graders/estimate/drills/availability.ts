/** Drill: availability of serial and redundant parts, in nines and in downtime. */
import { log10, pow } from "../numbers.ts";
import type { Drill, Values } from "../types.ts";
import { minutesPerYear } from "./units.ts";

const appTierOf = (v: Values) => pow(1 - v.appServerAvailability!, v.appServers!);
const databaseTierOf = (v: Values) => pow(1 - v.databaseNodeAvailability!, v.databaseNodes!);

export const availabilityDrill: Drill = {
  name: "estimate-availability",
  title: "Availability in nines",
  summary: "A request passes a load balancer, then one of several identical app servers, then a database that fails over among its nodes, then an external dependency. The balancer and the dependency are single parts in series; the app tier is up while any one app server is, the database while any one node is. Parts fail independently; failover is instant.",
  assumptions: [
    { name: "loadBalancerAvailability", description: "the load balancer's availability", min: 0.9995, max: 0.99995, scale: "linear", choices: [0.9995, 0.9999, 0.99995] },
    { name: "appServerAvailability", description: "one app server's availability (cheap instances, restarted by hand)", min: 0.95, max: 0.99, scale: "linear", choices: [0.95, 0.98, 0.99] },
    { name: "appServers", description: "app servers; any one can serve", min: 2, max: 3, scale: "linear", choices: [2, 3] },
    { name: "databaseNodeAvailability", description: "one database node's availability", min: 0.99, max: 0.999, scale: "linear", choices: [0.99, 0.995, 0.999] },
    { name: "databaseNodes", description: "database nodes; any one can take over", min: 2, max: 3, scale: "linear", choices: [2, 3] },
    { name: "dependencyAvailability", description: "the external dependency's availability (a payment or identity provider)", min: 0.999, max: 0.9999, scale: "linear", choices: [0.999, 0.9995, 0.9999] },
  ],
  constants: [{ value: minutesPerYear, says: "525,600, the minutes in a year" }],
  steps: [
    {
      figure: "appTierUnavailability",
      check: "app-tier",
      description: "the probability that every app server is down at once",
      inputs: ["appServerAvailability", "appServers"],
      rule: "(1 − appServerAvailability)^appServers",
      compute: appTierOf,
      mistakes: [
        { compute: (v) => 1 - v.appServerAvailability!, says: "that is one server's unavailability: the tier is down only when all appServers are" },
        { compute: (v) => 1 - pow(v.appServerAvailability!, v.appServers!), says: "1 − a^n is the chance that not all servers are up, as if each were needed: the tier is down only when every one is down, (1 − a)^n" },
        { compute: (v) => (1 - v.appServerAvailability!) / v.appServers!, says: "n servers do not divide the downtime by n: they are all down at once only with probability (1 − a)^n" },
      ],
    },
    {
      figure: "databaseTierUnavailability",
      check: "database-tier",
      description: "the probability that every database node is down at once",
      inputs: ["databaseNodeAvailability", "databaseNodes"],
      rule: "(1 − databaseNodeAvailability)^databaseNodes",
      compute: databaseTierOf,
      mistakes: [{ compute: (v) => 1 - v.databaseNodeAvailability!, says: "that is one node's unavailability: with failover the tier is down only when all databaseNodes are" }],
    },
    {
      figure: "systemAvailability",
      check: "system-availability",
      description: "the probability that a request finds every tier up",
      compare: "probability",
      inputs: ["loadBalancerAvailability", "appTierUnavailability", "databaseTierUnavailability", "dependencyAvailability"],
      rule: "loadBalancerAvailability × (1 − appTierUnavailability) × (1 − databaseTierUnavailability) × dependencyAvailability",
      compute: (v) => v.loadBalancerAvailability! * (1 - v.appTierUnavailability!) * (1 - v.databaseTierUnavailability!) * v.dependencyAvailability!,
      mistakes: [
        {
          compute: (v) => 1 - (1 - v.loadBalancerAvailability!) * v.appTierUnavailability! * v.databaseTierUnavailability! * (1 - v.dependencyAvailability!),
          says: "you added the nines of parts in series (multiplied their unavailabilities): that is the rule for redundant parts; in series the unavailabilities add, so the chain is about as good as its weakest part",
        },
      ],
    },
    {
      figure: "systemNines",
      check: "system-nines",
      description: "the availability in nines: −log10(1 − systemAvailability) (99.9% is 3)",
      compare: "nines",
      inputs: ["systemAvailability"],
      rule: "−log10(1 − systemAvailability)",
      compute: (v) => -log10(1 - v.systemAvailability!),
      mistakes: [{ compute: (v) => -log10(v.systemAvailability!), says: "that is −log10 of the availability: nines count the unavailability, −log10(1 − A)" }],
    },
    {
      figure: "downtimeMinutesPerYear",
      check: "downtime",
      description: "expected minutes a year the service is down",
      inputs: ["systemAvailability"],
      rule: "(1 − systemAvailability) × 525,600 minutes a year",
      compute: (v) => (1 - v.systemAvailability!) * minutesPerYear,
      mistakes: [
        { compute: (v) => (1 - v.systemAvailability!) * 43_800, says: "43,800 is the minutes in a month: a year has 525,600" },
        { compute: (v) => (1 - v.systemAvailability!) * 43_200, says: "43,200 is the minutes in a 30-day month: a year has 525,600" },
      ],
    },
  ],
};
