/**
 * The page's side of in-browser grading: one sandboxed iframe and Worker, created on first use, killed
 * (and made again on the next grade) when the learner presses Stop or a run passes its wall-time budget.
 * A synchronous infinite loop cannot be interrupted from inside the Worker; removing the iframe ends it.
 */
import { defaultSandboxLimits } from "../../graders/index.ts";
import { createGraderFrame } from "./frame.ts";
import type { GradeOutcome, GradeProgress, GradeRequest } from "./types.ts";

export interface BrowserGrader {
  /**
   * Starts the iframe and its Workers ahead of the first grade (e.g. when the editor opens); resolves once
   * every Worker is ready. A grade waits only for the grading Worker: runners still booting join its runs.
   */
  warm(): Promise<void>;
  grade(request: GradeRequest, options?: { onProgress?(progress: GradeProgress): void; signal?: AbortSignal }): Promise<GradeOutcome>;
  dispose(): void;
}

type FromFrame =
  | { type: "frame-ready" }
  | { type: "ready" }
  | { type: "all-ready" }
  | { type: "progress"; progress: GradeProgress }
  | { type: "outcome"; outcome: GradeOutcome }
  | { type: "worker-error"; message: string };

/** Real time one run may take, as in the CLI: what the page counts down while a run goes. */
export const RUN_WALL_BUDGET_MS = defaultSandboxLimits.wallMs;
/**
 * Real time allowed between two progress reports: the run's budget plus slack, so that the sandbox's
 * own verdict (which names the budget and the node) wins whenever the run can still report it.
 */
const runBudgetMs = RUN_WALL_BUDGET_MS + 2_000;

export interface BrowserGraderOptions {
  /**
   * Workers beside the grading one that take runs of a grade: a number, or "per-core" (one per further core),
   * at most three. Default 0, one Worker: on a machine busy with other work the runners gained nothing (the
   * session's CPU share does not grow with its threads) and each run's wall time grew toward its budget. The
   * site asks for "per-core" with spillAfterMs 0, measured on idle cores (src/scripts/exercise/grader-session.ts;
   * bench/browser-submit.ts compares the three).
   */
  runners?: number | "per-core";
  /**
   * How long a grade runs in the grading Worker alone before its runs spread over the runners, in ms
   * (default: run-pool.ts's spillAfterMs). 0 spreads every grade from its first run.
   */
  spillAfterMs?: number;
}

export function createBrowserGrader(graderOptions: BrowserGraderOptions = {}): BrowserGrader {
  let frame: HTMLIFrameElement | undefined;
  let started: Promise<void> | undefined;
  let listener: ((message: FromFrame) => void) | undefined;
  let busy = false;
  /** Every Worker of the current frame ready (or the frame gone): what warm() waits for. */
  let allReady: Promise<void> = Promise.resolve();
  let markAllReady = () => {};

  const onMessage = (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow) return;
    const message = event.data as FromFrame;
    // Apart from the listener: it may come during the first grade, whose listener has replaced start's.
    if (message.type === "all-ready") markAllReady();
    else listener?.(message);
  };

  const kill = () => {
    frame?.remove();
    frame = undefined;
    started = undefined;
    markAllReady();
    listener = undefined;
    window.removeEventListener("message", onMessage);
  };

  const start = (): Promise<void> =>
    (started ??= (async () => {
      const { default: source } = await import("virtual:clusterlab/grader-worker");
      frame = createGraderFrame();
      allReady = new Promise<void>((resolve) => (markAllReady = resolve));
      window.addEventListener("message", onMessage);
      await new Promise<void>((resolve, reject) => {
        listener = (message) => {
          if (message.type === "frame-ready") frame!.contentWindow!.postMessage({ type: "boot", source, runners: graderOptions.runners, spillAfterMs: graderOptions.spillAfterMs }, "*");
          else if (message.type === "ready") resolve();
          else if (message.type === "worker-error") reject(new Error(message.message));
        };
        document.body.append(frame!);
      });
    })().catch((error: unknown) => {
      kill();
      throw error;
    }));

  return {
    warm: async () => {
      await start();
      await allReady;
    },
    async grade(request, options = {}) {
      if (busy) throw new Error("a grade is already running: wait for it or stop it first");
      busy = true;
      try {
        if (options.signal?.aborted) return { kind: "stopped" };
        try {
          await start();
        } catch (error) {
          return { kind: "crashed", message: `the grader could not start: ${String((error as Error)?.message ?? error)}` };
        }
        return await new Promise<GradeOutcome>((resolve) => {
          let last: GradeProgress | undefined;
          let watchdog: ReturnType<typeof setTimeout> | undefined;
          const finish = (outcome: GradeOutcome, dead: boolean) => {
            clearTimeout(watchdog);
            options.signal?.removeEventListener("abort", onAbort);
            if (dead) kill();
            else listener = undefined;
            resolve(outcome);
          };
          const arm = () => {
            clearTimeout(watchdog);
            watchdog = setTimeout(() => {
              const where = last && last.done < last.total ? { name: last.name, seed: last.seed } : {};
              finish({ kind: "timed-out", budgetMs: RUN_WALL_BUDGET_MS, ...where }, true);
            }, runBudgetMs);
          };
          const onAbort = () => finish({ kind: "stopped" }, true);
          options.signal?.addEventListener("abort", onAbort);
          listener = (message) => {
            if (message.type === "progress") {
              last = message.progress;
              arm();
              options.onProgress?.(message.progress);
            } else if (message.type === "outcome") finish(message.outcome, false);
            else if (message.type === "worker-error") finish({ kind: "crashed", message: `the grader stopped: ${message.message} (out of memory?)` }, true);
          };
          arm();
          frame!.contentWindow!.postMessage({ type: "grade", request }, "*");
        });
      } finally {
        busy = false;
      }
    },
    dispose: kill,
  };
}
