import type { RolloutController, RolloutControllerFactory } from "clusterlab";

/**
 * Bayesian: keep a posterior for how many times the baseline's error rate the canary has (r), and for
 * the canary's log p99 ratio (m), over the whole rollout. The canary's errors are Poisson around r × what
 * the baseline's rate of each step predicts, so with a Gamma(1, 1) prior, r's posterior is
 * Gamma(1 + errors, 1 + predicted); m's is normal (precision-weighted mean of each step's log ratio).
 * Roll back when even the optimistic end of an interval (1%) says worse (r > 1.3, p99 × 1.15); promote,
 * after two steps at a stage, when the pessimistic end (95%) says the canary is close enough
 * (r < 1.6, p99 × 1.3).
 */
const p99Noise = (n: number) => 1.9 / Math.sqrt(Math.max(1, n));
const z99 = 2.326, z95 = 1.645;

/** A quantile of Gamma(shape, rate) by the Wilson–Hilferty cube-root normal approximation. */
function gammaQuantile(shape: number, rate: number, z: number): number {
  const c = 1 / (9 * shape);
  return (shape / rate) * Math.max(0, 1 - c + z * Math.sqrt(c)) ** 3;
}

const createController: RolloutControllerFactory = () => {
  let errors = 0, predicted = 0, logSum = 0, precision = 0, steps = 0;
  let canaryN = 0, canaryErrors = 0, canaryP99 = 0;
  const controller: RolloutController = {
    observe(group, requests, e, p99Ms) {
      if (group === "canary") {
        canaryN = requests;
        canaryErrors = e;
        canaryP99 = p99Ms;
        return;
      }
      errors += canaryErrors;
      predicted += canaryN * ((e + 0.5) / (requests + 1));
      if (canaryP99 > 0 && p99Ms > 0) {
        const w = 1 / (p99Noise(canaryN - canaryErrors) ** 2 + p99Noise(requests - e) ** 2);
        logSum += w * Math.log(canaryP99 / p99Ms);
        precision += w;
      }
    },
    decide() {
      steps++;
      const shape = 1 + errors, rate = 1 + predicted;
      const mean = precision ? logSum / precision : 0, sd = precision ? 1 / Math.sqrt(precision) : Infinity;
      if (gammaQuantile(shape, rate, -z99) > 1.3 || mean - z99 * sd > Math.log(1.15)) return "rollback";
      if (steps < 2 || gammaQuantile(shape, rate, z95) > 1.6 || mean + z95 * sd > Math.log(1.3)) return "hold";
      steps = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
