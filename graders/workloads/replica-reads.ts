import { completedOps } from "../checkers/history-ops.ts";
import { checkConvergence } from "../checkers/session.ts";
import type { OpPlan } from "./client.ts";
import type { CheckOutcome, NodeRunData } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/**
 * How the grader looks inside replicated stores: `{type: "replica_read", key}` asks one node for its own copy
 * (`replica_read_ok {value}`, null when it has none), without the node asking anyone else.
 */
export const replicaReadRpc = {
  request: '{type: "replica_read", key}',
  reply: "{type: \"replica_read_ok\", value} with this node's own copy, without asking anyone (null when it has none)",
};

/** One replica_read of every key at every node. */
export function replicaReadPlans(nodeIds: readonly string[], keys: readonly (string | number)[]): OpPlan[] {
  return nodeIds.flatMap((node) =>
    keys.map((key): OpPlan => ({
      node,
      f: "replica_read",
      value: { key },
      body: { type: "replica_read", key },
      readValue: (reply: Body) => reply.value ?? null,
    })),
  );
}

/** Every node's last replica_read of every key agrees (a key no node has counts as agreement). */
export function replicaConvergence(run: NodeRunData, keys: readonly (string | number)[]): CheckOutcome {
  const finals = new Map<string, Map<string, unknown>>(run.knobs.nodeIds.map((n) => [n, new Map()]));
  const answered = new Set<string>();
  for (const op of completedOps(run.history)) {
    if (op.f !== "replica_read" || op.status !== "ok") continue;
    const key = String((op.value as { key: unknown }).key);
    answered.add(`${op.node} ${key}`);
    if (op.output === null || op.output === undefined) finals.get(op.node)?.delete(key);
    else finals.get(op.node)?.set(key, op.output);
  }
  const silent = run.knobs.nodeIds.filter((n) => keys.some((k) => !answered.has(`${n} ${k}`)));
  if (silent.length) {
    return { ok: false, message: `${silent.join(", ")} did not answer every final {type: "replica_read", key} with replica_read_ok {value}: the grader cannot see their copies.` };
  }
  return checkConvergence(finals);
}
