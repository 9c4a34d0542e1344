import type { AvailabilityAssumptions, AvailabilityFigures } from "clusterlab";

// Reasoning in nines: copies of a part add its nines (n copies of 2 nines make 2n), and parts in series
// add their unavailabilities (the small-number approximation of multiplying availabilities).
const nines = (availability: number) => -Math.log10(1 - availability);

export default function estimate(a: AvailabilityAssumptions): AvailabilityFigures {
  const appTierUnavailability = 10 ** -(nines(a.appServerAvailability) * a.appServers);
  const databaseTierUnavailability = 10 ** -(nines(a.databaseNodeAvailability) * a.databaseNodes);
  const unavailability = 1 - a.loadBalancerAvailability + appTierUnavailability + databaseTierUnavailability + (1 - a.dependencyAvailability);
  return {
    appTierUnavailability,
    databaseTierUnavailability,
    systemAvailability: 1 - unavailability,
    systemNines: -Math.log10(unavailability),
    downtimeMinutesPerYear: unavailability * 525_600,
  };
}
