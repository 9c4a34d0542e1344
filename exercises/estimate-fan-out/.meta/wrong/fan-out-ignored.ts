// fails: slow-request
import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// Takes one leaf's probability for the request's: the fan-out is forgotten.
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const p = a.leafSlowProbability;
  const allFastProbability = (1 - p) ** a.fanOut;
  return {
    allFastProbability,
    slowRequestProbability: p,
    maxFanOut: Math.floor(Math.log(1 - a.targetSlowProbability) / Math.log(1 - p)),
    leafSlowProbabilityForTarget: 1 - (1 - a.targetSlowProbability) ** (1 / a.fanOut),
  };
}
