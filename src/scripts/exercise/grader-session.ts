// One browser grader per page, shared by every exercise on it: the client creates its sandboxed iframe
// and Worker on first use (or on warm()), and kills them when a grade is aborted or overruns.
import { createBrowserGrader } from "../../grader/client.ts";
import type { GradeOutcome, GradeProgress, GradeRequest } from "../../grader/types.ts";

let grader: ReturnType<typeof createBrowserGrader> | undefined;
const getGrader = () => (grader ??= createBrowserGrader());

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
