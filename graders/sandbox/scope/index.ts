/**
 * The one-realm sandbox as the browser's grading Worker hosts it: the run's engine and nodes live in this
 * realm (one-realm.ts), and the host loop gives promise continuations a macrotask turn when the engine
 * yields. It cannot interrupt a synchronous infinite loop: whoever hosts the Worker (the page) enforces
 * the wall-time budget by killing it; the engine's `interrupt` hook stops a long run between events.
 *
 * createScopeSandbox() locks the current realm down (frozen intrinsics, no host globals): call it only in
 * a realm of its own, like the Worker, after capturing what the host needs (postMessage…). To run this
 * sandbox from Node, use createOneRealmIvmSandbox (sandbox/node/), which hosts it in an isolate.
 *
 * A promise the learner's code rejects and leaves unhandled ends the run as the learner's error, as in both
 * Node sandboxes (isolated-vm raises it when the call into the isolate that left it returns): the host hears
 * of it (the Worker's `unhandledrejection` listener) and hands the reasons over (`unhandledRejections`).
 */
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox } from "../types.ts";
import { RunStopped, stoppedOutcome, unhandledRejectionMessage } from "../verdicts.ts";
import { describeError, solutionLocationOf } from "../../runtime/describe.ts";
import { wallNow } from "../../sim/wall-clock.ts";
import { driveRun } from "../host-loop.ts";
import { finishedOutcome } from "../run-data.ts";
import { createRealmRun, lockdownOneRealm } from "./one-realm.ts";

export { createRealmRun, lockdownOneRealm, type RealmRun } from "./one-realm.ts";

// Taken before the lockdown removes the host's globals.
const Channel = MessageChannel;

export interface ScopeHost {
  /**
   * The reasons of the promises left rejected with no handler since the last call, oldest first (the
   * host's `unhandledrejection` listener keeps them, and prevents the default report).
   */
  unhandledRejections?: () => unknown[];
}

export function createScopeSandbox(host: ScopeHost = {}): Sandbox {
  lockdownOneRealm();
  const taken = host.unhandledRejections ?? (() => []);
  return { run: (request) => runInScope(request, taken) };
}

/**
 * Most runs leave no promise rejected, and their boots go back to back. A run that leaves one goes again,
 * with a pause after each boot for the top level's continuations (as an isolate call's end runs them), so
 * its verdict names the node whose top level left it, in the isolate's words. (Pausing every run's boots
 * would cost two turns per node: 2–5% of a broadcast Submit.)
 */
async function runInScope(request: RunRequest, unhandledRejections: () => unknown[]): Promise<RunOutcome> {
  return (await attempt(request, unhandledRejections, false)) ?? (await attempt(request, unhandledRejections, true))!;
}

/** One go at a run; undefined when a quick one (`careful` false) heard of a promise left rejected. */
async function attempt(request: RunRequest, unhandledRejections: () => unknown[], careful: boolean): Promise<RunOutcome | undefined> {
  const limits = { ...defaultSandboxLimits, ...request.limits };
  const started = wallNow();
  const elapsed = () => Math.round(wallNow() - started);
  const turns = macrotaskTurns();
  let current = "";
  let rejected = false;
  let finished = false;
  /** Ends the run if a promise was left rejected: `topLevelOf` names the realm whose top level just ran. */
  const heard = (topLevelOf?: string) => {
    const reasons = unhandledRejections();
    if (reasons.length === 0) return;
    if (!careful) {
      rejected = true;
      throw new RunStopped("a promise was left rejected: run again with a pause after each boot");
    }
    const reason = reasons[0];
    // As isolate-run.ts: at a top level it is always the learner's; in a step only when the reason was
    // raised on the solution's own lines (an engine or host error keeps its own words).
    if (topLevelOf || solutionLocationOf(reason)) throw new RunStopped(unhandledRejectionMessage(describeError(reason), topLevelOf));
    throw reason;
  };
  try {
    const run = createRealmRun(request);
    run.engine.interrupt = () => elapsed() > limits.wallMs;
    const host = { ...run, current: () => (current = run.current() || current) };
    await driveRun(host, {
      realms: request.knobs.nodeIds,
      limits,
      elapsedMs: elapsed,
      turn: async () => {
        await turns.next();
        heard();
      },
      ...(careful
        ? {
            afterBoot: async (realm: string) => {
              await turns.settle();
              heard(realm);
            },
          }
        : {}),
    });
    await turns.settle();
    heard();
    finished = true;
    return finishedOutcome(request, run.result(), elapsed());
  } catch (error) {
    return rejected ? undefined : stoppedOutcome(error, limits, elapsed(), current);
  } finally {
    // What a run stopped before its end left behind is heard late: it is not the next run's (or attempt's).
    if (!finished) {
      await turns.settle();
      unhandledRejections();
    }
    turns.close();
  }
}

/**
 * Waits one macrotask turn: by then every microtask (every promise continuation, however deeply chained)
 * has run, as when a call into an isolate returns. A MessageChannel turn, because nested timers are
 * clamped to 4 ms in browsers.
 */
function macrotaskTurns(): { next(): Promise<void>; settle(): Promise<void>; close(): void } {
  const channel = new Channel();
  let wake: (() => void) | undefined;
  channel.port1.onmessage = () => wake?.();
  const next = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      channel.port2.postMessage(0);
    });
  return {
    next,
    // Chromium reports the promises a task left rejected in a task of its own, queued after the turn that
    // the same task posted: two turns, and what the boot or the last step left has been heard.
    settle: async () => {
      await next();
      await next();
    },
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
