/**
 * The node harness's kind of run (see contract.ts HarnessRuns): the clients' history, the messages between
 * the learner's nodes, and what the workload observed of them.
 */
import type { CheckFn, RunBase } from "../../contract.ts";
import type { ClientEvent, TraceEntry } from "../../sim/history.ts";
import type { FaultEvent } from "../../sim/scenario.ts";
import type { CausalLog } from "../../sim/causality.ts";

/** A node run: the clients' history and the messages between the learner's nodes. */
export interface NodeRunData extends RunBase<"node"> {
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

/** A check of a node run: every workload's and node checker's. */
export type NodeCheckFn = CheckFn<NodeRunData>;

declare module "../../contract.ts" {
  interface HarnessRuns {
    node: NodeRunData;
  }
}
