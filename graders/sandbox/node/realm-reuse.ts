/**
 * Realm reuse, the one switch and the rules both isolate sandboxes (isolated-vm.ts, one-realm-ivm.ts)
 * follow. A grade runs one solution many times (tasks × scenarios × seeds); making an isolate, a realm per
 * node, running each runtime bundle and locking each realm down every time costs more than many runs
 * themselves, and V8 starts cold in every new realm. With reuse, consecutive runs with the same key keep
 * the isolate and its realms; what a run may not inherit is made afresh at every boot (the runtime, the
 * solution's module state) and everything else learner code can reach is frozen. A run that ends in an
 * error of any kind (a budget, a crash, a top level that threw) disposes of the isolate: the next run
 * starts as if reuse were off.
 */
import type ivm from "isolated-vm";
import type { RunOutcome, RunRequest, Sandbox, SandboxLimits } from "../types.ts";

/**
 * On: every reference's history hash is the same as with fresh realms, in both sandboxes (seeds 1–2 of
 * every exercise, checked when reuse came in), and no state carries from one run to the next through any
 * channel tests/fixtures/reuse/carry-over.ts tries (tests/graders/realm-reuse.test.ts).
 *
 * What a kept isolate does let through is V8's own warm-up, which no JavaScript object holds: code that
 * an earlier run made hot runs in fewer, smaller stack frames, so the depth at which a recursion overflows
 * differs (about 9,450 frames cold, 13,650 warm for a one-line recursion). That depth is no constant with
 * fresh realms either (it moves when V8's background compiler finishes, 9,450 to 17,550 between fresh
 * runs), so no history may depend on it; a solution could still read it to learn whether an earlier run
 * of its grade ran some code a lot. Turn reuse off where that matters more than speed.
 */
export const realmReuseDefault = true;

export interface SandboxOptions {
  /** Keep the isolate and its realms between consecutive runs of one solution (default: realmReuseDefault). */
  reuseRealms?: boolean;
}

/** What a sandbox made and booted since it was created: for tests and the bench. */
export interface ReuseStats {
  /** Isolates created. */
  isolates: number;
  /** Learner realms created (the one-realm sandbox: 0, its nodes share the isolate's one realm). */
  realms: number;
  /** Learner realm boots (a node's start or restart). */
  boots: number;
}

export interface ReusingSandbox extends Sandbox {
  stats(): ReuseStats;
  /** Disposes of a kept isolate now (a later run makes a new one). */
  dispose(): void;
}

/**
 * Runs that may share an isolate: one solution (its realms compiled it), one harness (its realms run that
 * harness's runtime) and one memory limit (the isolate's own). The scenario, knobs and wall budget are per run.
 */
export function reuseKey(request: RunRequest, limits: SandboxLimits): string {
  return `${request.harness ?? "node"}\u0000${limits.memoryMb}\u0000${request.solutionJs}`;
}

/**
 * Whether an isolate may serve the next run: only after a run that produced data, in an isolate that is
 * still alive and whose heap in use is under half its limit (the next run must not start near the limit
 * that a fresh isolate would start far from).
 */
export function keepsIsolate(outcome: Pick<RunOutcome, "kind">, isolate: ivm.Isolate, limits: SandboxLimits): boolean {
  if (outcome.kind !== "data" || isolate.isDisposed) return false;
  try {
    return isolate.getHeapStatisticsSync().used_heap_size < (limits.memoryMb * 1024 ** 2) / 2;
  } catch {
    return false;
  }
}
