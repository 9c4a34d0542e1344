import { formatMs } from "../../report/format.ts";
import { ExactNumber } from "../history/number.ts";
import { HistoryParseError, type Value } from "../history/types.ts";
import { displayValue } from "../history/value.ts";
import type { MicroOp, Txn, TxnShape } from "./types.ts";

/**
 * The fields of a paired operation the checker reads (sim/history.ts's Operation, from a run or a file):
 * Maelstrom's `f: "txn"` with `value` the micro-operations asked for and `output` them with what was read.
 */
export interface TxnOperationLike {
  process: number | string;
  f: string;
  value: unknown;
  output: unknown;
  status: "ok" | "fail" | "info";
  invokeMs: number;
  returnMs: number;
  line?: number;
  node?: string;
}

const MICRO_OPS: Record<TxnShape, readonly string[]> = { "list-append": ["append", "r"], "rw-register": ["w", "r"] };

/**
 * Transactions from paired operations. A committed transaction is read from its completion (the reads
 * filled in); a failed or unknown one from its invoke. Anything that is not a transaction of the shape is
 * refused with its line: a checker that skipped what it cannot read would pass histories it never saw.
 */
export function readTransactions(ops: readonly TxnOperationLike[], shape: TxnShape): Txn[] {
  return ops.map((op, id) => {
    const line = op.line ?? 0;
    if (op.f !== "txn") throw new HistoryParseError(line, 'f "txn" (a transaction)', displayValue(op.f));
    const source = op.status === "ok" ? op.output : op.value;
    const txn: Txn = {
      id,
      process: op.process,
      status: op.status,
      ops: microOps(source, shape, line, op.status === "ok"),
      invokeMs: op.invokeMs,
      returnMs: op.returnMs,
      where: line > 0 ? `line ${line}` : `${String(op.process)}${op.node ? `→${op.node}` : ""} at ${formatMs(op.invokeMs)}`,
    };
    if (line > 0) txn.line = line;
    return txn;
  });
}

function microOps(value: unknown, shape: TxnShape, line: number, committed: boolean): MicroOp[] {
  const allowed = MICRO_OPS[shape];
  const expected = `a transaction: a list of [${allowed.join("|")}, key, value] (${shape})`;
  if (!Array.isArray(value)) throw new HistoryParseError(line, expected, displayValue(value));
  return value.map((item: unknown) => {
    if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== "string" || !allowed.includes(item[0])) throw new HistoryParseError(line, expected, displayValue(item));
    const [f, key, v] = item as [MicroOp["f"], Value, Value];
    if (typeof key !== "number" && typeof key !== "string" && !(key instanceof ExactNumber)) throw new HistoryParseError(line, "a key (number or string)", displayValue(key));
    // A committed list-append read returns a list, or nil for a key nobody appended to.
    if (committed && shape === "list-append" && f === "r" && v !== null && !Array.isArray(v)) throw new HistoryParseError(line, "a read's list (or nil)", displayValue(v));
    return { f, key, value: v === undefined ? null : v };
  });
}
