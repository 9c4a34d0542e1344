// fails: system-availability
import type { AvailabilityAssumptions, AvailabilityFigures } from "clusterlab";

// Adds the nines of the parts in series, as if each part covered for the others.
export default function estimate(a: AvailabilityAssumptions): AvailabilityFigures {
  const appTierUnavailability = (1 - a.appServerAvailability) ** a.appServers;
  const databaseTierUnavailability = (1 - a.databaseNodeAvailability) ** a.databaseNodes;
  const systemAvailability = 1 - (1 - a.loadBalancerAvailability) * appTierUnavailability * databaseTierUnavailability * (1 - a.dependencyAvailability);
  return { appTierUnavailability, databaseTierUnavailability, systemAvailability, systemNines: -Math.log10(1 - systemAvailability), downtimeMinutesPerYear: (1 - systemAvailability) * 525_600 };
}
