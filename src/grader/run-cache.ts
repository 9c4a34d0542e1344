/**
 * The runs of the last solution this Worker ran quickly, kept for its next grade of the same solution: a
 * Submit after a Run of the same code takes the Run's seeds from here instead of running them again (the
 * learner is told to Run first, then Submit). A run is determined by its request (the scenario, the knobs
 * with the seed, the limits, the harness and the solution's text), and the engine cannot change while the
 * Worker lives, so the request is the whole key: nothing kept can stand for another solution or another
 * scenario. Only runs that produced data are kept; an error outcome (a budget spent, which load can
 * decide) is run again. Kept and handed out as copies, since a grade annotates the data it gets.
 *
 * Only a grade that asks keeps its runs (the Worker: a Run). Copying costs about a fifth of a node run's
 * time with structuredClone (broadcast's traces, unique-ids' volume histories), which a Submit that nothing
 * follows would pay for nothing; plain-copy.ts makes the same copy in about two thirds of that.
 */
import type { RunOutcome, RunRequest, Sandbox } from "../../graders/index.ts";
import { copyPlain as copy } from "./plain-copy.ts";

/** A Submit has at most a few dozen runs; a bound keeps a long session's memory flat all the same. */
const maxKept = 256;

export interface RunCache {
  /** The sandbox for one grade: it answers from the kept runs, and keeps its own only when `keep`. */
  sandbox(options: { keep: boolean }): Sandbox;
  /** Runs answered from the cache, and runs handed to the sandbox, since the cache was made. */
  stats(): { reused: number; ran: number };
}

/** Kept runs over `inner` (read at each grade: the pool replaces the Worker's own sandbox once its runners are up). */
export function createRunCache(inner: () => Sandbox): RunCache {
  let solutionJs: string | undefined;
  let kept = new Map<string, RunOutcome>();
  let reused = 0;
  let ran = 0;
  const keyOf = (request: RunRequest) => JSON.stringify([request.harness ?? "node", request.scenario, request.knobs, request.limits ?? {}]);
  return {
    sandbox({ keep }) {
      const under = inner();
      return {
        ...(under.concurrency !== undefined ? { concurrency: under.concurrency } : {}),
        async run(request) {
          if (request.solutionJs !== solutionJs) {
            solutionJs = request.solutionJs;
            kept = new Map();
          }
          const key = keyOf(request);
          const hit = kept.get(key);
          if (hit) {
            reused++;
            return copy(hit);
          }
          ran++;
          const outcome = await under.run(request);
          // The solution may have changed while this run went (a grade overlapping another is refused, but be sure).
          if (keep && outcome.kind === "data" && request.solutionJs === solutionJs && kept.size < maxKept) kept.set(key, copy(outcome));
          return outcome;
        },
      };
    },
    stats: () => ({ reused, ran }),
  };
}
