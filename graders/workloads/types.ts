import type { WorkloadSpec } from "../sim/scenario.ts";

// What the simulator offers a workload's clients is the simulator's own API (sim/clients.ts).
export type { ClientApi, WorkloadDriver } from "../sim/clients.ts";
import type { ClientApi, WorkloadDriver } from "../sim/clients.ts";

// The run contract lives below every layer (graders/contract.ts); re-exported for the workloads that name it
// here. Workloads are the node harness's, so their checks are a node run's: CheckFn here is NodeCheckFn.
export type { CheckOutcome } from "../contract.ts";
export type { NodeCheckFn as CheckFn, NodeRunData, RunStats } from "../harness/node/run.ts";
import type { NodeCheckFn as CheckFn } from "../harness/node/run.ts";

export interface Workload {
  name: string;
  /** One line for docs and errors: what the nodes must answer. */
  summary: string;
  /** The requests clients send and the replies they expect (shown in errors and docs). */
  rpcs: Array<{ request: string; reply: string }>;
  driver(api: ClientApi, spec: WorkloadSpec): WorkloadDriver;
  /** The run keeps its true happens-before relation (RunData.causality, sim/causality.ts). */
  recordsCausality?: boolean;
  /** Checks this workload provides, by name. */
  checks: Record<string, CheckFn>;
}
