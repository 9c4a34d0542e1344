import type { AvailabilityAssumptions, AvailabilityFigures } from "clusterlab";

// A load balancer, a redundant app tier, a replicated database and an external dependency, in series.
export default function estimate(a: AvailabilityAssumptions): AvailabilityFigures {
  const appTierUnavailability = 0; // TODO
  const databaseTierUnavailability = 0; // TODO
  const systemAvailability = 0.5; // TODO
  const systemNines = 0; // TODO
  const downtimeMinutesPerYear = 0; // TODO
  return { appTierUnavailability, databaseTierUnavailability, systemAvailability, systemNines, downtimeMinutesPerYear };
}
