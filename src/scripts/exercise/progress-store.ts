// Which exercises the learner has submitted, and how it went: exercise slug → best status and the last
// submission. Read by the progress page, written after each Submit. Lives in this browser only.
import { readJson, writeJson } from "./storage.ts";

export type ProgressStatus = "pass" | "fail" | "error";

export interface ExerciseProgress {
  best: ProgressStatus;
  last: ProgressStatus;
  /** ISO time of the last Submit. */
  lastRunAt: string;
}

export type ProgressMap = Record<string, ExerciseProgress>;

export const PROGRESS_KEY = "clusterlab:progress";

// A solution that runs but fails a check is further along than one that does not run at all.
const RANK: Record<ProgressStatus, number> = { error: 0, fail: 1, pass: 2 };

/** Pure: the map after one more submission. */
export function withSubmission(map: ProgressMap, slug: string, status: ProgressStatus, at: Date): ProgressMap {
  const previous = map[slug];
  const best = previous && RANK[previous.best] >= RANK[status] ? previous.best : status;
  return { ...map, [slug]: { best, last: status, lastRunAt: at.toISOString() } };
}

export function readProgress(): ProgressMap {
  return readJson<ProgressMap>(PROGRESS_KEY) ?? {};
}

export function recordSubmission(slug: string, status: ProgressStatus, at = new Date()): ExerciseProgress {
  const next = withSubmission(readProgress(), slug, status, at);
  writeJson(PROGRESS_KEY, next);
  return next[slug]!;
}
