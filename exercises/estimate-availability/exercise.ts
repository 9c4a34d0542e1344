import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-availability";

export default defineExercise({
  slug: drill,
  title: "Estimate: availability in nines",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(drill, "Combine parts in series and redundant parts into one availability, in nines and in minutes of downtime a year, and see which part the chain's nines depend on."),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "A redundant tier is down only when all its copies are: multiply the copies' unavailabilities, (1 − a)^n.",
    "Parts in series are all needed: multiply their availabilities (their unavailabilities roughly add).",
    "Nines count the unavailability: −log10(1 − A). A year has 525,600 minutes.",
  ],
});
