// fails: false-rollbacks
import type { RolloutController, RolloutControllerFactory } from "clusterlab";

// A proper two-proportion z-test, but on each step alone and at two standard errors: each test is wrong
// by chance once in forty, and a rollout runs a dozen of them (errors and latency, every step), so one
// good version in four or five is rolled back for noise. Evidence must accumulate over the steps.
const createController: RolloutControllerFactory = () => {
  let canaryN = 0, canaryErrors = 0, canaryP99 = 0, worse = false, steps = 0;
  const controller: RolloutController = {
    observe(group, requests, errors, p99Ms) {
      if (group === "canary") {
        canaryN = requests;
        canaryErrors = errors;
        canaryP99 = p99Ms;
        return;
      }
      const p = (canaryErrors + errors) / Math.max(1, canaryN + requests);
      const se = Math.sqrt(Math.max(p * (1 - p), 1e-9) * (1 / Math.max(1, canaryN) + 1 / Math.max(1, requests)));
      const z = (canaryErrors / Math.max(1, canaryN) - errors / Math.max(1, requests)) / se;
      const latencyZ = Math.log(canaryP99 / p99Ms) / Math.hypot(1.9 / Math.sqrt(Math.max(1, canaryN)), 1.9 / Math.sqrt(Math.max(1, requests)));
      worse = z > 2 || latencyZ > 2;
    },
    decide() {
      if (worse) return "rollback";
      if (++steps < 2) return "hold";
      steps = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
