/**
 * Checks of logical timestamps against the true happens-before relation the simulator recorded
 * (sim/causality.ts). Events are whatever a workload timestamps (a local step, a send, a receive…), each
 * tied to the simulator step it happened in; these checks only compare what the nodes claimed with the
 * relation between those steps.
 */
import { stepRelation, type CausalLog } from "../sim/causality.ts";

export type Relation = "before" | "after" | "concurrent" | "same";

/** An event as a node reported it, tied to the step of the run it happened in. */
export interface StampedEvent {
  /** How a message names the event ("n1's send e7 at 120 ms"). */
  label: string;
  /** Index into CausalLog.steps. */
  step: number;
  lamport?: number;
  /** Node id → count; a missing entry is 0. */
  vector?: Record<string, number>;
}

/** A node's answer to "how does a relate to b?". */
export interface RelationAnswer {
  a: StampedEvent;
  b: StampedEvent;
  answer: string;
}

export interface ClockVerdict {
  ok: boolean;
  /** Pairs judged, and pairs that broke the rule. */
  pairs: number;
  violations: number;
  /** The first violation, in words. */
  example?: string;
  /** The first violation's kind, for a workload's hint: what the true and the claimed relation were. */
  truth?: Relation;
  claimed?: Relation | string;
}

/** The standard order of vector clocks: a ≤ b entry by entry. */
export function vectorRelation(a: Record<string, number>, b: Record<string, number>): Relation {
  let less = false;
  let greater = false;
  // Every id of either, the ones they share met twice: comparing an entry again changes nothing, and is
  // cheaper than a set of the ids per pair (vector-order compares every pair of a run's events).
  for (const keys of [Object.keys(a), Object.keys(b)]) {
    for (const id of keys) {
      const x = a[id] ?? 0;
      const y = b[id] ?? 0;
      if (x < y) less = true;
      else if (x > y) greater = true;
    }
  }
  if (less && greater) return "concurrent";
  if (less) return "before";
  if (greater) return "after";
  return "same";
}

/** Lamport's clock condition: a → b implies L(a) < L(b), for every pair of events. */
export function checkLamportOrder(log: CausalLog, events: readonly StampedEvent[]): ClockVerdict {
  const verdict: ClockVerdict = { ok: true, pairs: 0, violations: 0 };
  for (const a of events) {
    for (const b of events) {
      if (a === b || stepRelation(log, a.step, b.step) !== "before") continue;
      verdict.pairs++;
      if (a.lamport! < b.lamport!) continue;
      verdict.violations++;
      if (verdict.example === undefined) {
        verdict.example = `${a.label} happened before ${b.label}, yet their Lamport timestamps are ${a.lamport} and ${b.lamport}`;
        verdict.truth = "before";
        verdict.claimed = a.lamport === b.lamport ? "same" : "after";
      }
    }
  }
  verdict.ok = verdict.violations === 0;
  return verdict;
}

/**
 * Vector clocks characterise causality exactly: for every pair of events, comparing their vectors gives
 * the true relation (before, after or concurrent; two distinct events never have equal vectors).
 */
export function checkVectorOrder(log: CausalLog, events: readonly StampedEvent[]): ClockVerdict {
  const verdict: ClockVerdict = { ok: true, pairs: 0, violations: 0 };
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      const a = events[i]!;
      const b = events[j]!;
      verdict.pairs++;
      const truth = stepRelation(log, a.step, b.step);
      const claimed = vectorRelation(a.vector!, b.vector!);
      if (truth === claimed) continue;
      verdict.violations++;
      if (verdict.example === undefined) {
        verdict.example = `${a.label} and ${b.label} ${phrase(truth)}, but their vectors ${showVector(a.vector!)} and ${showVector(b.vector!)} say they ${phrase(claimed)}`;
        verdict.truth = truth;
        verdict.claimed = claimed;
      }
    }
  }
  verdict.ok = verdict.violations === 0;
  return verdict;
}

/** Each answer ("before", "after", "concurrent") must be the true relation of its two events. */
export function checkRelationAnswers(log: CausalLog, answers: readonly RelationAnswer[]): ClockVerdict {
  const verdict: ClockVerdict = { ok: true, pairs: answers.length, violations: 0 };
  for (const { a, b, answer } of answers) {
    const truth = stepRelation(log, a.step, b.step);
    if (answer === truth) continue;
    verdict.violations++;
    if (verdict.example === undefined) {
      verdict.example = `asked how ${a.label} relates to ${b.label}, the node answered "${answer}", but the answer is "${truth}"`;
      verdict.truth = truth;
      verdict.claimed = answer;
    }
  }
  verdict.ok = verdict.violations === 0;
  return verdict;
}

function phrase(relation: Relation | string): string {
  switch (relation) {
    case "before":
      return "are ordered, the first before the second";
    case "after":
      return "are ordered, the second before the first";
    case "concurrent":
      return "are concurrent";
    default:
      return "are the same event";
  }
}

export function showVector(vector: Record<string, number>): string {
  return `{${Object.entries(vector)
    .filter(([, n]) => n !== 0)
    .map(([id, n]) => `${id}:${n}`)
    .join(" ")}}`;
}
