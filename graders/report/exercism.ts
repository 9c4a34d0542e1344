/**
 * Results as Exercism's results.json, version 3 (exercism.org/docs/building/tooling/test-runners/interface):
 * the format Exercism's test runners write and its website reads. A pure function of the results object.
 *
 * Mapping: a test per task × scenario × seed; its `task_id` is the task's 1-based position in the exercise
 * (Exercism numbers tasks from 1); a skipped run (never started after a budget stopped the grade) is an
 * `error` with the reason, since v3 has no skip; `output` holds what the nodes logged, cut to
 * EXERCISM_OUTPUT_MAX_CHARS as Exercism asks; `test_code` is the command that replays the run.
 */
import type { Results, Status, TestResult } from "./results.ts";

export const EXERCISM_VERSION = 3;
/** Exercism shows at most this much output per test. */
export const EXERCISM_OUTPUT_MAX_CHARS = 500;

export interface ExercismTest {
  name: string;
  status: Status;
  /** Why it failed or errored; absent for a pass. */
  message?: string;
  /** What the solution printed (the nodes' `node.log` lines), at most 500 characters; absent when none. */
  output?: string;
  test_code: string;
  task_id: number;
}

export interface ExercismResults {
  version: typeof EXERCISM_VERSION;
  status: Status;
  /** Required when status is "error": why the tests could not run (or did not all run). */
  message?: string;
  tests: ExercismTest[];
}

/** `tasks` (the exercise's, in order) numbers them; without it, tasks are numbered in the order their runs appear. */
export function toExercism(results: Results, tasks?: ReadonlyArray<{ id: string }>): ExercismResults {
  const order = tasks?.map((t) => t.id) ?? [...new Set(results.tests.map((t) => t.taskId))];
  const taskId = (id: string) => {
    const at = order.indexOf(id);
    return at === -1 ? order.length + 1 : at + 1;
  };
  const out: ExercismResults = { version: EXERCISM_VERSION, status: results.status, tests: results.tests.map((t) => toTest(t, taskId(t.taskId))) };
  if (results.status === "error") out.message = results.message ?? "the grade could not finish: see the tests marked error";
  return out;
}

function toTest(test: TestResult, taskId: number): ExercismTest {
  const status: Status = test.status === "skipped" ? "error" : test.status;
  const out: ExercismTest = { name: `${test.name} (seed ${test.seed})`, status, test_code: test.replay, task_id: taskId };
  if (status !== "pass") out.message = test.message;
  if (test.logs?.length) out.output = capOutput(test.logs.join("\n"));
  return out;
}

/** Cut to the limit with a note that says so, the whole staying within the limit. */
export function capOutput(text: string, maxChars = EXERCISM_OUTPUT_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  const note = `\n… output cut at ${maxChars} characters`;
  let kept = maxChars - note.length;
  // Never cut between the two halves of a surrogate pair.
  const last = text.charCodeAt(kept - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept--;
  return `${text.slice(0, kept)}${note}`;
}
