// fails: false-rollbacks
import type { RolloutController, RolloutControllerFactory } from "clusterlab";

// Fixed alarm thresholds, as a dashboard might have them: roll back when the canary fails more than 2% of
// its requests or its p99 passes 400 ms; otherwise promote after two steps at each stage. Fine for a
// service whose own error rate is 1%, wrong for one that always fails 3% (every new version looks bad)
// or 0.5% (a version three times worse still passes).
const createController: RolloutControllerFactory = () => {
  let requests = 0, errors = 0, p99 = 0, steps = 0;
  const controller: RolloutController = {
    observe(group, n, e, p99Ms) {
      if (group !== "canary") return;
      requests = n;
      errors = e;
      p99 = p99Ms;
    },
    decide() {
      if (errors / Math.max(1, requests) > 0.02 || p99 > 400) return "rollback";
      if (++steps < 2) return "hold";
      steps = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
