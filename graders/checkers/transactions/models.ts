import type { AnomalyKind } from "./types.ts";

/**
 * Consistency models, weakest first, by the anomalies each forbids (Adya's isolation levels as Elle checks
 * them, without real-time order). Every model forbids the anomalies no database produces at any level:
 * reads that disagree with their own transaction, lists no single order explains, elements nobody wrote.
 */
export type ConsistencyModel = "read-uncommitted" | "read-committed" | "snapshot-isolation" | "serializable";

const structural: AnomalyKind[] = ["internal", "incompatible-order", "duplicate-elements", "garbage-read"];

const forbids: Record<ConsistencyModel, readonly AnomalyKind[]> = {
  // PL-1: writes are not interleaved with other writes.
  "read-uncommitted": [...structural, "G0"],
  // PL-2: no read sees a write that was aborted, intermediate, or part of a cycle of information flow.
  "read-committed": [...structural, "G0", "G1a", "G1b", "G1c"],
  // Snapshot isolation: one snapshot per transaction (a key read twice reads the same, its own writes aside),
  // and no cycle with exactly one anti-dependency (lost update is its smallest case).
  // Write skew (G2 with two anti-dependencies) is allowed.
  "snapshot-isolation": [...structural, "G0", "G1a", "G1b", "G1c", "non-repeatable-read", "G-single", "lost-update"],
  // PL-3: no cycle of dependencies of any kind.
  serializable: [...structural, "G0", "G1a", "G1b", "G1c", "non-repeatable-read", "G-single", "lost-update", "G2"],
};

export const consistencyModels: readonly ConsistencyModel[] = Object.keys(forbids) as ConsistencyModel[];

export function isConsistencyModel(name: string): name is ConsistencyModel {
  return Object.hasOwn(forbids, name);
}

export function forbiddenBy(model: ConsistencyModel): readonly AnomalyKind[] {
  return forbids[model];
}

/** What each anomaly is, in a phrase, for messages and usage text. */
export const anomalyNames: Record<AnomalyKind, string> = {
  G0: "write cycle",
  G1a: "aborted read",
  G1b: "intermediate read",
  G1c: "circular information flow",
  "G-single": "read skew (one anti-dependency)",
  G2: "anti-dependency cycle",
  internal: "internal inconsistency",
  "non-repeatable-read": "non-repeatable read",
  "incompatible-order": "incompatible version orders",
  "duplicate-elements": "duplicated element",
  "garbage-read": "read of a value never written",
  "lost-update": "lost update",
};
