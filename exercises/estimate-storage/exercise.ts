import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-storage";

export default defineExercise({
  slug: drill,
  title: "Estimate: storage over five years",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(drill, "Turn uploads into the disk a service needs after five years: a day's bytes, a year's, five growing years', and every replica."),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "A year is 365 days; a first year's bytes are a day's times 365.",
    "With growth g, year k (counting the first as 0) uploads (1 + g)^k times the first year: add up k = 0…4, or use the geometric sum ((1 + g)⁵ − 1) / g.",
    "Every replica is a full copy on disk: multiply by the replication factor last.",
  ],
});
