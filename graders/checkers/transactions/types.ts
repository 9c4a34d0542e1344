/**
 * Transactions as the anomaly checker reads them, whatever history they came from (a simulated run or a
 * Jepsen file): each is a list of micro-operations on keys, with the outcome its client learned.
 */
import type { Value } from "../history/types.ts";

/**
 * One micro-operation, Maelstrom's shapes: list-append has `append` (add `value` to the end of the list at
 * `key`) and `r` (read the whole list: `value` is the list, null for a key never appended to); rw-register
 * has `w` (write `value`) and `r` (read the register: null for a key never written).
 */
export interface MicroOp {
  f: "append" | "r" | "w";
  key: Value;
  /** What is appended or written; what was read (null before the completion says). */
  value: Value;
}

/**
 * How the transaction ended for its client: `ok` committed; `fail` definitely did not commit (aborted,
 * error 30); `info` unknown (a timeout, a crash): it may have committed, so its writes may be seen.
 */
export type TxnStatus = "ok" | "fail" | "info";

export interface Txn {
  /** Index in invoke order, 0-based: also its name in explanations (T0, T1…). */
  id: number;
  process: number | string;
  status: TxnStatus;
  /** The committed operations with what reads returned (ok), else the operations asked for. */
  ops: MicroOp[];
  invokeMs: number;
  returnMs: number;
  /** Where the transaction is found, for messages: "line 12", "c3 at 1.20 s". */
  where: string;
  /** The line of its invoke, when it was read from a file. */
  line?: number;
}

/** The history shapes the checker reads. */
export type TxnShape = "list-append" | "rw-register";

/**
 * A dependency between two committed transactions (Adya's direct serialization graph):
 * - ww: `to` overwrote (appended after) a version `from` wrote;
 * - wr: `to` read a version `from` wrote;
 * - rw: `from` read a version that `to` then overwrote (an anti-dependency).
 */
export type DependencyKind = "ww" | "wr" | "rw";

export interface Dependency {
  from: number;
  to: number;
  kind: DependencyKind;
  /** The key and the element (list-append) or value (rw-register) that gives the dependency. */
  key: Value;
  value: Value;
  /** rw: the version `from` read (the last element of its list, null for none); ww: the version overwritten. */
  prior?: Value;
}

/** Anomalies whose evidence is a cycle of dependencies. */
export type CycleAnomalyKind = "G0" | "G1c" | "G-single" | "G2";

/** Anomalies one read shows by itself. */
export type ReadAnomalyKind =
  | "G1a" // aborted read: it saw a write of a transaction that failed
  | "G1b" // intermediate read: it saw a version its writer overwrote within the same transaction
  | "internal" // a read disagrees with its own transaction's earlier operations on the key
  | "non-repeatable-read" // a later read of a key shows more than the earlier read and the transaction's own writes
  | "incompatible-order" // two reads of a key are not prefixes of one order (list-append)
  | "duplicate-elements" // a list holds an element twice (list-append)
  | "garbage-read" // it saw an element or value no transaction wrote
  | "lost-update"; // two committed transactions read the same version of a key and both wrote the key

export type AnomalyKind = CycleAnomalyKind | ReadAnomalyKind;

export interface CycleAnomaly {
  kind: CycleAnomalyKind;
  /** The smallest cycle found: each step's `to` is the next step's `from`, the last returns to the first. */
  cycle: Dependency[];
  /** G-single of two transactions that both overwrote the version they read of one key. */
  lostUpdate?: boolean;
}

export interface ReadAnomaly {
  kind: ReadAnomalyKind;
  /** The transaction whose read shows it. */
  reader: number;
  /** The transaction whose write it concerns, when there is one. */
  writer?: number;
  /** A second reader (incompatible-order: the read it disagrees with; lost-update: the other writer). */
  other?: number;
  key: Value;
  /** What the read returned. */
  read: Value;
  /** What was expected instead, or the element concerned. */
  expected?: Value;
}

export type Anomaly = CycleAnomaly | ReadAnomaly;

export function isCycleAnomaly(anomaly: Anomaly): anomaly is CycleAnomaly {
  return "cycle" in anomaly;
}
