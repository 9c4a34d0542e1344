/**
 * The run contract: what one run hands the checkers, and what a check answers. Every layer imports it
 * from here (the simulator and engines produce it, the checkers and harnesses read it), so no layer has to
 * import the one above it for its types.
 */
import type { Knobs, ScenarioSpec } from "./sim/scenario.ts";

/**
 * The kinds of run, by harness: each harness folder adds its own in its run.ts, by declaration merging
 * (`declare module "../../contract.ts" { interface HarnessRuns { queue: QueueRunData } }`), so the
 * contract names no harness and adding one edits nothing here. A run kind extends RunBase<its name>.
 */
export interface HarnessRuns {}

/** The kinds of exercise: each is one harness (graders/harness/), and each has its own kind of run. */
export type HarnessName = keyof HarnessRuns & string;

/** What every run carries, whatever its harness: plain data copied out of the sandbox. */
export interface RunBase<H extends string = string> {
  /** The harness that made the run (its key in HarnessRuns). */
  harness: H;
  scenario: ScenarioSpec;
  knobs: Knobs;
  /** Engine events run and virtual time covered (a node run also counts its messages: RunStats). */
  stats: { events: number; simulatedMs: number };
  /** Uncaught errors and protocol errors, each naming the node (or realm). */
  errors: Array<{ node: string; timeMs: number; text: string }>;
  logs: Array<{ node: string; timeMs: number; text: string }>;
}

/** Everything a checker sees of one run, tagged by the harness that made it. */
export type RunData = HarnessRuns[HarnessName];

/** The run of one harness. */
export type RunOf<H extends HarnessName> = HarnessRuns[H];

/** Holds that every harness's run is tagged with that harness's own name (a compile error otherwise). */
export type RunsTaggedByHarness = AssertTrue<{ [H in HarnessName]: HarnessRuns[H] extends RunBase<H> ? true : false }[HarnessName]>;
type AssertTrue<T extends true> = T;

/**
 * A run as its engine hands it to the sandbox: the sandbox adds the harness, the scenario and the knobs
 * (sandbox/run-data.ts). `fatal` says the run could not finish (a budget): it becomes an error verdict.
 */
export type EngineResult<R extends RunData> = R extends RunData ? Omit<R, "harness" | "scenario" | "knobs"> & { fatal?: string } : never;

export interface CheckOutcome {
  ok: boolean;
  /** Teaches: what was expected, what happened, the smallest evidence. */
  message: string;
  metrics?: Record<string, number>;
}

/** A check of one kind of run (`CheckFn<RunOf<"node">>`…): it reads only what that kind of run carries. */
export type CheckFn<R extends RunData> = (run: R, params: Record<string, number>) => CheckOutcome;

/**
 * Which budget stopped a run. A wall-time or memory budget is spent in real resources, so the grader stops
 * the rest of the grade after one (a looping solution would spend it again on every run); the others are
 * per-run verdicts.
 */
export type BudgetKind = "wall" | "memory" | "events" | "output" | "message";

/** What an exercise asks of one step (a task): its scenarios and the checks every run of them must pass. */
export interface CheckSpec {
  /** A check of the workload (e.g. "delivery") or a generic one ("no-errors", "msgs-per-op", "availability", "latency"). */
  name: string;
  params?: Record<string, number>;
}

export interface TaskDef {
  /** Stable id, kebab-case: used in results and replay commands. */
  id: string;
  title: string;
  /** What this step adds (faults, scale, a budget), in a sentence or two. */
  description: string;
  scenarios: ScenarioSpec[];
  checks: CheckSpec[];
  /**
   * What the task is worth in a classroom grade (`clusterlab grade --format classroom`), default 1: it scores
   * these points × the share of its runs that passed (graders/report/classroom.ts).
   */
  points?: number;
}

