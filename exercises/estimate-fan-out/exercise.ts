import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-fan-out";

export default defineExercise({
  slug: drill,
  title: "Estimate: the fan-out tail",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(drill, "Work out why a request that fans out is slow far more often than any one of its leaves, how large a fan-out a latency target allows, and how much better each leaf must be at a given fan-out."),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "A request is fast only if every leaf is: (1 − p)^n. Slow is the rest: 1 − (1 − p)^n.",
    "For the largest fan-out, solve (1 − p)^n ≥ 1 − target for n: n ≤ ln(1 − target) / ln(1 − p), rounded down.",
    "For the leaves' own target, solve (1 − q)^n = 1 − target for q: q = 1 − (1 − target)^(1/n).",
  ],
});
