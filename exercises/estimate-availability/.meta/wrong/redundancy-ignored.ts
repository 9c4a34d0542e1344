// fails: app-tier
import type { AvailabilityAssumptions, AvailabilityFigures } from "clusterlab";

// Counts one app server: the other copies are forgotten.
export default function estimate(a: AvailabilityAssumptions): AvailabilityFigures {
  const appTierUnavailability = 1 - a.appServerAvailability;
  const databaseTierUnavailability = (1 - a.databaseNodeAvailability) ** a.databaseNodes;
  const systemAvailability = a.loadBalancerAvailability * (1 - appTierUnavailability) * (1 - databaseTierUnavailability) * a.dependencyAvailability;
  return { appTierUnavailability, databaseTierUnavailability, systemAvailability, systemNines: -Math.log10(1 - systemAvailability), downtimeMinutesPerYear: (1 - systemAvailability) * 525_600 };
}
