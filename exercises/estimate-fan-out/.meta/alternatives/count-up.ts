import type { FanOutAssumptions, FanOutFigures } from "clusterlab";

// No logarithms: multiply leaf by leaf, add leaves while the request still meets the target, and halve
// an interval until the leaves' own probability is found.
export default function estimate(a: FanOutAssumptions): FanOutFigures {
  const fastAll = (p: number, n: number) => {
    let fast = 1;
    for (let i = 0; i < n; i++) fast *= 1 - p;
    return fast;
  };
  const allFastProbability = fastAll(a.leafSlowProbability, a.fanOut);
  let maxFanOut = 0;
  while (1 - fastAll(a.leafSlowProbability, maxFanOut + 1) <= a.targetSlowProbability) maxFanOut++;
  let low = 0;
  let high = a.targetSlowProbability;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (1 - fastAll(mid, a.fanOut) > a.targetSlowProbability) high = mid;
    else low = mid;
  }
  return { allFastProbability, slowRequestProbability: 1 - allFastProbability, maxFanOut, leafSlowProbabilityForTarget: low };
}
