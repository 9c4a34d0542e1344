import type { Rng } from "../sim/prng.ts";
import type { HistoryOp, TraceEntry } from "../sim/history.ts";
import type { Knobs, ScenarioSpec, WorkloadSpec } from "../sim/scenario.ts";
import type { Body } from "../runtime/node-api.ts";

/** What a workload's clients can do inside the simulator. */
export interface ClientApi {
  readonly nodeIds: readonly string[];
  readonly clientIds: readonly string[];
  readonly rng: Rng;
  now(): number;
  /** True while the safety phase runs (clients issue operations); false once faults are healed. */
  inSafetyPhase(): boolean;
  /** Run `fn` after `delayMs` of virtual time. */
  at(delayMs: number, fn: () => void): void;
  /** Send a request from a client and get the reply body, or null when `timeoutMs` passed without one. */
  call(client: string, node: string, body: Body, timeoutMs: number, done: (reply: Body | null) => void): void;
  record(op: HistoryOp): void;
}

export interface WorkloadDriver {
  /** Called at virtual time 0. */
  start(): void;
  /** Called when the convergence deadline is reached, after faults were healed: final reads. */
  final(): void;
}

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

export interface Workload {
  name: string;
  /** One line for docs and errors: what the nodes must answer. */
  summary: string;
  /** The requests clients send and the replies they expect (shown in errors and docs). */
  rpcs: Array<{ request: string; reply: string }>;
  driver(api: ClientApi, spec: WorkloadSpec): WorkloadDriver;
  /** Checks this workload provides, by name. */
  checks: Record<string, CheckFn>;
}
