// fails: bad-caught
import type { RolloutController, RolloutControllerFactory } from "clusterlab";

// A pipeline on a timer: two steps at each stage, then the next, whatever the figures say. It collects
// them (for the dashboard) but never acts on them, so every bad version reaches the whole fleet.
const createController: RolloutControllerFactory = () => {
  const seen: Array<[string, number, number, number]> = [];
  let steps = 0;
  const controller: RolloutController = {
    observe(group, requests, errors, p99Ms) {
      seen.push([group, requests, errors, p99Ms]);
    },
    decide() {
      if (++steps < 2) return "hold";
      steps = 0;
      return "promote";
    },
  };
  return controller;
};

export default createController;
