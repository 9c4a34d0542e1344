/**
 * The one-realm sandbox as the browser's grading Worker hosts it: the run's engine and nodes live in this
 * realm (one-realm.ts), and the host loop gives promise continuations a macrotask turn when the engine
 * yields. It cannot interrupt a synchronous infinite loop: whoever hosts the Worker (the page) enforces
 * the wall-time budget by killing it; the engine's `interrupt` hook stops a long run between events.
 *
 * createScopeSandbox() locks the current realm down (frozen intrinsics, no host globals): call it only in
 * a realm of its own, like the Worker, after capturing what the host needs (postMessage…). To run this
 * sandbox from Node, use createOneRealmIvmSandbox (sandbox/node/), which hosts it in an isolate.
 */
import { defaultSandboxLimits, type RunOutcome, type RunRequest, type Sandbox } from "../types.ts";
import { stoppedOutcome } from "../verdicts.ts";
import { wallNow } from "../../sim/wall-clock.ts";
import { driveRun } from "../host-loop.ts";
import { finishedOutcome } from "../run-data.ts";
import { createRealmRun, lockdownOneRealm } from "./one-realm.ts";

export { createRealmRun, lockdownOneRealm, type RealmRun } from "./one-realm.ts";

// Taken before the lockdown removes the host's globals.
const Channel = MessageChannel;

export function createScopeSandbox(): Sandbox {
  lockdownOneRealm();
  return { run: runInScope };
}

async function runInScope(request: RunRequest): Promise<RunOutcome> {
  const limits = { ...defaultSandboxLimits, ...request.limits };
  const started = wallNow();
  const elapsed = () => Math.round(wallNow() - started);
  const turns = macrotaskTurns();
  let current = "";
  try {
    const run = createRealmRun(request);
    run.engine.interrupt = () => elapsed() > limits.wallMs;
    const host = { ...run, current: () => (current = run.current() || current) };
    await driveRun(host, { realms: request.knobs.nodeIds, limits, elapsedMs: elapsed, turn: turns.next });
    return finishedOutcome(request, run.result(), elapsed());
  } catch (error) {
    return stoppedOutcome(error, limits, elapsed(), current);
  } finally {
    turns.close();
  }
}

/**
 * Waits one macrotask turn: by then every microtask (every promise continuation, however deeply chained)
 * has run, as when a call into an isolate returns. A MessageChannel turn, because nested timers are
 * clamped to 4 ms in browsers.
 */
function macrotaskTurns(): { next(): Promise<void>; close(): void } {
  const channel = new Channel();
  let wake: (() => void) | undefined;
  channel.port1.onmessage = () => wake?.();
  return {
    next: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}
