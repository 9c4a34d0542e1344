/**
 * Results as GitHub Classroom's autograding result: the JSON an autograding runner step hands to
 * education/autograding-grading-reporter (base64 in `<RUNNER-ID>_RESULTS`), which sums every test's `score`
 * against the runner's `max_score` and reports the points to Classroom. A pure function of the results object.
 *
 * A test per task, worth the task's `points` (TaskDef.points, default 1). Credit is partial by default: a task
 * scores its points × the share of its runs (scenarios × seeds) that passed, rounded to hundredths, so a
 * solution that fails one seed in ten keeps 90% of the task. With `credit: "all-or-nothing"` a task scores its
 * points only when every run passed. A run skipped after a budget stopped the grade counts as not passed.
 */
import type { Results, Status, TestResult } from "./results.ts";

export const CLASSROOM_VERSION = 1;

export type Credit = "partial" | "all-or-nothing";

export interface ReportTask {
  id: string;
  title?: string;
  /** What the task is worth; default 1. */
  points?: number;
}

export interface ClassroomTest {
  name: string;
  status: Status;
  message: string;
  /** The command that replays the task's first failing run (or the whole grade). */
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
  score: number;
  max_score: number;
}

export interface ClassroomResults {
  version: typeof CLASSROOM_VERSION;
  status: Status;
  max_score: number;
  tests: ClassroomTest[];
}

export interface ClassroomOptions {
  /** The exercise's tasks, in order, with their points: without them, each task seen in the runs is worth 1. */
  tasks?: readonly ReportTask[];
  credit?: Credit;
  /** The graded file, as Classroom shows it beside each test. */
  filename?: string;
}

export function toClassroom(results: Results, options: ClassroomOptions = {}): ClassroomResults {
  const credit = options.credit ?? "partial";
  const ran = new Set(results.tests.map((t) => t.taskId));
  // A grade of one scenario (--scenario) scores only the tasks it ran; a grade that ran nothing scores every task 0.
  const known = options.tasks ? options.tasks.filter((t) => ran.size === 0 || ran.has(t.id)) : [];
  const tasks: ReportTask[] = [...known, ...[...ran].filter((id) => !known.some((t) => t.id === id)).map((id) => ({ id }))];
  const tests = tasks.map((task) => toTest(task, results.tests.filter((t) => t.taskId === task.id), results, credit, options.filename ?? ""));
  return { version: CLASSROOM_VERSION, status: results.status, max_score: round(tests.reduce((sum, t) => sum + t.max_score, 0)), tests };
}

function toTest(task: ReportTask, runs: readonly TestResult[], results: Results, credit: Credit, filename: string): ClassroomTest {
  const points = task.points ?? 1;
  const passed = runs.filter((t) => t.status === "pass").length;
  const bad = runs.find((t) => t.status === "fail" || t.status === "error") ?? runs.find((t) => t.status === "skipped");
  // No runs for this task: the grade ran nothing (type errors, a grader failure) and says why in its message.
  const status: Status = runs.length === 0 ? (results.status === "pass" ? "error" : results.status) : runs.some((t) => t.status === "error" || t.status === "skipped") ? "error" : bad ? "fail" : "pass";
  const share = runs.length ? passed / runs.length : 0;
  const score = credit === "partial" ? round(points * share) : status === "pass" ? points : 0;
  const message = runs.length === 0 ? (results.message ?? "nothing was graded") : bad ? `${passed}/${runs.length} runs passed; ${bad.name} (seed ${bad.seed}): ${bad.message}` : `${passed}/${runs.length} runs passed`;
  const wallMs = runs.reduce((sum, t) => sum + (t.metrics.wallMs ?? 0), 0);
  return {
    name: task.title ? `${task.id}: ${task.title}` : task.id,
    status,
    message,
    test_code: bad?.replay ?? results.replay,
    filename,
    line_no: 0,
    execution_time: `${(wallMs / 1000).toFixed(2)}s`,
    score,
    max_score: points,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
