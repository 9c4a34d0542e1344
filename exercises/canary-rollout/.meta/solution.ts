import type { RolloutController, RolloutControllerFactory } from "clusterlab";

/** Standard errors beyond which the canary is worse for real, not by chance: roll back. */
const zRollback = 3.5;
/** Promote when even the pessimistic end of the evidence (2 standard errors) says the canary is at most this much worse: 60% more errors, 30% higher p99. */
const errorMargin = 0.6;
const latencyMargin = Math.log(1.3);
/** Steps to watch at each stage at the least. */
const stepsPerStage = 2;
/** Relative noise of one step's p99 from n requests (in log terms, about 1.9/√n for these latencies). */
const p99Noise = (n: number) => 1.9 / Math.sqrt(Math.max(1, n));

/**
 * Each step compared with the baseline of the same step, then accumulated over the rollout: both groups
 * share a step's drift, and the canary's share changes between stages, so running totals of the two
 * groups would weigh different minutes differently and drift alone would look like a difference.
 * Errors: the canary's errors against those the baseline's rate of the same step predicts for it, summed
 * over the steps. Latency: the log of the canary's p99 over the baseline's in the same step, averaged with
 * weights by their noise. A sequential test: roll back when the canary is worse beyond 3.5 standard
 * errors; promote (after two steps at a stage) when the evidence bounds how much worse it can be; in
 * between, hold and gather more.
 */
const createController: RolloutControllerFactory = () => {
  let observed = 0, expected = 0, variance = 0;
  let stepCanaryN = 0, stepCanaryErrors = 0, stepCanaryP99 = 0;
  let logRatioSum = 0, weightSum = 0;
  let stepsHere = 0;

  const errorZ = (): number => (variance === 0 ? 0 : (observed - expected) / Math.sqrt(variance));
  const latencyMean = (): number => (weightSum === 0 ? 0 : logRatioSum / weightSum);
  const latencyZ = (): number => (weightSum === 0 ? 0 : latencyMean() * Math.sqrt(weightSum));
  /** The most the canary's error rate can plausibly exceed the baseline's by, as a fraction of it. */
  const errorUpper = (): number => (expected === 0 ? Infinity : (observed - expected + 2 * Math.sqrt(variance)) / expected);
  const latencyUpper = (): number => (weightSum === 0 ? Infinity : latencyMean() + 2 / Math.sqrt(weightSum));

  const controller: RolloutController = {
    observe(group, requests, errors, p99Ms) {
      if (group === "canary") {
        stepCanaryN = requests;
        stepCanaryErrors = errors;
        stepCanaryP99 = p99Ms;
        return;
      }
      // The baseline's rate, with a pseudo-count so a step with no baseline errors still predicts some.
      const rate = (errors + 0.5) / (requests + 1);
      observed += stepCanaryErrors;
      expected += stepCanaryN * rate;
      // Binomial noise of the canary's count, plus that of the rate it is compared with.
      variance += stepCanaryN * rate * (1 - rate) * (1 + stepCanaryN / Math.max(1, requests));
      if (stepCanaryP99 > 0 && p99Ms > 0) {
        const noise = Math.hypot(p99Noise(stepCanaryN - stepCanaryErrors), p99Noise(requests - errors));
        const weight = 1 / (noise * noise);
        logRatioSum += weight * Math.log(stepCanaryP99 / p99Ms);
        weightSum += weight;
      }
    },
    decide() {
      stepsHere++;
      if (errorZ() > zRollback || latencyZ() > zRollback) return "rollback";
      if (stepsHere < stepsPerStage || errorUpper() > errorMargin || latencyUpper() > latencyMargin) return "hold";
      stepsHere = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
