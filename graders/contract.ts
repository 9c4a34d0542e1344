/**
 * The run contract: what one run hands the checkers, and what a check answers. Every layer imports it
 * from here (the simulator and engines produce it, the checkers and harnesses read it), so no layer has to
 * import the one above it for its types.
 */
import type { ClientEvent, TraceEntry } from "./sim/history.ts";
import type { FaultEvent, Knobs, ScenarioSpec } from "./sim/scenario.ts";
import type { CausalLog } from "./sim/causality.ts";
import type { ReplyField } from "./protocol/estimate-calls.ts";

/** The kinds of exercise: each is one harness (graders/harness/), and each has its own kind of run. */
export type HarnessName = "node" | "component" | "estimate" | "design";

/** What every run carries, whatever its harness: plain data copied out of the sandbox. */
interface RunBase {
  scenario: ScenarioSpec;
  knobs: Knobs;
  /** Engine events run and virtual time covered (a node run also counts its messages: RunStats). */
  stats: { events: number; simulatedMs: number };
  /** Uncaught errors and protocol errors, each naming the node (or realm). */
  errors: Array<{ node: string; timeMs: number; text: string }>;
  logs: Array<{ node: string; timeMs: number; text: string }>;
}

/** A node run: the clients' history and the messages between the learner's nodes. */
export interface NodeRunData extends RunBase {
  harness: "node";
  history: ClientEvent[];
  trace: TraceEntry[];
  stats: RunStats;
  /** What the workload observed of the nodes' state (ClientApi.observe), when it observed anything. */
  observations?: Observation[];
  /** The true happens-before relation, when the workload asked for it (sim/causality.ts). */
  causality?: CausalLog;
  /** Faults the scenario's script applied (sim/fault-script.ts), in order, when it has a script. */
  scriptedFaults?: FaultEvent[];
}

/** A component run: what the simulated system measured of the learner's object (components/). */
export interface ComponentRunData extends RunBase {
  harness: "component";
  components: SystemOutcome;
}

/** A design run: what the design engine measured of the learner's architecture (design/). */
export interface DesignRunData extends RunBase {
  harness: "design";
  design: DesignOutcome;
}

/** An estimation drill's run: the assumptions drawn and the learner's reply (estimate/). */
export interface EstimateRunData extends RunBase {
  harness: "estimate";
  estimate: EstimateOutcome;
}

/** Everything a checker sees of one run, tagged by the harness that made it. */
export type RunData = NodeRunData | ComponentRunData | DesignRunData | EstimateRunData;

/** The run of one harness. */
export type RunOf<H extends HarnessName> = Extract<RunData, { harness: H }>;

/**
 * A run as its engine hands it to the sandbox: the sandbox adds the harness, the scenario and the knobs
 * (sandbox/run-data.ts). `fatal` says the run could not finish (a budget): it becomes an error verdict.
 */
export type EngineResult<R extends RunData> = R extends RunData ? Omit<R, "harness" | "scenario" | "knobs"> & { fatal?: string } : never;

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

/** A check of one kind of run (a node run's unless said): it reads only what that kind of run carries. */
export type CheckFn<R extends RunData = NodeRunData> = (run: R, params: Record<string, number>) => CheckOutcome;

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

/** Plain data a component system returns: figures for the checks and the report, and the run's record hash. */
export interface SystemOutcome {
  figures: Record<string, number>;
  /** Per-server or per-step series a check explains itself with (numbers only). */
  series: Record<string, number[]>;
  recordHash: string;
  events: number;
  simulatedMs: number;
  /** Set when the run could not finish (a budget): becomes an error verdict. */
  fatal?: string;
}

/** What one estimation run recorded, inside the sandbox: the assumptions drawn and the learner's reply. */
export interface EstimateOutcome {
  drill: string;
  assumptions: Record<string, number>;
  /** The answer's fields in the order the learner's object had them, or undefined when there was none. */
  reply?: ReplyField[];
  /** Why there is no reply: the function threw, is missing, returned a non-object… */
  fault?: string;
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

