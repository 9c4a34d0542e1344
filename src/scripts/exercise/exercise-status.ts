// One exercise's status for the exercises page, from what this browser kept: the best Submit
// (progress-store.ts) and the last Run or Submit (results-store.ts). Pure, so it is unit tested.
import type { ExerciseProgress } from "./progress-store.ts";

export type ExerciseStatus = "passed" | "failing" | "run-passed" | "not-started";

export const STATUS_TEXT: Record<ExerciseStatus, string> = {
  passed: "passed",
  failing: "failing",
  "run-passed": "Run passed: Submit it",
  "not-started": "not started",
};

/** `lastVerdict` is the status of the last stored grade ("pass", "fail", "compile-error", …). */
export function exerciseStatus(progress: ExerciseProgress | undefined, lastVerdict: string | undefined): ExerciseStatus {
  if (progress?.best === "pass") return "passed";
  if (lastVerdict === "pass") return "run-passed";
  if (progress || lastVerdict) return "failing";
  return "not-started";
}
