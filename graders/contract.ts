/**
 * The run contract: what one run hands the checkers, and what a check answers. Every layer imports it
 * from here (the simulator and engines produce it, the checkers and harnesses read it), so no layer has to
 * import the one above it for its types.
 */
import type { ClientEvent, TraceEntry } from "./sim/history.ts";
import type { Knobs, ScenarioSpec } from "./sim/scenario.ts";
import type { CausalLog } from "./sim/causality.ts";

/** Everything a checker sees of one run: plain data copied out of the sandbox. */
export interface RunData {
  scenario: ScenarioSpec;
  knobs: Knobs;
  history: ClientEvent[];
  trace: TraceEntry[];
  stats: RunStats;
  /** Uncaught errors and protocol errors, each naming the node. */
  errors: Array<{ node: string; timeMs: number; text: string }>;
  logs: Array<{ node: string; timeMs: number; text: string }>;
  /** What the workload observed of the nodes' state (ClientApi.observe), when it observed anything. */
  observations?: Observation[];
  /** The true happens-before relation, when the workload asked for it (sim/causality.ts). */
  causality?: CausalLog;
}

/** One observation of a node's state by the workload, at virtual time `timeMs`. */
export interface Observation {
  node: string;
  timeMs: number;
  value: unknown;
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

