import type { AvailabilityAssumptions, AvailabilityFigures } from "clusterlab";

// An SRE's downtime budget: each serial part's minutes down a year, added up; the redundant tiers'
// minutes are those when all their copies are down at once.
const minutesPerYear = 525_600;

export default function estimate(a: AvailabilityAssumptions): AvailabilityFigures {
  const appTierUnavailability = Math.pow(1 - a.appServerAvailability, a.appServers);
  const databaseTierUnavailability = Math.pow(1 - a.databaseNodeAvailability, a.databaseNodes);
  const downtimeMinutesPerYear =
    (1 - a.loadBalancerAvailability) * minutesPerYear +
    appTierUnavailability * minutesPerYear +
    databaseTierUnavailability * minutesPerYear +
    (1 - a.dependencyAvailability) * minutesPerYear;
  const systemAvailability = 1 - downtimeMinutesPerYear / minutesPerYear;
  return { appTierUnavailability, databaseTierUnavailability, systemAvailability, systemNines: Math.log10(minutesPerYear / downtimeMinutesPerYear), downtimeMinutesPerYear };
}
