import type { RolloutController, RolloutControllerFactory } from "clusterlab";

/**
 * Wald's sequential probability ratio test, one per signal, started afresh at each stage: is the canary
 * as good as the baseline (H0), or twice as error-prone / 1.5× as slow (H1)? Each step adds its
 * log-likelihood ratio; cross the upper bound and the canary is rolled back, the lower bound (for both
 * signals, after two steps at least) and it is promoted. Error rates α = 0.5%, β = 5%.
 */
const rollbackAt = Math.log(0.95 / 0.005);
const promoteAt = Math.log(0.05 / 0.995);
const errorRatioH1 = 2;
const latencyH1 = Math.log(1.5);
const p99Noise = (n: number) => 1.9 / Math.sqrt(Math.max(1, n));

const createController: RolloutControllerFactory = () => {
  let errorLlr = 0, latencyLlr = 0, steps = 0;
  let canaryN = 0, canaryErrors = 0, canaryP99 = 0;
  const controller: RolloutController = {
    observe(group, requests, errors, p99Ms) {
      if (group === "canary") {
        canaryN = requests;
        canaryErrors = errors;
        canaryP99 = p99Ms;
        return;
      }
      // Errors: the canary's count is Poisson around what the baseline's rate this step predicts (× 1
      // under H0, × 2 under H1).
      const predicted = canaryN * ((errors + 0.5) / (requests + 1));
      errorLlr += canaryErrors * Math.log(errorRatioH1) - predicted * (errorRatioH1 - 1);
      // Latency: the log ratio of the two p99s is normal around 0 (H0) or log 1.5 (H1).
      if (canaryP99 > 0 && p99Ms > 0) {
        const x = Math.log(canaryP99 / p99Ms);
        const s2 = p99Noise(canaryN - canaryErrors) ** 2 + p99Noise(requests - errors) ** 2;
        latencyLlr += (x * latencyH1 - (latencyH1 * latencyH1) / 2) / s2;
      }
    },
    decide() {
      steps++;
      if (errorLlr > rollbackAt || latencyLlr > rollbackAt) return "rollback";
      if (steps < 2 || errorLlr > promoteAt || latencyLlr > promoteAt) return "hold";
      errorLlr = latencyLlr = steps = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
