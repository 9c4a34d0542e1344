import { runClients } from "./client.ts";
import { finalReads, lastReadByNode } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { percentile } from "../checkers/stats.ts";
import type { ClientApi, Workload } from "./types.ts";
import type { Body } from "../runtime/node-api.ts";

/** The neighbours each node is told about in the `topology` message. */
export function topology(kind: string, ids: readonly string[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const side = Math.ceil(Math.sqrt(ids.length));
  ids.forEach((id, i) => {
    let neighbours: number[];
    if (kind === "line") neighbours = [i - 1, i + 1];
    else if (kind === "full") neighbours = ids.map((_, j) => j).filter((j) => j !== i);
    else if (kind === "none") neighbours = [];
    else {
      // grid: left, right, up, down in a square of side ⌈√n⌉
      neighbours = [];
      if (i % side > 0) neighbours.push(i - 1);
      if (i % side < side - 1) neighbours.push(i + 1);
      neighbours.push(i - side, i + side);
    }
    result[id] = neighbours.filter((j) => j >= 0 && j < ids.length).map((j) => ids[j]!);
  });
  return result;
}

/** broadcast: values sent to any node must reach every node; `read` returns all values a node has seen. */
export const broadcast: Workload = {
  name: "broadcast",
  summary: 'Gossip every value of {type: "broadcast", message: n} to all nodes; answer {type: "read"} with every value seen.',
  rpcs: [
    { request: '{type: "topology", topology: {n1: ["n2", …], …}}', reply: '{type: "topology_ok"}' },
    { request: '{type: "broadcast", message: number}', reply: '{type: "broadcast_ok"}' },
    { request: '{type: "read"}', reply: '{type: "read_ok", messages: number[]}' },
  ],
  driver(api: ClientApi, spec) {
    let nextValue = 0;
    const readPlan = (node: string) => ({
      node,
      f: "read",
      value: null,
      body: { type: "read" },
      readValue: (reply: Body) => reply.messages,
    });
    return {
      start: () => {
        const topo = topology(String(spec.options?.topology ?? "grid"), api.nodeIds);
        for (const node of api.nodeIds) api.call("c1", node, { type: "topology", topology: topo }, 1000, () => {});
        // Let the topology land before the first operation.
        api.at(10, () =>
          runClients(api, spec, () => {
            const node = api.rng.pick(api.nodeIds);
            if (api.rng.chance(0.5)) return readPlan(node);
            const value = nextValue++;
            return { node, f: "broadcast", value, body: { type: "broadcast", message: value } };
          }),
        );
      },
      final: () => finalReads(api, spec, readPlan),
    };
  },
  checks: {
    /** Every acknowledged broadcast (and every value some read returned) is in every node's final read. */
    delivery(run) {
      const ops = completedOps(run.history);
      const acked = new Set<number>();
      for (const op of ops) if (op.f === "broadcast" && op.type === "ok") acked.add(op.input as number);
      const finals = lastReadByNode<unknown>(ops.filter((op) => op.invokeMs >= run.scenario.durationMs));
      const problems: string[] = [];
      for (const node of run.knobs.nodeIds) {
        const read = finals.get(node);
        if (!Array.isArray(read)) {
          problems.push(`${node} did not answer its final read with read_ok {messages: [...]}`);
          continue;
        }
        const have = new Set(read);
        const missing = [...acked].filter((v) => !have.has(v));
        if (missing.length) {
          problems.push(`${node} is missing ${missing.length} of ${acked.size} acknowledged values (e.g. ${missing.slice(0, 5).join(", ")})`);
        }
      }
      if (problems.length) {
        return {
          ok: false,
          message: `After the faults healed and ${run.scenario.settleMs ?? 1000} ms of quiet, every node must have every acknowledged value. ${problems.slice(0, 4).join("; ")}${problems.length > 4 ? `; and ${problems.length - 4} more nodes` : ""}. A message lost to a partition is never redelivered by the network: retry until the peer acknowledges.`,
          metrics: { acked: acked.size },
        };
      }
      if (acked.size === 0) return { ok: false, message: "no broadcast was acknowledged" };
      return { ok: true, message: `${acked.size} acknowledged values reached all ${run.knobs.nodeIds.length} nodes`, metrics: { acked: acked.size } };
    },
    /**
     * Stable latency (as Maelstrom measures it): for each acknowledged value, the time from its broadcast to the
     * last read, started later, that still did not contain it. Params: p50Max, maxMax (ms).
     */
    "stable-latency"(run, params) {
      const ops = completedOps(run.history);
      const reads = ops.filter((op) => op.f === "read" && op.type === "ok" && Array.isArray(op.output));
      const readSets = reads.map((op) => ({ at: op.invokeMs, set: new Set(op.output as unknown[]) }));
      const latencies: number[] = [];
      for (const op of ops) {
        if (op.f !== "broadcast" || op.type !== "ok") continue;
        let lastMissing = op.invokeMs;
        for (const read of readSets) if (read.at > op.invokeMs && !read.set.has(op.input)) lastMissing = Math.max(lastMissing, read.at);
        latencies.push(lastMissing - op.invokeMs);
      }
      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 0.5);
      const max = latencies.length ? latencies[latencies.length - 1]! : 0;
      const metrics = { stableLatencyP50Ms: round(p50), stableLatencyMaxMs: round(max) };
      const over: string[] = [];
      if (params.p50Max !== undefined && p50 > params.p50Max) over.push(`median ${round(p50)} ms > ${params.p50Max} ms`);
      if (params.maxMax !== undefined && max > params.maxMax) over.push(`max ${round(max)} ms > ${params.maxMax} ms`);
      if (over.length) {
        return { ok: false, message: `Values take too long to reach every node: ${over.join(", ")}. Each hop costs one network latency; a shallow spanning tree or direct fan-out keeps the path short.`, metrics };
      }
      return { ok: true, message: `stable latency median ${round(p50)} ms, max ${round(max)} ms`, metrics };
    },
  },
};

const round = (x: number) => Math.round(x * 10) / 10;
