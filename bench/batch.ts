// Batch grading's throughput: the same class of submissions graded by one worker and by N (default: the cores),
// in one process, alternated (1, N, N, 1, …) so that a change in the machine's load falls on both. Each worker
// is a process that grades and judges whole submissions, with a sandbox process of its own. The submissions
// are distinct files (so none is graded once for several) and the cache is off; the type check is off too,
// since it runs once per batch whatever the workers and would only blur the figure for the runs.
//
// Beside the wall times, the CPU time of the whole process tree (this process, the workers, their sandbox
// processes, every thread) per batch, from /proc where there is one. It says two things the wall times alone
// hide. One worker is not one core: its sandbox process's V8 compiles and collects garbage on threads of its
// own, so a lone worker keeps more than one core busy (CPU / wall). And N workers cannot take less than their
// CPU time / the cores, so one worker's time × cores / N workers' CPU is the most speed-up this machine can
// show for this class, whatever the code does with its processes.
import module from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  /**
   * Each alternated batch: its workers, wall time, CPU time of the process tree and the mean number of other
   * runnable tasks on the machine during it (when /proc tells), and the load average after it.
   */
  batches: Array<{ workers: number; wallMs: number; cpuMs?: number; othersRunnable?: number; loadAfter: number }>;
  /** Mean wall time of the one-worker batches and of the N-worker ones. */
  oneWorkerMs: number;
  workersMs: number;
  /** oneWorkerMs / workersMs (issue 19 asks ≥ 1.8 on two cores; cpuBound says what the cores allow). */
  speedup: number;
  /** How many cores one worker keeps busy on average: its batches' CPU time / their wall time. */
  oneWorkerCores?: number;
  /** One worker's mean wall time × the cores / N workers' mean CPU time: the most speed-up the cores allow, given the CPU the batches took. */
  cpuBound?: number;
  /** The one-minute load average before the bench started (other work on the machine) and when it ended. */
  loadBefore: number;
  loadAverage: number;
}

export interface BatchBenchOptions {
  slug?: string;
  submissions?: number;
  seeds?: number;
  workers?: number;
  /** How many (one worker, N workers) pairs, alternated; default 2. */
  pairs?: number;
}

export async function benchBatch(print: (line: string) => void = console.log, options: BatchBenchOptions = {}): Promise<BatchFigures> {
  const loadBefore = round1(loadavg()[0]!);
  // As the CLI runs (bin/clusterlab.mjs): Node's compile cache on, for this process and the workers it forks.
  if (!process.env.NODE_DISABLE_COMPILE_CACHE) {
    process.env.NODE_COMPILE_CACHE ||= join(tmpdir(), "node-compile-cache");
    module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
  }
  const slug = options.slug ?? "broadcast";
  const count = options.submissions ?? 8;
  const workers = options.workers ?? cpus().length;
  const pairs = options.pairs ?? 2;
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
    const batch = async (jobs: number) => {
      const meter = treeCpuMeter();
      const started = performance.now();
      const graded = await gradeMany({ exercise, submissions, jobs, seeds, typecheck: false });
      const wallMs = performance.now() - started;
      const measured = meter?.stop();
      const bad = graded.find((g) => g.results.status !== "pass");
      if (bad) throw new Error(`bench submission ${bad.submission.label} did not pass: ${bad.results.message}`);
      return {
        workers: jobs,
        wallMs: Math.round(wallMs),
        ...(measured ? { cpuMs: Math.round(measured.cpuMs) } : {}),
        ...(measured?.othersRunnable === undefined ? {} : { othersRunnable: round1(measured.othersRunnable) }),
        loadAfter: round1(loadavg()[0]!),
      };
    };
    await batch(workers); // warm-up: bundles and compile cache on disk, this process's JIT
    const batches: BatchFigures["batches"] = [];
    // 1, N, N, 1, 1, N, …: each kind runs as often early as late.
    for (let i = 0; i < pairs; i++) for (const jobs of i % 2 === 0 ? [1, workers] : [workers, 1]) batches.push(await batch(jobs));
    const mean = (jobs: number, pick: (b: BatchFigures["batches"][number]) => number | undefined) => {
      const values = batches.filter((b) => b.workers === jobs).map(pick);
      return values.some((v) => v === undefined) ? undefined : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    };
    const oneWorkerMs = mean(1, (b) => b.wallMs)!;
    const workersMs = mean(workers, (b) => b.wallMs)!;
    const oneCpu = mean(1, (b) => b.cpuMs);
    const manyCpu = mean(workers, (b) => b.cpuMs);
    const runs = seeds.length * exercise.tasks.reduce((n, t) => n + t.scenarios.length, 0);
    const figures: BatchFigures = {
      exercise: slug,
      submissions: count,
      runsPerSubmission: runs,
      workers,
      batches,
      oneWorkerMs: Math.round(oneWorkerMs),
      workersMs: Math.round(workersMs),
      speedup: round2(oneWorkerMs / workersMs),
      ...(oneCpu !== undefined && manyCpu !== undefined ? { oneWorkerCores: round2(oneCpu / oneWorkerMs), cpuBound: round2((oneWorkerMs * cpus().length) / manyCpu) } : {}),
      loadBefore,
      loadAverage: round1(loadavg()[0]!),
    };
    print(`batch grading: ${count} ${slug} submissions × ${runs} runs, alternated ${batches.map((b) => b.workers).join(", ")} workers`);
    for (const b of batches) {
      const cpu = b.cpuMs === undefined ? "" : `  cpu ${(b.cpuMs / 1000).toFixed(2)} s`;
      const others = b.othersRunnable === undefined ? "" : `  other runnable tasks ${b.othersRunnable}`;
      print(`  ${String(b.workers).padStart(2)} worker${b.workers === 1 ? " " : "s"}  ${(b.wallMs / 1000).toFixed(2)} s${cpu}${others}  load ${b.loadAfter}`);
    }
    print(`  mean: 1 worker ${(oneWorkerMs / 1000).toFixed(2)} s (${((count * 1000) / oneWorkerMs).toFixed(2)} submissions/s), ${workers} workers ${(workersMs / 1000).toFixed(2)} s (${((count * 1000) / workersMs).toFixed(2)} submissions/s): ${figures.speedup}× (target ≥ 1.8× on 2 cores)`);
    if (figures.cpuBound !== undefined) {
      print(`  cpu per batch: 1 worker ${(oneCpu! / 1000).toFixed(2)} s (${figures.oneWorkerCores} cores busy on average), ${workers} workers ${(manyCpu! / 1000).toFixed(2)} s: on ${cpus().length} cores ${workers} workers cannot take less than ${(manyCpu! / cpus().length / 1000).toFixed(2)} s, at most ${figures.cpuBound}× the one-worker time`);
    }
    const busy = figures.loadBefore > 0.5 || batches.some((b) => (b.othersRunnable ?? 0) > 0.25);
    print(`  load average ${figures.loadBefore} before, ${figures.loadAverage} after, on ${cpus().length} cores${busy ? ": other work shares the cores, so the speed-up is understated" : ""}`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Clock ticks per second of /proc's CPU times: 100 on Linux. */
const ticksPerSecond = 100;
/** How often the descendants are sampled: a process's last slice before it exits is lost, so often enough that this is small. */
const sampleMs = 25;
/** The machine's other runnable tasks are counted every this many samples (it reads every thread's state: dearer). */
const loadEvery = 10;

/**
 * The CPU time this process and all its descendants spend from now to stop(), and how many of the machine's
 * runnable tasks were not theirs on average (other work competing for the cores, as it happened, where the
 * load average lags by a minute), from /proc: descendants are
 * found through each task's children list and sampled while they live (a worker's sandbox process is not
 * this process's child, so it never shows in its own rusage). Undefined where there is no /proc.
 */
function treeCpuMeter(): { stop(): { cpuMs: number; othersRunnable?: number } } | undefined {
  const self = `/proc/${process.pid}/task/${process.pid}/children`;
  if (!existsSync(self)) return undefined;
  const selfCpu0 = process.cpuUsage();
  const last = new Map<number, number>();
  /** What the processes alive at the start had spent already (a long-lived child, such as esbuild's service). */
  const before = new Map<number, number>();
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined; // it exited between two reads
    }
  };
  const sample = () => {
    const queue = [process.pid];
    while (queue.length) {
      const pid = queue.shift()!;
      for (const tid of (read(`/proc/${pid}/task/${pid}/children`) ?? "").split(" ").filter(Boolean).map(Number)) {
        const stat = read(`/proc/${tid}/stat`);
        if (stat === undefined) continue;
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // utime and stime, fields 14 and 15 of stat (11 and 12 after the name).
        last.set(tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond);
        queue.push(tid);
      }
    }
  };
  /** Runnable tasks of the whole machine that are not this tree's threads, summed over the load samples. */
  let others = 0;
  let loadSamples = 0;
  const sampleLoad = () => {
    const running = Number(/^procs_running (\d+)$/m.exec(read("/proc/stat") ?? "")?.[1] ?? NaN);
    if (!Number.isFinite(running)) return;
    let mine = 0;
    for (const pid of [process.pid, ...last.keys()]) {
      let tasks: string[] = [];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const tid of tasks) if (/^\S+ \(.*\) R /.test(read(`/proc/${pid}/task/${tid}/stat`) ?? "")) mine++;
    }
    others += Math.max(0, running - mine);
    loadSamples++;
  };
  sample();
  for (const [pid, ms] of last) before.set(pid, ms);
  let ticks = 0;
  const timer = setInterval(() => {
    sample();
    if (ticks++ % loadEvery === 0) sampleLoad();
  }, sampleMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const own = process.cpuUsage(selfCpu0);
      let children = 0;
      for (const [pid, ms] of last) children += ms - (before.get(pid) ?? 0);
      return { cpuMs: (own.user + own.system) / 1000 + children, othersRunnable: loadSamples ? others / loadSamples : undefined };
    },
  };
}

// `node --no-node-snapshot bench/batch.ts` runs it alone.
if (import.meta.main) await benchBatch();
