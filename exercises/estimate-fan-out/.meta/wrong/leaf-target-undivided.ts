// fails: leaf-target
import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// Asks each leaf for the request's own target.
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const p = a.leafSlowProbability;
  const allFastProbability = (1 - p) ** a.fanOut;
  return {
    allFastProbability,
    slowRequestProbability: 1 - allFastProbability,
    maxFanOut: Math.floor(Math.log(1 - a.targetSlowProbability) / Math.log(1 - p)),
    leafSlowProbabilityForTarget: a.targetSlowProbability,
  };
}
