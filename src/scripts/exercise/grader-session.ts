// One browser grader per page, shared by every exercise on it: the client creates its sandboxed iframe
// and Worker on first use (or on warm()), and kills them when a grade is aborted or overruns.
import { createBrowserGrader } from "../../grader/client.ts";
import type { GradeOutcome, GradeProgress, GradeRequest } from "../../grader/types.ts";

/**
 * A Worker per further core, every grade spread over them from its first run. On 2 idle cores
 * (bench/browser-submit.ts, 31 exercises, best of 2, 2026-12-03, load 1.7–2.4 with the bench itself), 16 of the
 * 17 Submits over a second ran 1.00–1.79× as fast as with one Worker (url-shortener 28.8 → 16.1 s, replicated-log
 * 14.1 → 8.3 s, chat-design 13.5 → 10.7 s, failure-detector 7.2 → 5.0 s, circuit-breaker 1.72 → 1.48 s;
 * reliable-queue 1.79 → 1.93 s). Of the 14 shorter ones it cost 8 3–260 ms (echo 114 → 146 ms, broadcast 776 →
 * 1,036 ms: each runner's JIT warms up on its share) and took 1–262 ms off the other 6. Spreading only after
 * 300 ms alone (the run pool's default) gained less on 14 of those 17 and saved at most 22 ms on the grades
 * under 0.3 s.
 */
const siteGraderOptions = { runners: "per-core", spillAfterMs: 0 } as const;

let grader: ReturnType<typeof createBrowserGrader> | undefined;
const getGrader = () => (grader ??= createBrowserGrader(siteGraderOptions));

/** Starts the iframe and Worker while the learner reads and types, so the first Run is quick. */
export function warmGrader(): void {
  getGrader()
    .warm()
    .catch(() => {
      /* a failed start is reported by the first grade, which tries again */
    });
}

export async function gradeInBrowser(
  request: GradeRequest,
  onProgress: (p: GradeProgress) => void,
  signal: AbortSignal,
): Promise<GradeOutcome> {
  try {
    return await getGrader().grade(request, { onProgress, signal });
  } catch (error) {
    return { kind: "crashed", message: `The grader failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
