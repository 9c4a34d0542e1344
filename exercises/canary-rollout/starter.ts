import type { RolloutController, RolloutControllerFactory } from "clusterlab";

// One controller per rollout. After every step the pipeline calls observe("canary", …) and
// observe("baseline", …) with that step's requests, errors and p99 latency, then decide().
// Date.now() is the simulated clock; Math.random() is seeded.
const createController: RolloutControllerFactory = (plan) => {
  const controller: RolloutController = {
    observe(group, requests, errors, p99Ms) {},
    decide() {
      return "promote"; // ships every version, good or bad
    },
  };
  return controller;
};

export default createController;
