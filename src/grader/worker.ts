/**
 * The grading Worker: the same engine as the CLI, with the one-realm sandbox. It is created from a blob
 * inside a sandboxed iframe with no network (see frame.ts), and the page kills it at its deadline.
 *
 * Messages in:  { type: "grade", request: GradeRequest }
 * Messages out: { type: "progress", progress } … then { type: "outcome", outcome }
 */
import { expandKnobs, grade, type ExerciseDef, type Results, type RunOutcome, type Sandbox } from "../../graders/index.ts";
import { createScopeSandbox } from "../../graders/sandbox/scope/index.ts";
import { wrapEmittedSolution } from "./solution-script.ts";
import { hardenIntrinsics } from "./harden.ts";
import exercises from "clusterlab:exercises";
import type { FailingRun, GradeOutcome, GradeProgress, GradeRequest } from "./types.ts";

const sandbox: Sandbox = createScopeSandbox();
const post = (message: unknown) => (self as unknown as Worker).postMessage(message);

/** The seeds a mode runs: Run gives quick feedback, Submit grades as the CLI does. */
function seedsFor(exercise: ExerciseDef, request: GradeRequest): number[] {
  if (request.seeds?.length) return request.seeds;
  const count = request.mode === "run" ? Math.min(2, exercise.seeds ?? 10) : (exercise.seeds ?? 10);
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** Runs the first failing scenario again (same seed, same history) to get the messages for the diagram. */
async function failingRun(exercise: ExerciseDef, results: Results, solutionJs: string): Promise<FailingRun | undefined> {
  const test = results.tests.find((t) => t.status === "fail");
  if (!test) return undefined;
  const scenario = exercise.tasks.flatMap((task) => task.scenarios)[test.scenarioIndex - 1]!;
  const knobs = expandKnobs(scenario, test.seed);
  const outcome: RunOutcome = await sandbox.run({ scenario, knobs, solutionJs });
  if (outcome.kind !== "data") return undefined;
  const { trace, stats, logs, errors, history } = outcome.data;
  const clientIds = [...new Set(history.map((op) => op.process))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return {
    test,
    nodeIds: knobs.nodeIds,
    clientIds,
    trace,
    truncated: stats.traceTruncated,
    faults: knobs.faults,
    healMs: scenario.durationMs,
    endMs: stats.simulatedMs,
    logs,
    errors,
  };
}

async function handle(exercise: ExerciseDef, request: GradeRequest): Promise<GradeOutcome> {
  const solutionJs = wrapEmittedSolution(request.emittedJs);
  const results = await grade({
    exercise,
    solutionJs,
    solutionLabel: `${exercise.slug}.ts`,
    sandbox,
    seeds: seedsFor(exercise, request),
    ...(request.scenario ? { scenario: request.scenario } : {}),
    onProgress: (done, total, seed, name) => post({ type: "progress", progress: { done, total, seed, name } satisfies GradeProgress }),
  });
  const failing = await failingRun(exercise, results, solutionJs);
  return failing ? { kind: "results", results, failing } : { kind: "results", results };
}

hardenIntrinsics();
self.onmessage = (event: MessageEvent<{ type: "grade"; request: GradeRequest }>) => {
  const { request } = event.data;
  const exercise = Object.hasOwn(exercises, request.slug) ? exercises[request.slug] : undefined;
  if (!exercise) {
    post({ type: "outcome", outcome: { kind: "crashed", message: `no exercise "${request.slug}" in this build` } });
    return;
  }
  handle(exercise, request).then(
    (outcome) => post({ type: "outcome", outcome }),
    (error: unknown) => post({ type: "outcome", outcome: { kind: "crashed", message: `the grader failed: ${String((error as Error)?.message ?? error)}` } }),
  );
};
post({ type: "ready" });
