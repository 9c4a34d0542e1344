/**
 * What an estimation drill is: the assumptions the grader draws per seed (from ranges the drill states), and
 * its model, a list of steps from those assumptions to figures. Every step's figure is a field of the
 * learner's answer, so intermediate figures are graded as the final ones are. There is no answer key: the
 * model recomputes every figure from the seed's own assumptions.
 */

/** Values by name: the assumptions and, as the model runs, the figures computed so far. */
export type Values = Readonly<Record<string, number>>;

/**
 * How a figure is compared with the model's:
 * - "ratio": a positive quantity, compared by |log10(yours / model)|;
 * - "probability": strictly between 0 and 1, compared by the log10 of the odds p / (1 − p), so that 0.9999
 *   and 0.999 are as far apart as 10⁻⁴ and 10⁻³ (a ratio would call them equal);
 * - "nines": a figure already in nines (−log10 of an unavailability), compared by its difference.
 * Each measure is the same |log10| distance, so one tolerance serves all three.
 */
export type Compare = "ratio" | "probability" | "nines";

export interface AssumptionSpec {
  /** The field name the learner reads, unit last: `dailyActiveUsers`, `bytesPerObject`. */
  name: string;
  /** What it is, for the instructions and the knob lines. */
  description: string;
  min: number;
  max: number;
  /** "log": log-uniform (a size or count spanning orders of magnitude); "linear": uniform. */
  scale: "log" | "linear";
  /** Rounded to this many significant digits after drawing (default 2): stated inputs are round numbers. */
  digits?: number;
  /** For "linear": rounded to a multiple of this instead. */
  step?: number;
  /** Drawn from these values instead of the range (a price from the table has one). */
  choices?: readonly number[];
  /** Said when a figure is off by exactly this assumption's value: "the peak is that many times the mean". */
  factorHint?: string;
}

/** A recognised wrong formula for a step: when the learner's figure matches it, the message says this. */
export interface Mistake {
  compute(v: Values): number;
  says: string;
}

export interface StepSpec {
  /** The answer field this step computes, unit last: `peakQps`. */
  figure: string;
  /** Its check's name (lowercase letters and hyphens): what a failing test and a wrong solution name. */
  check: string;
  /** What the figure is, for the instructions and the API docs. */
  description: string;
  compare?: Compare;
  /** Assumptions and earlier figures the step reads. */
  inputs: readonly string[];
  /** The rule in words, naming its inputs: "meanQps × peakToMeanRatio". */
  rule: string;
  compute(v: Values): number;
  mistakes?: readonly Mistake[];
}

export interface Drill {
  /** The workload name its scenarios give: "estimate-qps". */
  name: string;
  title: string;
  /** One paragraph: the situation the assumptions describe. */
  summary: string;
  assumptions: readonly AssumptionSpec[];
  /** The model, in order: each step may read the assumptions and the figures of the steps before it. */
  steps: readonly StepSpec[];
  /** Draws that this rejects are drawn again (a stated relation, e.g. reads outnumber writes). */
  accept?: (a: Values) => boolean;
  /** Constants a figure may be off by, with what that usually means (8 bits per byte is known to all drills). */
  constants?: ReadonlyArray<{ value: number; says: string }>;
}

/** One field of the learner's answer as the realm described it: a finite number, or what it was instead. */
export type { ReplyField } from "../protocol/estimate-calls.ts";

// An estimation run and its outcome are shapes of the run contract (contract.ts), named here too because
// the drills read them from this folder.
export type { EstimateOutcome, EstimateRunData } from "../harness/estimate/run.ts";
