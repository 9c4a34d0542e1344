import type { Value } from "../history/types.ts";
import { DependencyGraph } from "./graph.ts";
import type { Inference } from "./infer.ts";
import type { ReadAnomaly, Txn } from "./types.ts";
import { indexWrites, valueKey, type WriteInfo } from "./writes.ts";

const INITIAL = "\u0000initial";

/**
 * Dependencies of a read-write register history. A register's read shows one version, not its past, so the
 * version order is known only in part, from two facts every store we grade keeps (Elle's assumptions):
 * the initial (null) version precedes every write, and a transaction that read a key and then wrote it
 * installs a version after the one it read. Then:
 * - wr: a transaction's first read of a key depends on the writer of the value read;
 * - ww: the writer of a version read precedes the transaction that read it and then wrote the key;
 * - rw: every other reader of that version anti-depends on it; readers of the initial version
 *   anti-depend on every writer of the key.
 * Order the history does not show gives no dependency, so some cycles go unseen; none is invented.
 */
export function inferRwRegister(txns: readonly Txn[]): Inference {
  const writes = indexWrites(txns, "w");
  const anomalies: ReadAnomaly[] = [];
  // External reads by key and then by version read (INITIAL for null).
  const readers = new Map<string, Map<string, Array<{ txn: Txn; key: Value; value: Value }>>>();
  // Transactions that read a key and then wrote it: the version they read, by key.
  const readThenWrote: Array<{ txn: Txn; key: string; keyValue: Value; version: string; value: Value }> = [];

  for (const txn of txns) {
    if (txn.status !== "ok") continue;
    const state = new Map<string, { read?: string; readValue?: Value; wrote?: string; external?: string; externalValue?: Value }>();
    for (const op of txn.ops) {
      const key = valueKey(op.key);
      let s = state.get(key);
      if (!s) state.set(key, (s = {}));
      if (op.f === "w") {
        s.wrote = valueKey(op.value);
        continue;
      }
      const version = op.value === null ? INITIAL : valueKey(op.value);
      if (s.wrote !== undefined) {
        // After its own write a transaction reads that write, at every level.
        if (version !== s.wrote) anomalies.push({ kind: "internal", reader: txn.id, key: op.key, read: op.value, expected: lastWrite(txn, key) });
      } else if (s.read !== undefined) {
        // A second read that differs: another transaction's commit came between (read committed allows it).
        if (version !== s.read) anomalies.push({ kind: "non-repeatable-read", reader: txn.id, key: op.key, read: op.value, expected: s.readValue! });
      } else {
        s.external = version;
        s.externalValue = op.value;
        if (op.value !== null) {
          const writer = writes.get(key)?.get(version);
          if (!writer) anomalies.push({ kind: "garbage-read", reader: txn.id, key: op.key, read: op.value });
          else if (writer.txn.status === "fail") anomalies.push({ kind: "G1a", reader: txn.id, writer: writer.txn.id, key: op.key, read: op.value });
          else if (!writer.final && writer.txn.id !== txn.id) anomalies.push({ kind: "G1b", reader: txn.id, writer: writer.txn.id, key: op.key, read: op.value });
        }
        let byVersion = readers.get(key);
        if (!byVersion) readers.set(key, (byVersion = new Map()));
        let list = byVersion.get(version);
        if (!list) byVersion.set(version, (list = []));
        list.push({ txn, key: op.key, value: op.value });
      }
      s.read = version;
      s.readValue = op.value;
    }
    for (const [key, s] of state) {
      if (s.external !== undefined && s.wrote !== undefined) readThenWrote.push({ txn, key, keyValue: txn.ops.find((o) => valueKey(o.key) === key)!.key, version: s.external, value: s.externalValue! });
    }
  }

  const graph = new DependencyGraph(txns.length);
  const committed = (w: WriteInfo | undefined): w is WriteInfo => w !== undefined && w.txn.status !== "fail";
  for (const [key, byVersion] of readers) {
    for (const [version, list] of byVersion) {
      if (version === INITIAL) continue;
      const writer = writes.get(key)?.get(version);
      if (committed(writer)) for (const r of list) graph.add({ from: writer.txn.id, to: r.txn.id, kind: "wr", key: r.key, value: r.value });
    }
    // The initial version precedes every committed write of the key.
    const initialReaders = byVersion.get(INITIAL) ?? [];
    for (const w of finalWrites(writes.get(key))) for (const r of initialReaders) graph.add({ from: r.txn.id, to: w.txn.id, kind: "rw", key: r.key, value: w.value, prior: null });
  }
  const seenVersion = new Map<string, Txn>();
  for (const rw of readThenWrote) {
    const written = finalWrites(writes.get(rw.key)).find((w) => w.txn === rw.txn)!;
    const prior = writes.get(rw.key)?.get(rw.version);
    if (rw.version !== INITIAL && committed(prior)) graph.add({ from: prior.txn.id, to: rw.txn.id, kind: "ww", key: rw.keyValue, value: written.value, prior: rw.value });
    if (rw.version !== INITIAL) for (const r of readers.get(rw.key)?.get(rw.version) ?? []) graph.add({ from: r.txn.id, to: rw.txn.id, kind: "rw", key: r.key, value: written.value, prior: rw.value });
    // Two transactions that read one version and both wrote the key: one of them overwrote the other blind.
    const slot = `${rw.key}\u0000${rw.version}`;
    const other = seenVersion.get(slot);
    if (other) anomalies.push({ kind: "lost-update", reader: other.id, other: rw.txn.id, key: rw.keyValue, read: rw.value });
    else seenVersion.set(slot, rw.txn);
  }
  return { graph, anomalies };
}

/** The committed transactions' last writes of a key (the versions others can see). */
function finalWrites(keyWrites: Map<string, WriteInfo> | undefined): WriteInfo[] {
  return keyWrites ? [...keyWrites.values()].filter((w) => w.final && w.txn.status !== "fail") : [];
}

function lastWrite(txn: Txn, key: string): Value {
  let value: Value = null;
  for (const op of txn.ops) if (op.f === "w" && valueKey(op.key) === key) value = op.value;
  return value;
}
