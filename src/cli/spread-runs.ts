/**
 * One file's runs spread over sandbox processes: the grade's own process alone while the grade is short,
 * and more (one per core by default) once it has gone on for spillAfterMs (graders/sandbox/spill-pool.ts).
 * A process costs about a quarter of a second to start and a share of the CPU while it does, more than a
 * grade of a second or less gains from it (`grade echo` takes a third of a second in all); a design prompt's
 * grade takes many seconds and gains nearly a core per process. The results and hashes are the first
 * process's alone (tested).
 */
import { availableParallelism, loadavg } from "node:os";
import { createSpillPool, type Sandbox } from "../../graders/index.ts";
import { createProcessSandbox, type ProcessSandbox, type SandboxKind } from "../../graders/sandbox/node/index.ts";

/** How long one file's grade runs in its first sandbox process alone before others start, in ms. */
export const spillAfterMs = 750;

/**
 * Sandbox processes for one file's runs when --jobs does not say: the cores that other work leaves free (by
 * the 1-minute load average, 0 where the system gives none), at most four. On a machine whose cores are busy
 * a second process only splits the same share of the CPU, and its cold start made long grades 1.25× slower
 * (failure-detector 10.8 → 13.6 s at load 3-6 on 2 cores).
 */
export function defaultProcesses(cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  return Math.max(1, Math.min(4, cores, Math.round(cores - load)));
}

export interface SpreadRuns {
  sandbox: Sandbox;
  /** How many sandbox processes took runs so far: the first, and those started when the grade spilled. */
  processes(): number;
  /** Kills the processes started for this grade (the first is its caller's). */
  dispose(): void;
}

export function spreadRuns(first: ProcessSandbox, processes: number, kind: SandboxKind): SpreadRuns {
  if (processes <= 1) return { sandbox: first, processes: () => 1, dispose: () => undefined };
  const started: ProcessSandbox[] = [];
  const sandbox = createSpillPool(first, {
    spillAfterMs,
    now: () => performance.now(),
    others: processes - 1,
    othersConcurrency: first.concurrency ?? 1,
    other: () => {
      const more = createProcessSandbox({ kind });
      more.warm();
      started.push(more);
      return more;
    },
  });
  return { sandbox, processes: () => 1 + started.length, dispose: () => started.forEach((more) => more.dispose()) };
}
