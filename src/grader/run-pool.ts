/**
 * Runs of one grade spread over the frame's Workers. Each Worker is a realm of its own, locked down as the
 * grading Worker is (worker.ts), so a run is as isolated in a runner as in the grading Worker itself. The
 * grading Worker judges the runs in order (grade() takes `concurrency` runs at once and still reports them
 * one by one), so the results, hashes and progress are the same as with one Worker, only sooner.
 *
 * Only plain data crosses a port: the run's request in, its RunOutcome out.
 */
import type { RunOutcome, RunRequest, Sandbox } from "../../graders/index.ts";

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

interface Slot {
  run(request: RunRequest): Promise<RunOutcome>;
  busy: boolean;
}

function remoteSlot(port: MessagePort): Slot {
  let nextId = 1;
  const waiting = new Map<number, (outcome: RunOutcome) => void>();
  port.onmessage = (event: MessageEvent<FromRunner>) => {
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    resolve?.(event.data.outcome);
  };
  return {
    busy: false,
    run: (request) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        port.postMessage({ id, request } satisfies ToRunner);
      }),
  };
}

/**
 * A sandbox over this realm's own sandbox and the runners behind `ports`: each run goes to a free one (the
 * next free one when all are busy), so `concurrency` runs go at once.
 */
export function createRunPool(local: Sandbox, ports: readonly MessagePort[]): Sandbox {
  const slots: Slot[] = [{ run: (request) => local.run(request), busy: false }, ...ports.map(remoteSlot)];
  const waiting: Array<(slot: Slot) => void> = [];
  /** A free slot, marked busy at once (no other run can take it between the lookup and the run). */
  const acquire = (): Promise<Slot> => {
    const slot = slots.find((s) => !s.busy);
    if (!slot) return new Promise((resolve) => waiting.push(resolve));
    slot.busy = true;
    return Promise.resolve(slot);
  };
  const release = (slot: Slot) => {
    const next = waiting.shift();
    if (next) next(slot); // handed on still busy
    else slot.busy = false;
  };
  return {
    concurrency: slots.length,
    async run(request) {
      const slot = await acquire();
      try {
        return await slot.run(request);
      } finally {
        release(slot);
      }
    },
  };
}
