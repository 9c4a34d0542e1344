/** One submission of a batch, graded the way `clusterlab grade` grades a file: what a batch worker runs. */
import { errorResults, gradeCommand, graderFailedMessage, type ExerciseDef, type Results } from "../../../graders/index.ts";
import type { ProcessSandbox } from "../../../graders/sandbox/node/index.ts";
import type { CliIo } from "../command.ts";
import type { ParsedArgs } from "../args.ts";
import { gradeSource } from "../grade-file.ts";
import { SOLUTION_PLACEHOLDER } from "./cache.ts";

/** One submission, under the placeholder name (cache.ts): its results, whatever happens. */
export async function gradeOne(exercise: ExerciseDef, source: string, path: string, sandbox: ProcessSandbox, seeds: number[], scenario: number | string | undefined): Promise<Results> {
  const label = SOLUTION_PLACEHOLDER;
  const replay = gradeCommand(exercise.slug, label);
  const quiet: CliIo = { stdout: () => undefined, stderr: () => undefined, isTty: false, color: false, cwd: process.cwd() };
  // Seeds and the scenario were resolved (and checked) by the caller; the type check ran for the whole batch.
  const flags: ParsedArgs["flags"] = { "no-typecheck": true, ...(scenario === undefined ? {} : { scenario: String(scenario) }) };
  try {
    const outcome = await gradeSource({ exercise, source, path, label, flags, io: quiet, sandbox, seeds });
    return typeof outcome === "string" ? errorResults(exercise.slug, outcome, replay) : outcome;
  } catch (error) {
    return errorResults(exercise.slug, graderFailedMessage(error), replay);
  }
}
