import { clientTimeoutMs } from "../sim/defaults.ts";
import { perform, type OpPlan } from "./client.ts";
import type { ClientApi } from "./types.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";
import type { ClientOperation } from "../sim/history.ts";

/**
 * After faults heal and the convergence deadline passes, read every node once. Each client reads its share
 * of the nodes one after another, so a client never has two operations in flight.
 */
export function finalReads(api: ClientApi, spec: WorkloadSpec, plan: (node: string) => OpPlan): void {
  const clients = api.clientIds;
  clients.forEach((client, k) => {
    const mine = api.nodeIds.filter((_, i) => i % clients.length === k);
    const next = (i: number): void => {
      if (i < mine.length) perform(api, client, plan(mine[i]!), clientTimeoutMs(spec), () => next(i + 1));
    };
    next(0);
  });
}

/** The last ok read of each node, from the final reads. */
export function lastReadByNode<T>(ops: readonly ClientOperation[], f = "read"): Map<string, T> {
  const byNode = new Map<string, T>();
  for (const op of ops) if (op.f === f && op.status === "ok") byNode.set(op.node, op.output as T);
  return byNode;
}
