import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// For small p, (1 − p)^n ≈ e^(−np): slow leaves per request are nearly Poisson with mean np. The inverse
// steps use the same approximation: n ≈ −ln(1 − target) / p, and q ≈ −ln(1 − target) / n.
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const slowLeavesPerRequest = a.fanOut * a.leafSlowProbability;
  const allFastProbability = Math.exp(-slowLeavesPerRequest);
  const budget = -Math.log(1 - a.targetSlowProbability);
  return {
    allFastProbability,
    slowRequestProbability: 1 - allFastProbability,
    maxFanOut: Math.floor(budget / a.leafSlowProbability),
    leafSlowProbabilityForTarget: budget / a.fanOut,
  };
}
