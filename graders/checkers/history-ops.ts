import type { HistoryOp } from "../sim/history.ts";

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
 * Pairs each invoke with the next completion of the same process. The result is shared between the
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
  const open = new Map<string, PairedOp>();
  const ops: PairedOp[] = [];
  for (const entry of history) {
    if (entry.type === "invoke") {
      const op: PairedOp = {
        process: entry.process,
        f: entry.f,
        node: entry.node,
        input: entry.value,
        output: undefined,
        type: "pending",
        invokeMs: entry.timeMs,
        returnMs: Infinity,
      };
      open.set(entry.process, op);
      ops.push(op);
    } else {
      const op = open.get(entry.process);
      if (!op) continue;
      open.delete(entry.process);
      op.type = entry.type;
      op.output = entry.value;
      op.returnMs = entry.timeMs;
      if (entry.code !== undefined) op.code = entry.code;
    }
  }
  return ops;
}
