/**
 * What both isolated-vm sandboxes (isolated-vm.ts: a realm per node; one-realm-ivm.ts: the browser's one
 * realm) do the same around a run: its wall clock, and the verdict when an isolate call runs out of it.
 */
import type { SandboxLimits } from "../types.ts";
import { driveRun, type HostLoopOptions, type RunHost } from "../host-loop.ts";
import { RunStopped, isIsolateMemoryError, isIsolateTimeout, unhandledRejectionMessage, wallBudgetMessage } from "../verdicts.ts";
import { describeError, solutionLocationOf } from "../../runtime/describe.ts";

/** A run's wall clock: ms since it started, and the budget left for the next isolate call. */
export function wallClock(limits: SandboxLimits, current: () => string): { elapsed(): number; remaining(): number } {
  const started = performance.now();
  return {
    elapsed: () => Math.round(performance.now() - started),
    remaining() {
      const left = Math.floor(started + limits.wallMs - performance.now());
      if (left <= 0) throw new RunStopped(wallBudgetMessage(limits, current() || undefined), "wall");
      return left;
    },
  };
}

/** Runs a realm's top level (loading the solution): a timeout there is the wall budget spent in it. */
export function topLevelOf<T>(limits: SandboxLimits, realm: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isIsolateTimeout(error)) throw new RunStopped(wallBudgetMessage(limits, realm, "top level"), "wall");
    if (error instanceof RunStopped || isIsolateMemoryError(error)) throw error;
    // The realm's loader catches whatever the top level throws and answers with it, so what escapes the call
    // is what isolated-vm throws after it: the reason of a promise the top level rejected and left unhandled.
    throw new RunStopped(unhandledRejectionMessage(describeError(error), realm));
  }
}

/** The host loop in an isolate: an isolate call that timed out names the node that was running. */
export async function driveIsolate(host: RunHost, options: HostLoopOptions): Promise<void> {
  try {
    await driveRun(host, options);
  } catch (error) {
    if (isIsolateTimeout(error)) throw new RunStopped(wallBudgetMessage(options.limits, host.current() || undefined), "wall");
    // The runtime catches what handlers and timers throw, so what escapes an engine call from the solution's
    // own lines is isolated-vm's unhandled rejection; anything else (the engine's, the host's) stays ours.
    if (!(error instanceof RunStopped) && !isIsolateMemoryError(error) && solutionLocationOf(error)) {
      throw new RunStopped(unhandledRejectionMessage(describeError(error)));
    }
    throw error;
  }
}
