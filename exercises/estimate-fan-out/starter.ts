import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// A request waits for all of its leaf calls: how often is it slow?
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const allFastProbability = 0.5; // TODO
  const slowRequestProbability = 0.5; // TODO
  const maxFanOut = 0; // TODO
  const leafSlowProbabilityForTarget = 0.5; // TODO
  return { allFastProbability, slowRequestProbability, maxFanOut, leafSlowProbabilityForTarget };
}
