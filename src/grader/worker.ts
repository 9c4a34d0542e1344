/**
 * The grading Worker: the same engine as the CLI, with the one-realm sandbox. It is created from a blob
 * inside a sandboxed iframe with no network (see frame.ts), and the page kills it at its deadline. The frame
 * starts more Workers from the same script, as runners: each runs the runs sent on its port in its own
 * locked-down realm (run-pool.ts), so a grade's runs go side by side on several cores.
 *
 * Messages in:  { type: "runners", ports, spillAfterMs? } (once, before any grade: the runners' ports), then
 *               { type: "grade", request: GradeRequest }; a runner gets { type: "serve" } with its port
 * Messages out: { type: "progress", progress } … then { type: "outcome", outcome }
 */
import { exerciseSeeds, grade, type ExerciseDef, type RunData, type Sandbox, type TestResult } from "../../graders/index.ts";
import { createScopeSandbox } from "../../graders/sandbox/scope/index.ts";
import { SOLUTION_SCRIPT_LINE_OFFSET, wrapEmittedSolution } from "./solution-script.ts";
import exercises from "clusterlab:exercises";
import type { FailingRun, GradeOutcome, GradeProgress, GradeRequest } from "./types.ts";
import { createRunPool, serveRuns } from "./run-pool.ts";
import { createRunCache } from "./run-cache.ts";

// Everything this Worker needs of its host is taken before createScopeSandbox() locks the realm down
// (it removes postMessage, addEventListener and every other host global, and freezes the intrinsics), so
// no learner code can post a forged outcome or listen to the page.
const scope = self as unknown as Worker;
const postMessage = scope.postMessage.bind(scope);
const post = (message: unknown) => postMessage(message);
// The real clock, for the run pool's choice of Worker only: after the lockdown the realm's clocks are virtual.
const wallNow = performance.now.bind(performance);
type ToWorker = { type: "grade"; request: GradeRequest } | { type: "runners"; spillAfterMs?: number } | { type: "serve" };
scope.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === "grade") onGrade(message.request);
  else if (message.type === "runners") sandbox = createRunPool(local, event.ports, { now: wallNow, ...(message.spillAfterMs !== undefined ? { spillAfterMs: message.spillAfterMs } : {}) });
  else if (message.type === "serve" && event.ports[0]) serveRuns(event.ports[0], local);
});
// A promise that learner code leaves rejected with nothing to handle it is the learner's error, as in both
// Node sandboxes; Chromium would only log it (and the solution would pass). The sandbox takes the reasons
// between turns (scope/index.ts).
let unhandled: unknown[] = [];
scope.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  unhandled.push((event as PromiseRejectionEvent).reason);
});
const local: Sandbox = createScopeSandbox({
  unhandledRejections: () => {
    const reasons = unhandled;
    unhandled = [];
    return reasons;
  },
});
/** This realm's sandbox, or a pool of it and the runners once the frame has sent their ports. */
let sandbox: Sandbox = local;
/** The last quick Run's runs, which a Submit of the same code takes instead of running them again. */
const runs = createRunCache(() => sandbox);

/** The seeds a mode runs: Run gives quick feedback (two seeds), Submit grades as the CLI does. */
function seedsFor(exercise: ExerciseDef, request: GradeRequest): number[] {
  if (request.seeds?.length) return request.seeds;
  const all = exerciseSeeds(exercise);
  return request.mode === "run" ? all.slice(0, 2) : all;
}

/** What the message diagram needs of the first run that failed a check. */
function failingRun(test: TestResult, run: RunData): FailingRun {
  const { scenario, knobs, stats, logs, errors } = run;
  // Only a node run has messages and clients; another run's failure still shows its logs.
  const trace = run.harness === "node" ? run.trace : [];
  const history = run.harness === "node" ? run.history : [];
  const clientIds = [...new Set(history.map((op) => op.process))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return {
    test,
    nodeIds: knobs.nodeIds,
    clientIds,
    trace,
    truncated: run.harness === "node" && run.stats.traceTruncated,
    faults: knobs.faults,
    healMs: scenario.durationMs,
    endMs: stats.simulatedMs,
    logs,
    errors,
  };
}

async function handle(exercise: ExerciseDef, request: GradeRequest): Promise<GradeOutcome> {
  let failing: FailingRun | undefined;
  const results = await grade({
    exercise,
    solutionJs: wrapEmittedSolution(request.emittedJs),
    solutionLabel: `${exercise.slug}.ts`,
    ...(request.sourceMap ? { sourceMap: request.sourceMap, sourceMapLineOffset: SOLUTION_SCRIPT_LINE_OFFSET } : {}),
    sandbox: runs.sandbox({ keep: request.mode === "run" }),
    seeds: seedsFor(exercise, request),
    ...(request.scenario ? { scenario: request.scenario } : {}),
    onProgress: (done, total, seed, name, bad) => post({ type: "progress", progress: { done, total, seed, name, ...(bad.runs ? { bad } : {}) } satisfies GradeProgress }),
    // Only the first failing run is kept: the others' data is dropped as the grade goes on.
    onRun: (test, run) => {
      if (!failing && test.status === "fail") failing = failingRun(test, run);
    },
  });
  return failing ? { kind: "results", results, failing } : { kind: "results", results };
}

function onGrade(request: GradeRequest): void {
  const exercise = Object.hasOwn(exercises, request.slug) ? exercises[request.slug] : undefined;
  if (!exercise) {
    post({ type: "outcome", outcome: { kind: "crashed", message: `no exercise "${request.slug}" in this build` } });
    return;
  }
  handle(exercise, request).then(
    (outcome) => post({ type: "outcome", outcome }),
    (error: unknown) => post({ type: "outcome", outcome: { kind: "crashed", message: `the grader failed: ${String((error as Error)?.message ?? error)}` } }),
  );
}
post({ type: "ready" });
