import { canonicalValue } from "../history/value.ts";
import { HistoryParseError, type Value } from "../history/types.ts";
import type { Txn } from "./types.ts";

/** Text that is equal for equal values (numbers, the common case, without the general writer). */
export function valueKey(value: Value): string {
  return typeof value === "number" ? String(value) : canonicalValue(value);
}

/** Who wrote one element (list-append) or value (rw-register) of a key. */
export interface WriteInfo {
  txn: Txn;
  /** The value as written. */
  value: Value;
  /** False when the same transaction wrote the key again after it: the version is intermediate. */
  final: boolean;
}

/**
 * Every write of every transaction, by key and then by value. The checker can tell which transaction a read
 * saw only if each value is written once per key (Maelstrom's generators guarantee it); a history that
 * writes one twice is refused, naming where.
 */
export function indexWrites(txns: readonly Txn[], f: "append" | "w"): Map<string, Map<string, WriteInfo>> {
  const byKey = new Map<string, Map<string, WriteInfo>>();
  for (const txn of txns) {
    const last = new Map<string, WriteInfo>();
    for (const op of txn.ops) {
      if (op.f !== f) continue;
      const key = valueKey(op.key);
      let writes = byKey.get(key);
      if (!writes) byKey.set(key, (writes = new Map()));
      const value = valueKey(op.value);
      const before = writes.get(value);
      if (before) {
        throw new HistoryParseError(
          txn.line ?? 0,
          `each value ${f === "append" ? "appended" : "written"} once per key (the checker tells versions apart by value)`,
          `${canonicalValue(op.value)} ${f === "append" ? "appended" : "written"} to key ${canonicalValue(op.key)} again (${before.txn.where} did too)`,
        );
      }
      const info: WriteInfo = { txn, value: op.value, final: true };
      const previous = last.get(key);
      if (previous) previous.final = false;
      last.set(key, info);
      writes.set(value, info);
    }
  }
  return byKey;
}
