/**
 * The contract between the exercise UI (editor, run panel) and the in-browser grader (a Worker created
 * from a sandboxed iframe). Plain data only: everything here crosses postMessage.
 */
import type { BadSoFar, FaultEvent, Results, TestResult, TraceEntry } from "../../graders/index.ts";

/** Run = a few quick seeds per scenario; submit = every task, scenario and seed, as the CLI grades. */
export type GradeMode = "run" | "submit";

export interface GradeRequest {
  slug: string;
  /** The learner's TypeScript, exactly as typed (used for the replay label and the download). */
  source: string;
  /** The solution as emitted by Monaco's TypeScript with `solutionCompilerOptions` (CommonJS). */
  emittedJs: string;
  /** The emit's source map (the .js.map TypeScript wrote beside it): runtime errors then name lines of `source`. */
  sourceMap?: string;
  mode: GradeMode;
  /** Only these seeds (default: run → 1…2, submit → 1…exercise.seeds). */
  seeds?: number[];
  /** Only this scenario (1-based index), as `--scenario` in the CLI. */
  scenario?: number;
}

export interface GradeProgress {
  done: number;
  total: number;
  seed: number;
  /** "<task> > <scenario>" being graded. */
  name: string;
  /** Runs judged so far that failed or erred, and the first of them (graders/grade.ts BadSoFar). */
  bad?: BadSoFar;
}

/** What the message diagram needs to draw the run that failed first. */
export interface FailingRun {
  test: TestResult;
  nodeIds: string[];
  clientIds: string[];
  /** Messages in send order (capped by the simulator; `truncated` says whether it was cut). */
  trace: TraceEntry[];
  truncated: boolean;
  faults: FaultEvent[];
  /** When the safety phase ended and faults healed (virtual ms), and when the run ended. */
  healMs: number;
  endMs: number;
  /** Node log lines and uncaught errors, in time order. */
  logs: Array<{ node: string; timeMs: number; text: string }>;
  errors: Array<{ node: string; timeMs: number; text: string }>;
}

export type GradeOutcome =
  | { kind: "results"; results: Results; failing?: FailingRun }
  /** The solution did not compile: positions are 1-based in the learner's source. */
  | { kind: "compile-error"; errors: Array<{ line: number; column: number; text: string }> }
  /** The learner pressed Stop. */
  | { kind: "stopped" }
  /**
   * A run sent no progress within the wall-time budget (a synchronous infinite loop cannot report
   * anything), so the page removed the grader: which run, and the budget it overran.
   */
  | { kind: "timed-out"; budgetMs: number; name?: string; seed?: number }
  /** The Worker was killed at its deadline or died (out of memory, …): the message says which. */
  | { kind: "crashed"; message: string };
