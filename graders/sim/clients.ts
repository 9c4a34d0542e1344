/**
 * What the simulator offers a workload: the clients' side of a run (send a request, wait, record the
 * operation) and the driver a workload hands back. Workloads (graders/workloads/) implement it; the
 * simulator imports nothing of theirs.
 */
import type { Rng } from "./prng.ts";
import type { ClientEvent } from "./history.ts";
import type { WorkloadSpec } from "./scenario.ts";
import type { Body } from "../harness/node/api.ts";

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
  record(op: ClientEvent): void;
  /**
   * Keep what a workload learned about a node's internal state (e.g. a status probe's answer, or null when
   * the node did not answer): checkers read it as `RunData.observations`, apart from the client history.
   */
  observe(node: string, timeMs: number, value: unknown): void;
  /**
   * Run a service at address `id` on the cluster's network (a payment provider, a stock system): nodes reach
   * it with node.send and node.rpc, and what goes between them is delayed, lost and duplicated as between
   * nodes. `reply` answers the request, later if the handler likes, to the life of the node that asked.
   */
  serve(id: string, handler: ServiceHandler): void;
}

/** A workload's service: it gets each request a node sends to its address. */
export type ServiceHandler = (src: string, body: Body, reply: (body: Body) => void) => void;

export interface WorkloadDriver {
  /** Called at virtual time 0. */
  start(): void;
  /** Called when the convergence deadline is reached, after faults were healed: final reads. */
  final(): void;
}

/** What the simulator needs of a workload: a driver for its clients. */
export interface WorkloadClients {
  driver(api: ClientApi, spec: WorkloadSpec): WorkloadDriver;
  /** Keep the run's true happens-before relation (sim/causality.ts) in RunData.causality. */
  recordsCausality?: boolean;
}
