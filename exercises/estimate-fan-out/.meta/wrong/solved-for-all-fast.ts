// fails: max-fan-out
import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// Solves (1 − p)^n = target: the target bounds the slow share, not the fast one.
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const p = a.leafSlowProbability;
  const allFastProbability = (1 - p) ** a.fanOut;
  return {
    allFastProbability,
    slowRequestProbability: 1 - allFastProbability,
    maxFanOut: Math.floor(Math.log(a.targetSlowProbability) / Math.log(1 - p)),
    leafSlowProbabilityForTarget: 1 - (1 - a.targetSlowProbability) ** (1 / a.fanOut),
  };
}
