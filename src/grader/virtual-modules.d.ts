/** Made by scripts/grader-worker-plugin.mjs. */
declare module "virtual:clusterlab/grader-worker" {
  /** The grading Worker as one self-contained script. */
  const source: string;
  export default source;
}

declare module "clusterlab:exercises" {
  import type { ExerciseDef } from "../../graders/index.ts";
  /** Every exercise definition, by slug. */
  const exercises: Record<string, ExerciseDef>;
  export default exercises;
}
