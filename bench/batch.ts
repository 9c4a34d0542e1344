// Batch grading's throughput: the same class of submissions graded by one worker and by N (default: the cores),
// each worker a sandbox process of its own, in one process, side by side. The submissions are distinct files
// (so none is graded once for several) and the cache is off; the type check is off too, since it runs once
// per batch whatever the workers and would only blur the figure for the runs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { exerciseSeeds } from "../graders/index.ts";
import { exercisesDir, loadExercise } from "../src/cli/exercises.ts";
import { gradeMany } from "../src/cli/batch/grade-many.ts";
import type { Submission } from "../src/cli/batch/submissions.ts";

export interface BatchFigures {
  exercise: string;
  submissions: number;
  runsPerSubmission: number;
  workers: number;
  oneWorkerMs: number;
  workersMs: number;
  /** oneWorkerMs / workersMs: ≥ 1.8 expected on two cores. */
  speedup: number;
  /** The machine's one-minute load average when the bench ended: a busy machine cannot show the speed-up. */
  loadAverage: number;
}

export interface BatchBenchOptions {
  slug?: string;
  submissions?: number;
  seeds?: number;
  workers?: number;
}

export async function benchBatch(print: (line: string) => void = console.log, options: BatchBenchOptions = {}): Promise<BatchFigures> {
  const slug = options.slug ?? "broadcast";
  const count = options.submissions ?? 8;
  const workers = options.workers ?? cpus().length;
  const exercise = (await loadExercise(slug))!;
  const seeds = exerciseSeeds(exercise, options.seeds ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "clusterlab-bench-batch-"));
  try {
    const reference = readFileSync(join(exercisesDir, slug, ".meta", "solution.ts"), "utf8");
    mkdirSync(dir, { recursive: true });
    const submissions: Submission[] = Array.from({ length: count }, (_, i) => {
      const path = join(dir, `student-${i + 1}.ts`);
      // A comment makes each file distinct, so each is graded.
      writeFileSync(path, `// student ${i + 1}\n${reference}`);
      return { path, label: `student-${i + 1}.ts` };
    });
    const time = async (jobs: number) => {
      const started = performance.now();
      const graded = await gradeMany({ exercise, submissions, jobs, seeds, typecheck: false });
      const bad = graded.find((g) => g.results.status !== "pass");
      if (bad) throw new Error(`bench submission ${bad.submission.label} did not pass: ${bad.results.message}`);
      return performance.now() - started;
    };
    await time(workers); // warm-up: bundles on disk, the parent's JIT
    const oneWorkerMs = await time(1);
    const workersMs = await time(workers);
    const runs = seeds.length * exercise.tasks.reduce((n, t) => n + t.scenarios.length, 0);
    const figures: BatchFigures = {
      exercise: slug,
      submissions: count,
      runsPerSubmission: runs,
      workers,
      oneWorkerMs: Math.round(oneWorkerMs),
      workersMs: Math.round(workersMs),
      speedup: Math.round((oneWorkerMs / workersMs) * 100) / 100,
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
    };
    print(`batch grading: ${count} ${slug} submissions × ${runs} runs`);
    print(`  1 worker   ${(oneWorkerMs / 1000).toFixed(2)} s   ${((count * 1000) / oneWorkerMs).toFixed(2)} submissions/s`);
    print(`  ${workers} workers  ${(workersMs / 1000).toFixed(2)} s   ${((count * 1000) / workersMs).toFixed(2)} submissions/s   ${figures.speedup}× (target ≥ 1.8× on 2 cores)`);
    print(`  load average ${figures.loadAverage} on ${cpus().length} cores${figures.loadAverage > cpus().length ? ": the machine is busy with other work, so the speed-up is understated" : ""}`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node --no-node-snapshot bench/batch.ts` runs it alone.
if (import.meta.main) await benchBatch();
