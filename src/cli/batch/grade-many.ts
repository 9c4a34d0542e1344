/**
 * Grades many submissions of one exercise in one process: a pool of workers, each with a sandbox process of
 * its own (createProcessSandbox: an isolate per submission, kept across its runs by realm reuse, a fatal error a verdict), one submission at a time per
 * worker. Checks run here, in the parent, on the plain data each run sends back; the runs themselves, the bulk
 * of the work, run in the children side by side.
 */
import { readFileSync } from "node:fs";
import { errorResults, exerciseSeeds, graderFailedMessage, type ExerciseDef, type Results } from "../../../graders/index.ts";
import { createProcessSandbox, type ProcessSandbox, type SandboxKind } from "../../../graders/sandbox/node/index.ts";
import type { CliIo } from "../command.ts";
import type { ParsedArgs } from "../args.ts";
import { gradeSource } from "../commands/grade.ts";
import { cacheKey, noCache, SOLUTION_PLACEHOLDER, withLabel, type ResultCache } from "./cache.ts";
import { runPool } from "./pool.ts";
import type { Submission } from "./submissions.ts";
import { typecheckFiles } from "../typecheck.ts";
import { engineVersion, exerciseVersion } from "./versions.ts";

export interface GradeManyOptions {
  exercise: ExerciseDef;
  /** The exercise's file, for its version in the cache key. */
  exerciseFile?: string;
  /** Each with its own seeds when given (validate grades the reference on more seeds than the rest). */
  submissions: ReadonlyArray<Submission & { seeds?: number[] }>;
  /** Workers, each with its own sandbox process. */
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
  const workers = Math.max(1, Math.min(options.jobs, submissions.length));
  // The sandbox processes start (and build their bundles) while the files are read and type-checked.
  const sandboxes: ProcessSandbox[] = Array.from({ length: workers }, () => createProcessSandbox({ kind }));
  for (const sandbox of sandboxes) sandbox.warm();
  try {
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
      const replay = `npx clusterlab grade ${exercise.slug} ${submission.label}`;
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
        shared = gradeOne(exercise, job.source!, submission.path, sandboxes[worker]!, job.seeds, options.scenario);
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
    for (const sandbox of sandboxes) sandbox.dispose();
  }
}

/** One submission, under the placeholder name (cache.ts): its results, whatever happens. */
async function gradeOne(exercise: ExerciseDef, source: string, path: string, sandbox: ProcessSandbox, seeds: number[], scenario: number | string | undefined): Promise<Results> {
  const label = SOLUTION_PLACEHOLDER;
  const replay = `npx clusterlab grade ${exercise.slug} ${label}`;
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
