import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-qps";

export default defineExercise({
  slug: drill,
  title: "Estimate: requests per second from daily users",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(drill, "Turn daily users into the request rates a design is sized for: the day's mean, the busiest hour, and the writes the primary database must take."),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "A day has 86,400 seconds; 10⁵ is close enough (within 2× is full credit).",
    "Servers are sized for the busiest hour, not the day's mean: multiply the mean by the peak-to-mean ratio.",
    "Writes peak with the rest of the traffic: peak writes are the writes' own mean rate times the same ratio.",
  ],
});
