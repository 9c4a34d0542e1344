import { runClients, type OpPlan } from "./client.ts";
import { performAll } from "./client-batches.ts";
import { replicaConvergence, replicaReadPlans, replicaReadRpc } from "./replica-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { sessionChecks } from "../checkers/session.ts";
import { causalOpsFromKv, checkCausal } from "../checkers/causal.ts";
import type { Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/**
 * session-kv: an eventually consistent key-value store seen through client sessions. Clients ask a different
 * node at random for every operation and carry a session token: each reply may hold a `session` field (any
 * JSON), and the client sends the last one it received with its next request. Each client writes only its own
 * key (its id, "c1"…) and reads every client's keys, so the versions of a key are ordered by its one writer.
 */
export const sessionKv: Workload = {
  name: "session-kv",
  summary:
    'An eventually consistent store with client sessions: {type: "write", key, value, session} and {type: "read", key, session}; every reply may carry a new `session`, which the client sends back with its next request.',
  rpcs: [
    { request: '{type: "write", key: string, value: number, session}', reply: '{type: "write_ok", session?}' },
    { request: '{type: "read", key: string, session}', reply: '{type: "read_ok", value, session?} (value null when the key has none)' },
    replicaReadRpc,
  ],
  driver(api, spec) {
    const sessions = new Map<string, unknown>();
    // Written values are unique across the run, so a read's value names the write it came from.
    let nextValue = 1;
    const keep = (client: string, reply: Body) => {
      if (Object.hasOwn(reply, "session")) sessions.set(client, reply.session);
    };
    return {
      start: () =>
        runClients(api, spec, (client): OpPlan => {
          const node = api.rng.pick(api.nodeIds);
          const session = sessions.get(client) ?? null;
          if (api.rng.chance(0.4)) {
            const value = nextValue++;
            const input = { key: client, value };
            return {
              node,
              f: "write",
              value: input,
              body: { type: "write", key: client, value, session },
              readValue: (reply) => {
                keep(client, reply);
                return input;
              },
            };
          }
          const key = api.rng.chance(0.5) ? client : api.rng.pick(api.clientIds);
          return {
            node,
            f: "read",
            value: { key },
            body: { type: "read", key, session },
            readValue: (reply) => {
              keep(client, reply);
              return reply.value ?? null;
            },
          };
        }),
      final: () => performAll(api, spec, replicaReadPlans(api.nodeIds, api.clientIds)),
    };
  },
  checks: {
    "read-your-writes": sessionChecks["read-your-writes"]!,
    "monotonic-reads": sessionChecks["monotonic-reads"]!,
    "monotonic-writes": sessionChecks["monotonic-writes"]!,
    "writes-follow-reads": sessionChecks["writes-follow-reads"]!,
    /** No read returns the value of a write answered with a definite error (a write reported failed stays invisible). */
    "no-aborted-reads": sessionChecks["no-aborted-reads"]!,
    "stale-reads": sessionChecks.staleness!,
    /** No read returns a value its causal past (session order, what was read, what those writes had seen) overwrote. */
    causal: (run) => checkCausal(causalOpsFromKv(completedOps(run.history))),
    /** Once faults heal and gossip had time, every node holds the same copy of every key. */
    convergence(run) {
      const keys = new Set<string>();
      for (const op of completedOps(run.history)) if (op.f === "replica_read") keys.add(String((op.value as { key: unknown }).key));
      return replicaConvergence(run, [...keys].sort());
    },
  },
};
