/**
 * Grades many submissions of one exercise in one process: a pool of workers (workers.ts), each a thread that
 * grades whole submissions, one at a time, with a sandbox process of its own (createProcessSandbox: an isolate
 * per submission, kept across its runs by realm reuse, a fatal error a verdict). The runs and their judging
 * (checks, verdicts, figures) both happen in the workers, side by side; this thread reads the files, looks up
 * the cache, type-checks the batch in one compiler run, and hands out the work.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { errorResults, exerciseSeeds, gradeCommand, type ExerciseDef, type Results } from "../../../graders/index.ts";
import type { SandboxKind } from "../../../graders/sandbox/node/index.ts";
import { exercisesDir } from "../exercises.ts";
import { cacheKey, noCache, withLabel, type ResultCache } from "./cache.ts";
import { runPool } from "./pool.ts";
import type { Submission } from "./submissions.ts";
import { typecheckFiles } from "../typecheck.ts";
import { engineVersion, exerciseVersion } from "./versions.ts";
import { startGradeWorker, type GradeWorker } from "./workers.ts";

export interface GradeManyOptions {
  exercise: ExerciseDef;
  /** The exercise's file, for its version in the cache key, and for the workers to load (default: exercises/<slug>/exercise.ts). */
  exerciseFile?: string;
  /** Each with its own seeds when given (validate grades the reference on more seeds than the rest). */
  submissions: ReadonlyArray<Submission & { seeds?: number[] }>;
  /** Workers, each a thread with its own sandbox process. */
  jobs: number;
  seeds?: number[];
  scenario?: number | string;
  sandbox?: SandboxKind;
  typecheck?: boolean;
  cache?: ResultCache;
  /** Called as each submission is done (for a progress line). */
  onDone?: (done: number, total: number) => void;
}

export interface SubmissionResult {
  submission: Submission;
  results: Results;
  /** True when the submission was not graded again: its results came from the cache, or from an identical file of the batch. */
  cached: boolean;
  /** Wall time spent on this submission (0 for a cached one). */
  wallMs: number;
}

export async function gradeMany(options: GradeManyOptions): Promise<SubmissionResult[]> {
  const { exercise, submissions } = options;
  const cache = options.cache ?? noCache;
  const typecheck = options.typecheck ?? true;
  const kind = options.sandbox ?? "isolated-vm";
  const seeds = options.seeds ?? exerciseSeeds(exercise);
  const versions = { engine: engineVersion(), exercise: exerciseVersion(exercise, options.exerciseFile) };
  const jobs = submissions.map((submission) => {
    let source: string | undefined;
    let unreadable: string | undefined;
    try {
      source = readFileSync(submission.path, "utf8");
    } catch (error) {
      unreadable = `cannot read ${submission.label}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
    const own = submission.seeds ?? seeds;
    const key = source === undefined ? undefined : cacheKey({ source, ...versions, slug: exercise.slug, seeds: own, scenario: options.scenario, sandbox: kind, typecheck });
    return { submission, source, seeds: own, unreadable, key, hit: key === undefined ? undefined : cache.get(key) };
  });
  // As many workers as there are distinct files to grade, up to --jobs: a batch the cache answers starts none.
  const toGrade = new Set(jobs.filter((j) => !j.hit && j.key !== undefined).map((j) => j.key)).size;
  const workers = Math.max(1, Math.min(options.jobs, toGrade));
  const exerciseFile = options.exerciseFile ?? join(exercisesDir, exercise.slug, "exercise.ts");
  // The workers load the engine, and their sandbox processes build their bundles, while the batch is type-checked.
  // With a worker for every core, their sandbox processes compile on the threads that run the isolates.
  const sandbox = { mainThreadCompile: workers >= availableParallelism() };
  const pool: GradeWorker[] = toGrade === 0 ? [] : Array.from({ length: workers }, () => startGradeWorker(exerciseFile, kind, sandbox));
  try {
    const toCheck = typecheck ? jobs.filter((j) => j.source !== undefined && !j.hit).map((j) => j.submission) : [];
    const problems = await typecheckFiles(toCheck);

    let done = 0;
    const finish = (result: SubmissionResult): SubmissionResult => {
      options.onDone?.(++done, submissions.length);
      return result;
    };
    for (const job of jobs) if (job.hit) finish({ submission: job.submission, results: withLabel(job.hit, job.submission.label), cached: true, wallMs: 0 });

    // Identical files (a class that shares one answer) are graded once; the others wait for it.
    const inFlight = new Map<string, Promise<Results>>();
    const pending = jobs.filter((j) => !j.hit);
    const graded = await runPool(pending, workers, async (job, worker): Promise<SubmissionResult> => {
      const { submission } = job;
      const replay = gradeCommand(exercise.slug, submission.label);
      const started = performance.now();
      if (job.unreadable !== undefined) return finish({ submission, results: errorResults(exercise.slug, job.unreadable, replay), cached: false, wallMs: 0 });
      const typeProblems = problems.get(submission.path) ?? [];
      if (typeProblems.length) {
        const message = `type errors in ${submission.label}:\n${typeProblems.map((p) => `  ${p}`).join("\n")}`;
        return finish({ submission, results: errorResults(exercise.slug, message, replay), cached: false, wallMs: Math.round(performance.now() - started) });
      }
      const key = job.key!;
      let shared = inFlight.get(key);
      const first = !shared;
      if (!shared) {
        shared = pool[worker]!.grade({ slug: exercise.slug, source: job.source!, path: submission.path, seeds: job.seeds, scenario: options.scenario });
        inFlight.set(key, shared);
      }
      const results = await shared;
      if (first) cache.put(key, results);
      return finish({ submission, results: withLabel(results, submission.label), cached: !first, wallMs: Math.round(performance.now() - started) });
    });
    const byPath = new Map<string, SubmissionResult>();
    for (const result of graded) byPath.set(result.submission.path, result);
    for (const job of jobs) if (job.hit) byPath.set(job.submission.path, { submission: job.submission, results: withLabel(job.hit, job.submission.label), cached: true, wallMs: 0 });
    return submissions.map((s) => byPath.get(s.path)!);
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
}
