import type { Value } from "../history/types.ts";
import { DependencyGraph } from "./graph.ts";
import type { Inference } from "./infer.ts";
import type { ReadAnomaly, Txn } from "./types.ts";
import { indexWrites, valueKey, type WriteInfo } from "./writes.ts";

/** A read of one key by a committed transaction, as list-append inference uses it. */
interface ListRead {
  txn: Txn;
  key: Value;
  list: Value[];
  /** The elements as comparable text. */
  keys: string[];
  /** The first read of the key in its transaction, before the transaction appended to it itself. */
  external: boolean;
}

/**
 * Dependencies of a list-append history (Elle's idea: lists make the version order visible).
 *
 * Each key's version order is its longest read list; every other read must be a prefix of it. Then:
 * - ww: the writer of each element precedes the writer of the next; committed appends no read shows come
 *   after the whole observed list;
 * - wr: a transaction's first read of a key depends on the writer of the list's last element;
 * - rw: that read anti-depends on the writer of the element after its list's end (or of any committed
 *   append never observed, when it read the whole observed list).
 * Only committed (ok) transactions' reads count; unknown (info) transactions count as writers once a read
 * shows their element; failed ones never enter the graph (a read of their element is G1a).
 */
export function inferListAppend(txns: readonly Txn[]): Inference {
  const writes = indexWrites(txns, "append");
  const anomalies: ReadAnomaly[] = [];
  const reads = new Map<string, ListRead[]>();
  const lostUpdateSeen = new Map<string, Txn>();

  for (const txn of txns) {
    if (txn.status !== "ok") continue;
    // Per key: what the transaction has seen and appended so far.
    const state = new Map<string, { read: string[] | undefined; appended: string[]; firstRead: string[] | undefined }>();
    for (const op of txn.ops) {
      const key = valueKey(op.key);
      let s = state.get(key);
      if (!s) state.set(key, (s = { read: undefined, appended: [], firstRead: undefined }));
      if (op.f === "append") {
        s.appended.push(valueKey(op.value));
        continue;
      }
      const list = Array.isArray(op.value) ? op.value : [];
      const keys = list.map(valueKey);
      checkElements(txn, op.key, list, keys, writes.get(key), anomalies);
      const external = s.read === undefined && s.appended.length === 0;
      if (!external) {
        // A later read shows the transaction's own appends since its last read of the key at the end, after
        // everything that read showed: exactly that (a repeatable read), or with appends committed meanwhile
        // between them (a non-repeatable read, which read committed allows).
        const expected = s.read === undefined ? undefined : [...s.read, ...s.appended];
        const extends_ = endsWith(keys, s.appended) && (s.read === undefined || startsWith(keys, s.read));
        if (!extends_) anomalies.push({ kind: "internal", reader: txn.id, key: op.key, read: list, expected: expected ? expectedList(txn, op.key, s, list) : null });
        else if (expected && !sameList(keys, expected)) anomalies.push({ kind: "non-repeatable-read", reader: txn.id, key: op.key, read: list, expected: expectedList(txn, op.key, s, list) });
      } else {
        s.firstRead = keys;
      }
      s.read = keys;
      s.appended = [];
      let forKey = reads.get(key);
      if (!forKey) reads.set(key, (forKey = []));
      forKey.push({ txn, key: op.key, list, keys, external });
    }
    // Lost update: two committed transactions that read the same list of a key and both appended to it.
    for (const [key, s] of state) {
      if (s.firstRead === undefined || !txn.ops.some((op) => op.f === "append" && valueKey(op.key) === key)) continue;
      const slot = `${key}\u0000${s.firstRead.join("\u0000")}`;
      const other = lostUpdateSeen.get(slot);
      if (other) {
        const op = txn.ops.find((o) => o.f === "r" && valueKey(o.key) === key)!;
        anomalies.push({ kind: "lost-update", reader: other.id, other: txn.id, key: op.key, read: Array.isArray(op.value) ? op.value : [] });
      } else lostUpdateSeen.set(slot, txn);
    }
  }

  const graph = new DependencyGraph(txns.length);
  const committed = (w: WriteInfo | undefined): w is WriteInfo => w !== undefined && w.txn.status !== "fail";
  for (const [key, forKey] of reads) {
    const keyWrites = writes.get(key) ?? new Map<string, WriteInfo>();
    // The version order: the longest list read (the first of that length, for determinism).
    let longest = forKey[0]!;
    for (const r of forKey) if (r.keys.length > longest.keys.length) longest = r;
    const order = longest.keys;
    const position = new Map(order.map((k, i) => [k, i]));
    const prefixOk = forKey.map((r) => r.keys.length <= order.length && r.keys.every((k, i) => order[i] === k));
    forKey.forEach((r, i) => {
      if (!prefixOk[i]) anomalies.push({ kind: "incompatible-order", reader: r.txn.id, other: longest.txn.id, key: r.key, read: r.list, expected: longest.list });
    });
    // ww along the order, then from its last writer to each committed append no read shows.
    for (let i = 0; i + 1 < order.length; i++) {
      const a = keyWrites.get(order[i]!);
      const b = keyWrites.get(order[i + 1]!);
      if (committed(a) && committed(b)) graph.add({ from: a.txn.id, to: b.txn.id, kind: "ww", key: longest.key, value: longest.list[i + 1]!, prior: longest.list[i]! });
    }
    const unobserved: WriteInfo[] = [];
    for (const [k, info] of keyWrites) if (info.txn.status === "ok" && !position.has(k)) unobserved.push(info);
    const lastWriter = order.length > 0 ? keyWrites.get(order[order.length - 1]!) : undefined;
    if (committed(lastWriter)) {
      for (const u of unobserved) graph.add({ from: lastWriter.txn.id, to: u.txn.id, kind: "ww", key: longest.key, value: u.value, prior: longest.list[order.length - 1]! });
    }
    forKey.forEach((r, i) => {
      if (!r.external || !prefixOk[i]) return;
      const lastKey = r.keys[r.keys.length - 1];
      const writer = lastKey === undefined ? undefined : keyWrites.get(lastKey);
      if (committed(writer)) {
        graph.add({ from: writer.txn.id, to: r.txn.id, kind: "wr", key: r.key, value: r.list[r.list.length - 1]! });
        if (!writer.final && writer.txn.id !== r.txn.id) anomalies.push({ kind: "G1b", reader: r.txn.id, writer: writer.txn.id, key: r.key, read: r.list, expected: r.list[r.list.length - 1]! });
      }
      const prior = lastKey === undefined ? null : r.list[r.list.length - 1]!;
      if (r.keys.length < order.length) {
        const next = keyWrites.get(order[r.keys.length]!);
        if (committed(next)) graph.add({ from: r.txn.id, to: next.txn.id, kind: "rw", key: r.key, value: longest.list[r.keys.length]!, prior });
      } else {
        for (const u of unobserved) graph.add({ from: r.txn.id, to: u.txn.id, kind: "rw", key: r.key, value: u.value, prior });
      }
    });
  }
  // Keys appended to but never read give ww edges only through reads, so none.
  return { graph, anomalies };
}

/** Duplicates, elements nobody appended (garbage) and elements of failed transactions (G1a). */
function checkElements(txn: Txn, key: Value, list: Value[], keys: string[], keyWrites: Map<string, WriteInfo> | undefined, anomalies: ReadAnomaly[]): void {
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    if (seen.has(k)) anomalies.push({ kind: "duplicate-elements", reader: txn.id, key, read: list, expected: list[i]! });
    seen.add(k);
    const writer = keyWrites?.get(k);
    if (!writer) anomalies.push({ kind: "garbage-read", reader: txn.id, key, read: list, expected: list[i]! });
    else if (writer.txn.status === "fail") anomalies.push({ kind: "G1a", reader: txn.id, writer: writer.txn.id, key, read: list, expected: list[i]! });
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function startsWith(list: readonly string[], head: readonly string[]): boolean {
  return head.length <= list.length && head.every((k, i) => list[i] === k);
}

function endsWith(list: readonly string[], tail: readonly string[]): boolean {
  return tail.length <= list.length && tail.every((k, i) => list[list.length - tail.length + i] === k);
}

/** The list a later read should have shown, as values: the earlier read's list plus the appends since. */
function expectedList(txn: Txn, key: Value, s: { read: string[] | undefined; appended: string[] }, list: Value[]): Value {
  const byKey = new Map<string, Value>();
  for (const op of txn.ops) {
    if (valueKey(op.key) !== valueKey(key)) continue;
    if (op.f === "append") byKey.set(valueKey(op.value), op.value);
    else if (Array.isArray(op.value)) for (const v of op.value) byKey.set(valueKey(v), v);
  }
  for (const v of list) byKey.set(valueKey(v), v);
  return [...(s.read ?? []), ...s.appended].map((k) => byKey.get(k) ?? k);
}
