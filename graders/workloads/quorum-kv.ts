import { runClients, type OpPlan } from "./client.ts";
import { performAll } from "./client-batches.ts";
import { replicaConvergence, replicaReadPlans, replicaReadRpc } from "./replica-reads.ts";
import { sessionChecks } from "../checkers/session.ts";
import type { Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";
import { zipfSampler } from "../sim/requests/distributions.ts";

/**
 * Keys are Zipf-distributed (skew 0.99, as YCSB) over a key space large enough that a store which only works
 * for a few keys (a bounded table, a cache that forgets, a repair that covers the hottest keys) shows it, while
 * the hottest keys still see the concurrent writes and reads that stale reads need. The final phase reads every
 * key on every node, so the key space is bounded by what the clients can inspect in the time it has.
 */
const defaultKeyCount = 48;
const keySkew = 0.99;
const keyCountOf = (spec: WorkloadSpec) => Math.max(1, Number(spec.options?.keys ?? defaultKeyCount));

/** What a quorum-kv operation records: the key, and the value written (writes) or read (the completion). */
export interface QuorumKvValue {
  key: number;
  value?: unknown;
}

/**
 * quorum-kv: Dynamo-style replication. Every node stores a copy of every key (N = the cluster size) and any node
 * coordinates a request: a write is acknowledged once `w` replicas stored it, a read answers once `r` replicas
 * replied. `r` and `w` come with each request (like a per-query consistency level).
 */
export const quorumKv: Workload = {
  name: "quorum-kv",
  summary:
    'A replicated key-value store with per-request quorums: {type: "write", key, value, w} is acknowledged once w replicas hold it, {type: "read", key, r} answers once r replicas replied; {type: "replica_read", key} shows one node\'s own copy.',
  rpcs: [
    { request: '{type: "write", key: number, value: number, w: number}', reply: '{type: "write_ok"} once w replicas stored it' },
    { request: '{type: "read", key: number, r: number}', reply: '{type: "read_ok", value} (null when no replica has the key) once r replicas replied' },
    replicaReadRpc,
  ],
  driver(api, spec) {
    const keys = keyCountOf(spec);
    const pickKey = zipfSampler(keys, keySkew, api.rng);
    const r = Number(spec.options?.r ?? 1);
    const w = Number(spec.options?.w ?? 1);
    // Written values are unique across the run, so a read's value names the write it came from.
    let nextValue = 1;
    const readPlan = (node: string, key: number): OpPlan => ({
      node,
      f: "read",
      value: { key },
      body: { type: "read", key, r },
      readValue: (reply: Body) => reply.value ?? null,
    });
    return {
      start: () =>
        runClients(api, spec, () => {
          const node = api.rng.pick(api.nodeIds);
          const key = pickKey();
          if (api.rng.chance(0.5)) return readPlan(node, key);
          const value = nextValue++;
          return { node, f: "write", value: { key, value }, body: { type: "write", key, value, w } };
        }),
      // After the heal: one quorum read of every key (the chance to repair), then every node's own copy.
      final: () => {
        const keyList = Array.from({ length: keys }, (_, k) => k);
        const repairReads = keyList.map((key) => readPlan(api.rng.pick(api.nodeIds), key));
        const inspections = replicaReadPlans(api.nodeIds, keyList);
        performAll(api, spec, repairReads, () => api.at(100, () => performAll(api, spec, inspections)));
      },
    };
  },
  checks: {
    /** No read returns a value certainly superseded by a write acknowledged before the read began. */
    "no-stale-reads": sessionChecks["no-stale-reads"]!,
    /** No read returns the value of a write answered with a definite error (a write reported failed stays invisible). */
    "no-aborted-reads": sessionChecks["no-aborted-reads"]!,
    /** Reports the stale-read rate and how far behind stale reads were; param maxRate fails above it. */
    "stale-reads": sessionChecks.staleness!,
    /** After the heal and one read of each key, every node's own copy of every key is the same. */
    convergence(run) {
      const keys = keyCountOf(run.scenario.workload);
      return replicaConvergence(run, Array.from({ length: keys }, (_, k) => k));
    },
  },
};
