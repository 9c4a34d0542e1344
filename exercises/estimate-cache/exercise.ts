import { defineExercise } from "../../graders/index.ts";
import { drillInstructions, estimateTask } from "../../graders/estimate/index.ts";

const drill = "estimate-cache";

export default defineExercise({
  slug: drill,
  title: "Estimate: cache memory for the hot set",
  lesson: "09-design-considerations/04-back-of-the-envelope",
  harness: "estimate",
  instructions: drillInstructions(
    drill,
    "Size a cache for the hottest share of a catalogue: the entries it keeps, their memory with overhead, the nodes that takes, and, because popularity is skewed, how many reads it answers and how many still reach the database. The 80/20 rule is a rough stand-in for this skew; here you compute it: under Zipf popularity with exponent 1, the top k of n items take H(k) / H(n) of the reads, where H(n) = 1 + 1/2 + … + 1/n ≈ ln n + 0.5772.",
  ),
  tasks: [estimateTask(drill)],
  seeds: 10,
  hints: [
    "The cache keeps objects × hotShare entries; each costs its value plus the per-entry overhead.",
    "nodeMemoryGiB is in GiB: a node holds nodeMemoryGiB × 2³⁰ bytes. Round the node count up.",
    "hitRatio = (ln k + 0.5772) / (ln n + 0.5772) with k the hot objects and n all objects; the database sees readsPerSec × (1 − hitRatio).",
  ],
});
