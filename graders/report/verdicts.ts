/**
 * The grader's own words in a results object: a check that could not judge, a run skipped after a budget, a
 * grade that could not run, and the cap on every message. The sandbox's verdicts (a budget, a crash) are in
 * sandbox/verdicts.ts; a check's own verdicts are beside the check.
 */
import type { BudgetKind } from "../contract.ts";

/**
 * The longest message a test or a results object carries, in characters (UTF-16 code units), as Exercism caps a
 * test's output: what follows is summarised. A learner's node controls much of what a message quotes.
 */
export const MESSAGE_MAX_CHARS = 2048;

/** `text`, cut to `maxChars` with the rest summarised as "… (N more characters)". */
export function capMessage(text: string, maxChars = MESSAGE_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  let kept = maxChars;
  // Never cut between the two halves of a surrogate pair.
  const last = text.charCodeAt(kept - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept--;
  return `${text.slice(0, kept)}… (${text.length - kept} more characters)`;
}

/** An exception as one line: "RangeError: Maximum call stack size exceeded". Never throws, whatever was thrown. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
      const { name, message } = error as { name?: unknown; message?: unknown };
      const text = typeof message === "string" ? message : String(message);
      return oneLine(typeof name === "string" && name ? `${name}: ${text}` : text);
    }
    return oneLine(String(error));
  } catch {
    return "an exception that cannot be shown";
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** A check threw instead of judging: the test gets an error verdict that names it, and the other checks still run. */
export function checkCouldNotJudgeMessage(check: string, error: unknown): string {
  return `check "${check}" could not judge this run: ${describeError(error)}`;
}

/** The run's data could not be read for the checks at all (its figures or its history hash). */
export function runCouldNotBeJudgedMessage(error: unknown): string {
  return `the grader could not judge this run: ${describeError(error)}`;
}

/** The sandbox itself failed (rejected instead of returning an outcome). */
export function sandboxFailedMessage(error: unknown): string {
  return `the sandbox failed to run the solution: ${describeError(error)}`;
}

const budgetWords: Record<BudgetKind, string> = {
  wall: "wall-time budget",
  memory: "memory budget",
  events: "event budget",
  output: "output budget",
  message: "message-size budget",
};

/** Budgets spent in real resources: after one, the grade stops (a looping solution would spend it on every run). */
export function stopsTheGrade(budget: BudgetKind | undefined): budget is "wall" | "memory" {
  return budget === "wall" || budget === "memory";
}

/** Why a run was not started: the first run over a budget that stops the grade. */
export function skippedMessage(run: { name: string; seed: number }, budget: BudgetKind): string {
  return `skipped: ${run.name} seed ${run.seed} exceeded the ${budgetWords[budget]}, so the remaining runs were not started`;
}

/** An exercise that cannot be graded as written (an authoring error): nothing was run. */
export function cannotGradeMessage(slug: string, problems: readonly string[]): string {
  return `exercise ${slug} cannot be graded, so nothing was run: ${problems.join("; ")}`;
}

/** The solution could not be made to run: type or syntax errors (the details follow, one a line). */
export function solutionCouldNotRunMessage(details: string): string {
  return `the solution could not run: ${details}`;
}

/** An exception the grader did not expect, anywhere in a grade. */
export function graderFailedMessage(error: unknown): string {
  return `the grader failed: ${describeError(error)}`;
}
