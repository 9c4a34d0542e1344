// fails: good-promoted
import type { RolloutController, RolloutControllerFactory } from "clusterlab";

// Statistics right, patience wrong: it insists on ten clean steps at every stage before promoting, so a
// good version takes thirty steps to reach the fleet and every release waits half an hour for no gain.
const createController: RolloutControllerFactory = () => {
  let observed = 0, expected = 0, variance = 0, canaryN = 0, canaryErrors = 0, steps = 0;
  const controller: RolloutController = {
    observe(group, requests, errors) {
      if (group === "canary") {
        canaryN = requests;
        canaryErrors = errors;
        return;
      }
      const rate = (errors + 0.5) / (requests + 1);
      observed += canaryErrors;
      expected += canaryN * rate;
      variance += canaryN * rate * (1 - rate) * (1 + canaryN / Math.max(1, requests));
    },
    decide() {
      if (variance > 0 && (observed - expected) / Math.sqrt(variance) > 3.5) return "rollback";
      if (++steps < 10) return "hold";
      steps = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
