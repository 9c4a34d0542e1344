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
  /** The first read of the key in its transaction, before the transaction appended to it itself. */
  external: boolean;
  /** Whether its transaction appends to the key (for lost updates). */
  appends: boolean;
}

/** Element equality: identity for numbers and strings (the common case, no text made), else by content. */
const same = (a: Value, b: Value): boolean => a === b || (typeof a === "object" && a !== null && typeof b === "object" && b !== null && valueKey(a) === valueKey(b));

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
 *
 * Cost: linear in the elements read. A read that is a prefix of the order is compared element by element
 * without making text of them, and its elements are looked up once, in the order itself.
 */
export function inferListAppend(txns: readonly Txn[]): Inference {
  const writes = indexWrites(txns, "append");
  const anomalies: ReadAnomaly[] = [];
  const reads = new Map<string, ListRead[]>();

  for (const txn of txns) {
    if (txn.status !== "ok") continue;
    // Per key: the list the transaction last read, and what it appended since.
    const state = new Map<string, { read: Value[] | undefined; appended: Value[] }>();
    const appendsTo = new Set<string>();
    for (const op of txn.ops) if (op.f === "append") appendsTo.add(valueKey(op.key));
    for (const op of txn.ops) {
      const key = valueKey(op.key);
      let s = state.get(key);
      if (!s) state.set(key, (s = { read: undefined, appended: [] }));
      if (op.f === "append") {
        s.appended.push(op.value);
        continue;
      }
      const list = Array.isArray(op.value) ? op.value : [];
      const external = s.read === undefined && s.appended.length === 0;
      if (!external) {
        // A later read shows the transaction's own appends since its last read of the key at the end, after
        // everything that read showed: exactly that (a repeatable read), or with appends committed meanwhile
        // between them (a non-repeatable read, which read committed allows).
        const keys = list.map(valueKey);
        const appended = s.appended.map(valueKey);
        const before = s.read?.map(valueKey);
        const expected = before === undefined ? undefined : [...before, ...appended];
        const extends_ = endsWith(keys, appended) && (before === undefined || startsWith(keys, before));
        if (!extends_) anomalies.push({ kind: "internal", reader: txn.id, key: op.key, read: list, expected: s.read === undefined ? null : [...s.read, ...s.appended] });
        else if (expected && !sameList(keys, expected)) anomalies.push({ kind: "non-repeatable-read", reader: txn.id, key: op.key, read: list, expected: [...s.read!, ...s.appended] });
      }
      s.read = list;
      s.appended = [];
      let forKey = reads.get(key);
      if (!forKey) reads.set(key, (forKey = []));
      forKey.push({ txn, key: op.key, list, external, appends: appendsTo.has(key) });
    }
  }

  const graph = new DependencyGraph(txns.length);
  const committed = (w: WriteInfo | undefined): w is WriteInfo => w !== undefined && w.txn.status !== "fail";
  for (const [key, forKey] of reads) {
    const keyWrites = writes.get(key) ?? new Map<string, WriteInfo>();
    // The version order: the longest list read (the first of that length, for determinism).
    let longest = forKey[0]!;
    for (const r of forKey) if (r.list.length > longest.list.length) longest = r;
    const order = longest.list;
    const orderKeys = order.map(valueKey);
    const writers = orderKeys.map((k) => keyWrites.get(k));
    const position = new Map(orderKeys.map((k, i) => [k, i]));
    // The first position of the order whose element is duplicated, nobody's, or a failed transaction's:
    // a prefix read shorter than it holds none of these, and is not looked at element by element.
    let firstBad = order.length;
    const seen = new Set<string>();
    for (let i = 0; i < order.length && firstBad === order.length; i++) {
      if (seen.has(orderKeys[i]!) || !writers[i] || writers[i]!.txn.status === "fail") firstBad = i;
      seen.add(orderKeys[i]!);
    }
    const prefixOk = forKey.map((r) => r.list.length <= order.length && r.list.every((v, i) => same(v, order[i]!)));
    forKey.forEach((r, i) => {
      if (!prefixOk[i] || r.list.length > firstBad) checkElements(r.txn, r.key, r.list, keyWrites, anomalies);
      if (!prefixOk[i]) anomalies.push({ kind: "incompatible-order", reader: r.txn.id, other: longest.txn.id, key: r.key, read: r.list, expected: longest.list });
    });
    // ww along the order, then from its last writer to each committed append no read shows.
    for (let i = 0; i + 1 < order.length; i++) {
      const a = writers[i];
      const b = writers[i + 1];
      if (committed(a) && committed(b)) graph.add({ from: a.txn.id, to: b.txn.id, kind: "ww", key: longest.key, value: order[i + 1]!, prior: order[i]! });
    }
    const unobserved: WriteInfo[] = [];
    for (const [k, info] of keyWrites) if (info.txn.status === "ok" && !position.has(k)) unobserved.push(info);
    const lastWriter = writers[order.length - 1];
    if (committed(lastWriter)) {
      for (const u of unobserved) graph.add({ from: lastWriter.txn.id, to: u.txn.id, kind: "ww", key: longest.key, value: u.value, prior: order[order.length - 1]! });
    }
    // Lost update: two committed transactions that read the same list of the key (a prefix of the order
    // of the same length) and both append to it.
    const firstReaderOf = new Map<number, Txn>();
    forKey.forEach((r, i) => {
      if (!r.external || !prefixOk[i]) return;
      const n = r.list.length;
      const writer = n === 0 ? undefined : writers[n - 1];
      if (committed(writer)) {
        graph.add({ from: writer.txn.id, to: r.txn.id, kind: "wr", key: r.key, value: r.list[n - 1]! });
        if (!writer.final && writer.txn.id !== r.txn.id) anomalies.push({ kind: "G1b", reader: r.txn.id, writer: writer.txn.id, key: r.key, read: r.list, expected: r.list[n - 1]! });
      }
      const prior = n === 0 ? null : r.list[n - 1]!;
      if (n < order.length) {
        const next = writers[n];
        if (committed(next)) graph.add({ from: r.txn.id, to: next.txn.id, kind: "rw", key: r.key, value: order[n]!, prior });
      } else {
        for (const u of unobserved) graph.add({ from: r.txn.id, to: u.txn.id, kind: "rw", key: r.key, value: u.value, prior });
      }
      if (r.appends) {
        const other = firstReaderOf.get(n);
        if (other && other !== r.txn) anomalies.push({ kind: "lost-update", reader: other.id, other: r.txn.id, key: r.key, read: r.list });
        else if (!other) firstReaderOf.set(n, r.txn);
      }
    });
  }
  return { graph, anomalies };
}

/** Duplicates, elements nobody appended (garbage) and elements of failed transactions (G1a), in one read. */
function checkElements(txn: Txn, key: Value, list: Value[], keyWrites: Map<string, WriteInfo>, anomalies: ReadAnomaly[]): void {
  const seen = new Set<string>();
  for (const element of list) {
    const k = valueKey(element);
    if (seen.has(k)) anomalies.push({ kind: "duplicate-elements", reader: txn.id, key, read: list, expected: element });
    seen.add(k);
    const writer = keyWrites.get(k);
    if (!writer) anomalies.push({ kind: "garbage-read", reader: txn.id, key, read: list, expected: element });
    else if (writer.txn.status === "fail") anomalies.push({ kind: "G1a", reader: txn.id, writer: writer.txn.id, key, read: list, expected: element });
  }
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
