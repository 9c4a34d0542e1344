// The last verdict of each exercise, kept in localStorage beside the code, so a reload shows what the
// learner last saw. The failing run's messages are left out: they can be megabytes, and one click
// ("Run seed … again") brings them back exactly, since grading is deterministic.
import type { GradeMode, GradeOutcome } from "../../grader/types.ts";
import { readJson, writeJson } from "./storage.ts";

export type StoredOutcome = Extract<GradeOutcome, { kind: "results" | "compile-error" | "timed-out" }>;

export interface SavedOutcome {
  outcome: StoredOutcome;
  mode: GradeMode;
  /** The code that was graded, to tell the learner when the editor no longer holds it. */
  code: string;
  savedAt: string;
}

export const resultsKey = (slug: string) => `clusterlab:results:${slug}`;

/** Keeps the store well under the usual 5 MB quota, which the code and progress share. */
const MAX_CHARS = 1_000_000;

/** What of an outcome is worth keeping: Stop and a dead grader say nothing about the code. */
export function storable(outcome: GradeOutcome): StoredOutcome | undefined {
  if (outcome.kind === "results") return { kind: "results", results: outcome.results };
  if (outcome.kind === "compile-error" || outcome.kind === "timed-out") return outcome;
  return undefined;
}

export function saveOutcome(slug: string, mode: GradeMode, outcome: GradeOutcome, code: string): boolean {
  const kept = storable(outcome);
  if (!kept) return false;
  const saved: SavedOutcome = { outcome: kept, mode, code, savedAt: new Date().toISOString() };
  if (JSON.stringify(saved).length > MAX_CHARS) return false;
  return writeJson(resultsKey(slug), saved);
}

export function loadOutcome(slug: string): SavedOutcome | undefined {
  const saved = readJson<SavedOutcome>(resultsKey(slug));
  // Anything else is from an older build or hand-edited: ignore it rather than draw half a panel.
  return saved && typeof saved.code === "string" && saved.outcome && typeof saved.outcome.kind === "string" ? saved : undefined;
}
