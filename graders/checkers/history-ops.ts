import { pairHistory, type ClientEvent, type ClientOperation } from "../sim/history.ts";

/** Pairings already made: every check of a run asks for the same history's pairs. */
const pairedByHistory = new WeakMap<readonly ClientEvent[], readonly ClientOperation[]>();

/**
 * A run's operations, paired by sim/history.ts's one rule. The result is shared between the callers that
 * ask about the same history array, so it is read-only.
 */
export function completedOps(history: readonly ClientEvent[]): readonly ClientOperation[] {
  const known = pairedByHistory.get(history);
  if (known) return known;
  // Each operation copies its invoke's process and node, which a client event always has.
  const paired = pairHistory(history) as ClientOperation[];
  pairedByHistory.set(history, paired);
  return paired;
}

/**
 * Whether the operation certainly did not happen: it failed with a definite error (or a bare `fail`, which
 * in a Jepsen history is definite by itself). Pairing already turned a `fail` with an indefinite code into
 * `info`, so this is the one place a checker asks.
 */
export function definitelyFailed(op: ClientOperation): boolean {
  return op.status === "fail";
}
