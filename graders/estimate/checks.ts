/**
 * A drill's checks: "no-errors" (the function ran and returned an object), "answer" (the object has exactly
 * the drill's fields, each a finite number), and one per figure, named by the drill (`peak-qps`), which
 * passes with full credit only. Every message ends with the whole answer's credit, figure by figure.
 */
import type { CheckFn } from "../contract.ts";
import type { EstimateRunData } from "../harness/estimate/run.ts";
import { creditSummary, judgeEstimate } from "./judge.ts";
import type { Drill } from "./types.ts";

export function drillChecks(drill: Drill): Record<string, CheckFn<EstimateRunData>> {
  const checks: Record<string, CheckFn<EstimateRunData>> = {
    "no-errors"(run) {
      const j = judgeEstimate(run);
      if (j.answer.fault === undefined) return { ok: true, message: "your function ran and returned an object" };
      return { ok: false, message: j.answer.fault };
    },
    answer(run) {
      const j = judgeEstimate(run);
      if (j.answer.problems.length === 0) return { ok: true, message: `${j.figures.length} figures, each a finite number; ${creditSummary(j)}` };
      const [first, ...rest] = j.answer.problems;
      return { ok: false, message: `${first}${rest.length ? `; and ${rest.join("; ")}` : ""}. ${creditSummary(j)}` };
    },
  };
  for (const step of drill.steps) {
    checks[step.check] = (run) => {
      const j = judgeEstimate(run);
      const f = j.figures.find((x) => x.figure === step.figure)!;
      return f.credit === 1 ? { ok: true, message: f.message } : { ok: false, message: `${f.message} (${creditSummary(j)})` };
    };
  }
  return checks;
}

/** The checks a drill's task names, in the order a learner should read their failures: the answer's shape, then the model's steps. */
export function drillCheckSpecs(drill: Drill): Array<{ name: string }> {
  return [{ name: "answer" }, ...drill.steps.map((s) => ({ name: s.check }))];
}
