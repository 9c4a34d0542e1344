// The line under the toolbar while a grade runs: which run of how many, and how much of the current
// run's wall-time budget is left, counted down between the grader's progress reports. A learner whose
// loop never ends sees the budget run out instead of a bar that stopped moving.
import type { GradeProgress } from "../../grader/types.ts";

/**
 * Pure: the status line for a run in progress. Once a run has failed it says so, with the first failure,
 * so a learner need not wait for the last of 25 runs to learn that the first one failed (and may Stop).
 */
export function progressLine(p: GradeProgress, msLeft: number, budgetMs: number): string {
  const failing = badSoFar(p);
  if (p.done >= p.total) return `All ${p.total} runs done: checking…${failing}`;
  const left = Math.max(0, Math.ceil(msLeft / 1000));
  return `Run ${p.done + 1} of ${p.total}: ${p.name}, seed ${p.seed} · ${left} s left of its ${Math.round(budgetMs / 1000)} s budget${failing}`;
}

function badSoFar({ bad }: GradeProgress): string {
  if (!bad?.runs || !bad.first) return "";
  const { first } = bad;
  const what = first.status === "error" ? "an error" : first.check ? `${first.check} failed` : "failed";
  return ` · ${bad.runs === 1 ? "1 run" : `${bad.runs} runs`} failed so far (the first: ${what} in ${first.name}, seed ${first.seed})`;
}

export interface GradingStatus {
  /** Indeterminate bar and a message (compiling, starting the grader). */
  phase(text: string): void;
  progress(p: GradeProgress): void;
  /** Stops the countdown; the caller writes the final line. */
  done(): void;
}

export function createGradingStatus(bar: HTMLProgressElement, text: HTMLElement, budgetMs: number): GradingStatus {
  let timer: ReturnType<typeof setInterval> | undefined;
  let last: GradeProgress | undefined;
  let since = 0;
  const render = () => {
    if (last) text.textContent = progressLine(last, budgetMs - (performance.now() - since), budgetMs);
  };
  const stopTicking = () => {
    clearInterval(timer);
    timer = undefined;
  };
  return {
    phase(message) {
      stopTicking();
      last = undefined;
      bar.removeAttribute("value");
      text.textContent = message;
    },
    progress(p) {
      last = p;
      since = performance.now();
      bar.max = Math.max(1, p.total);
      bar.value = p.done;
      render();
      timer ??= setInterval(render, 250);
    },
    done() {
      stopTicking();
      last = undefined;
    },
  };
}
