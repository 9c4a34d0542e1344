import type { HistoryOp } from "../sim/history.ts";
import { completionType, pairByProcess } from "./history/pair.ts";

/** An operation with its invoke and completion paired (Jepsen histories record them as two entries). */
export interface PairedOp {
  process: string;
  f: string;
  node: string;
  input: unknown;
  output: unknown;
  /** "ok", "fail", "info", or "pending" when the run ended before it completed. */
  type: "ok" | "fail" | "info" | "pending";
  invokeMs: number;
  returnMs: number;
  code?: number;
}

/** Pairings already made: every check of a run asks for the same history's pairs. */
const pairedByHistory = new WeakMap<readonly HistoryOp[], readonly PairedOp[]>();

/**
 * Pairs each invoke with the next completion of the same process (history/pair.ts). The result is shared between the
 * callers that ask about the same history array, so it is read-only.
 */
export function completedOps(history: readonly HistoryOp[]): readonly PairedOp[] {
  const known = pairedByHistory.get(history);
  if (known) return known;
  const paired = pairOps(history);
  pairedByHistory.set(history, paired);
  return paired;
}

function pairOps(history: readonly HistoryOp[]): PairedOp[] {
  return pairByProcess(history).map(({ invoke, completion }) => {
    const op: PairedOp = {
      process: invoke.process,
      f: invoke.f,
      node: invoke.node,
      input: invoke.value,
      output: undefined,
      type: "pending",
      invokeMs: invoke.timeMs,
      returnMs: Infinity,
    };
    if (completion) {
      op.type = completionType(completion.type, completion.code) as PairedOp["type"];
      op.output = completion.value;
      op.returnMs = completion.timeMs;
      if (completion.code !== undefined) op.code = completion.code;
    }
    return op;
  });
}

/**
 * Whether the operation certainly did not happen: it failed with a definite error (or a bare `fail`, which
 * in a Jepsen history is definite by itself). Pairing already turned a `fail` with an indefinite code into
 * `info`, so this is the one place a checker asks.
 */
export function definitelyFailed(op: PairedOp): boolean {
  return op.type === "fail";
}
