import type { Knobs, ScenarioSpec } from "../sim/scenario.ts";
import type { RunData } from "../contract.ts";
import type { HarnessName } from "../harness/types.ts";

/** Budgets for one sandboxed run; each one exceeded becomes a verdict that names it. */
export interface SandboxLimits {
  wallMs: number;
  memoryMb: number;
}

export const defaultSandboxLimits: SandboxLimits = { wallMs: 10_000, memoryMb: 128 };

export interface RunRequest {
  scenario: ScenarioSpec;
  knobs: Knobs;
  /** The learner's solution, already transpiled to a script that sets `__clusterlab_solution`. */
  solutionJs: string;
  limits?: Partial<SandboxLimits>;
  /** Which harness's learner realms to boot (default "node"): see harness/index.ts. */
  harness?: HarnessName;
}

export type { BudgetKind } from "../contract.ts";
import type { BudgetKind } from "../contract.ts";

/** A run either produced data for the checkers, or could not complete (a budget, a crash of the sandbox). */
export type RunOutcome =
  | { kind: "data"; data: RunData; wallMs: number; /** Sandbox heap in use at the end of the run, when known. */ heapUsedBytes?: number }
  | { kind: "error"; message: string; wallMs: number; /** Set when a budget, not the solution's own error, ended the run. */ budget?: BudgetKind };

/** The same contract in Node (isolated-vm) and in the browser (a Worker). */
export interface Sandbox {
  run(request: RunRequest): Promise<RunOutcome>;
  /**
   * How many runs it takes at once, each in a realm of its own (default 1): grade() keeps that many in
   * flight and still judges them in order, so the results are the same as one at a time.
   */
  concurrency?: number;
}
