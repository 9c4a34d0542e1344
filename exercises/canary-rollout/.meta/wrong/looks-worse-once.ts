// fails: false-rollbacks
import type { RolloutController, RolloutControllerFactory } from "clusterlab";

// Compares with the baseline, but with no statistics: any step in which the canary's error rate or p99
// is higher than the baseline's is taken as a regression. Half the steps of a version exactly as good as
// the old one look worse by chance.
const createController: RolloutControllerFactory = () => {
  let canaryRate = 0, canaryP99 = 0, worse = false, steps = 0;
  const controller: RolloutController = {
    observe(group, requests, errors, p99Ms) {
      const rate = errors / Math.max(1, requests);
      if (group === "canary") {
        canaryRate = rate;
        canaryP99 = p99Ms;
      } else worse = canaryRate > rate * 1.1 || canaryP99 > p99Ms * 1.1;
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
