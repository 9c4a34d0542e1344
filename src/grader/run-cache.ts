/**
 * The runs of the last solution this Worker graded, kept for its next grade of the same solution: a Submit
 * after a Run of the same code takes the Run's seeds from here instead of running them again (the learner
 * is told to Run first, then Submit). A run is determined by its request (the scenario, the knobs with the
 * seed, the limits, the harness and the solution's text), and the engine cannot change while the Worker
 * lives, so the request is the whole key: nothing kept can stand for another solution or another
 * scenario. Only runs that produced data are kept; an error outcome (a budget spent, which load can
 * decide) is run again. Stored and handed out as copies, since a grade annotates the data it gets.
 */
import type { RunOutcome, RunRequest, Sandbox } from "../../graders/index.ts";

// Taken when this module loads, before the Worker's lockdown removes the host's globals.
const copy: <T>(value: T) => T = structuredClone;

/** A Submit has at most a few dozen runs; a bound keeps a long session's memory flat all the same. */
const maxKept = 256;

export interface RunCache extends Sandbox {
  /** Runs answered from the cache, and runs handed to the sandbox, since the cache was made. */
  stats(): { reused: number; ran: number };
}

/** A sandbox that answers a repeated request of the current solution from its last outcome; `inner` does the rest. */
export function createRunCache(inner: () => Sandbox): RunCache {
  let solutionJs: string | undefined;
  let kept = new Map<string, RunOutcome>();
  let reused = 0;
  let ran = 0;
  return {
    get concurrency() {
      return inner().concurrency;
    },
    async run(request: RunRequest): Promise<RunOutcome> {
      if (request.solutionJs !== solutionJs) {
        solutionJs = request.solutionJs;
        kept = new Map();
      }
      const key = JSON.stringify([request.harness ?? "node", request.scenario, request.knobs, request.limits ?? {}]);
      const hit = kept.get(key);
      if (hit) {
        reused++;
        return copy(hit);
      }
      ran++;
      const outcome = await inner().run(request);
      // The solution may have changed while this run went (a grade overlapping another is refused, but be sure).
      if (outcome.kind === "data" && request.solutionJs === solutionJs && kept.size < maxKept) kept.set(key, copy(outcome));
      return outcome;
    },
    stats: () => ({ reused, ran }),
  };
}
