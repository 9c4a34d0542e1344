import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-servers";

export default defineExercise({
  slug: drill,
  title: "Estimate: servers for the peak",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(drill, "Size a service tier: the peak request rate, the cores it keeps busy, the cores it needs at a utilisation target, whole servers, and the extra servers that let it lose a zone at the peak."),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "Cores kept busy = requests per second × CPU seconds per request (ms ÷ 1,000): Little's law for CPU time.",
    "Running at a utilisation target u takes busyCores ÷ u cores: at u = 0.4, two and a half times the busy ones.",
    "Spread over z zones, losing one leaves (z − 1)/z of the servers: deploy serversForPeak × z / (z − 1), rounded up.",
  ],
});
