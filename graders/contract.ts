/**
 * The run contract: what one run hands the checkers, and what a check answers. Every layer imports it
 * from here (the simulator and engines produce it, the checkers and harnesses read it), so no layer has to
 * import the one above it for its types.
 */
import type { HistoryOp, TraceEntry } from "./sim/history.ts";
import type { Knobs, ScenarioSpec } from "./sim/scenario.ts";

/** Everything a checker sees of one run: plain data copied out of the sandbox. */
export interface RunData {
  scenario: ScenarioSpec;
  knobs: Knobs;
  history: HistoryOp[];
  trace: TraceEntry[];
  stats: RunStats;
  /** Uncaught errors and protocol errors, each naming the node. */
  errors: Array<{ node: string; timeMs: number; text: string }>;
  logs: Array<{ node: string; timeMs: number; text: string }>;
}

export interface RunStats {
  events: number;
  simulatedMs: number;
  /** Node-to-node messages sent (client traffic excluded), and all messages. */
  serverMessages: number;
  messagesSent: number;
  messagesDelivered: number;
  messagesDropped: number;
  bytesSent: number;
  /** Messages each node sent. */
  sentByNode: Record<string, number>;
  /** Whether the trace was cut at its cap. */
  traceTruncated: boolean;
}

export interface CheckOutcome {
  ok: boolean;
  /** Teaches: what was expected, what happened, the smallest evidence. */
  message: string;
  metrics?: Record<string, number>;
}

export type CheckFn = (run: RunData, params: Record<string, number>) => CheckOutcome;

/**
 * Which budget stopped a run. A wall-time or memory budget is spent in real resources, so the grader stops
 * the rest of the grade after one (a looping solution would spend it again on every run); the others are
 * per-run verdicts.
 */
export type BudgetKind = "wall" | "memory" | "events" | "output" | "message";

/**
 * What a design run measured (harness "design", graders/design/): plain data made inside the sandbox. Its
 * figures are per request type and per phase ("resolve.during.p99Ms"), per component ("util.db"), the
 * prompt's correctness counts, RPO, RTO and cost; `findings` holds the design's problems and the first
 * example of each violation, in words.
 */
export interface DesignOutcome {
  figures: Record<string, number>;
  /** Per-second series over the run (numbers only), for charts: e.g. "ok.resolve", "all.resolve". */
  series: Record<string, number[]>;
  findings: Record<string, string>;
  /** Dollars per month by line of the price table. */
  cost: Record<string, number>;
  recordHash: string;
  events: number;
  simulatedMs: number;
  fatal?: string;
}

export interface DesignRunData extends RunData {
  design: DesignOutcome;
}

export function isDesignRun(run: RunData): run is DesignRunData {
  return (run as Partial<DesignRunData>).design !== undefined;
}
