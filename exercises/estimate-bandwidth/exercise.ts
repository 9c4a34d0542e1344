import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-bandwidth";

export default defineExercise({
  slug: drill,
  title: "Estimate: bandwidth in and out",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(drill, "Turn uploads and views into bandwidth: bytes per second in and out, at the mean and at the peak, and the peak egress in the gigabits per second a link or a CDN contract is sold in."),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "Ingress is what users send in (uploads); egress is what the service sends out (views).",
    "A day's bytes over 86,400 s is the mean; the busiest hour is the mean times the peak-to-mean ratio.",
    "A byte is 8 bits and a gigabit 10⁹ bits: Gbit/s = bytes/s × 8 ÷ 10⁹.",
  ],
});
