import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-cost";

export default defineExercise({
  slug: drill,
  title: "Estimate: cost per month",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(
    drill,
    "Price a month of a service from a small price table: servers by the hour, every replica's storage by the GB-month, and egress by the GB. The prices come in the assumptions; they are clusterlab's own round figures (graders/estimate/drills/prices.ts), not any provider's quote.",
  ),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "A month is 730 hours (8,760 ÷ 12) and 2.63 × 10⁶ seconds; a 30-day month is close enough.",
    "Egress comes in gigabits per second: ÷ 8 for gigabytes per second, × the seconds in a month for a month's bytes.",
    "Storage is billed for every copy: storedBytes × replicationFactor.",
  ],
});
