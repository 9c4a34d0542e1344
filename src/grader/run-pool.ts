/**
 * Runs of a long grade spread over the frame's Workers (graders/sandbox/spill-pool.ts: a grade runs in the
 * grading Worker alone until it has gone on for spillAfterMs). Each Worker is a realm of its own, locked
 * down as the grading Worker is (worker.ts), so a run is as isolated in a runner as in the grading Worker
 * itself. The grading Worker judges the runs in order (grade() takes `concurrency` runs at once and still
 * reports them one by one), so the results, hashes and progress are the same as with one Worker, only sooner.
 *
 * Only plain data crosses a port: the run's request in, its RunOutcome out.
 */
import { createSpillPool, type RunOutcome, type RunRequest, type Sandbox } from "../../graders/index.ts";

/** Grading Worker → runner, and back. */
export type ToRunner = { id: number; request: RunRequest };
export type FromRunner = { id: number; outcome: RunOutcome };

/** A runner: answers each request on `port` with the outcome of running it in `sandbox`, one at a time. */
export function serveRuns(port: MessagePort, sandbox: Sandbox): void {
  let queue: Promise<unknown> = Promise.resolve();
  port.onmessage = (event: MessageEvent<ToRunner>) => {
    const { id, request } = event.data;
    queue = queue.then(async () => {
      let outcome: RunOutcome;
      try {
        outcome = await sandbox.run(request);
      } catch (error) {
        outcome = { kind: "error", message: `the sandbox stopped: ${String((error as Error)?.message ?? error)}`, wallMs: 0 };
      }
      port.postMessage({ id, outcome } satisfies FromRunner);
    });
  };
}

/**
 * Runs a runner holds at once: one running and one queued behind it. The grading Worker's own run holds its
 * thread, so a runner's answer waits until that run ends before the grade can hand the runner its next
 * run; with one queued, the runner goes on meanwhile.
 */
const runnerDepth = 2;

/** A runner as a sandbox: each run posted on its port, answered by serveRuns on the other end. */
function remoteSandbox(port: MessagePort): Sandbox {
  let nextId = 1;
  const waiting = new Map<number, (outcome: RunOutcome) => void>();
  port.onmessage = (event: MessageEvent<FromRunner>) => {
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    resolve?.(event.data.outcome);
  };
  return {
    concurrency: runnerDepth,
    run: (request) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        port.postMessage({ id, request } satisfies ToRunner);
      }),
  };
}

export interface RunPoolOptions {
  /**
   * How long a grade runs in the grading Worker alone before the runners join, in ms (default
   * spillAfterMs). A runner is a realm of its own whose JIT warms up on its share of the runs, which cost
   * Submits under a second more than the second core gave them when every grade was spread
   * (bench/browser-submit.ts: 0.6–0.9×).
   */
  spillAfterMs?: number;
  /** The real clock (taken before the lockdown, which makes the realm's own clocks virtual). */
  now: () => number;
}

/** The default spillAfterMs: about a third of a second of runs in the grading Worker alone. */
export const spillAfterMs = 300;

/** This realm's sandbox and the runners behind `ports`, as one: a long grade spills over to the runners. */
export function createRunPool(local: Sandbox, ports: readonly MessagePort[], options: RunPoolOptions): Sandbox {
  const runners = ports.map(remoteSandbox);
  return createSpillPool(local, {
    spillAfterMs: options.spillAfterMs ?? spillAfterMs,
    now: options.now,
    others: runners.length,
    other: (index) => runners[index]!,
    othersConcurrency: runnerDepth,
  });
}
