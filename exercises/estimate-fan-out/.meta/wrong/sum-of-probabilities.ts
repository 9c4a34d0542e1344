// fails: slow-request
import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// Adds the leaves' probabilities: n·p, which passes 1 once the fan-out is large.
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const p = a.leafSlowProbability;
  const allFastProbability = 1 - a.fanOut * p;
  return {
    allFastProbability,
    slowRequestProbability: a.fanOut * p,
    maxFanOut: Math.floor(Math.log(1 - a.targetSlowProbability) / Math.log(1 - p)),
    leafSlowProbabilityForTarget: 1 - (1 - a.targetSlowProbability) ** (1 / a.fanOut),
  };
}
