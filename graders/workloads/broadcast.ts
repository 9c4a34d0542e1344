import { settleMsOf } from "../sim/defaults.ts";
import { runClients } from "./client.ts";
import { diagnose, diagnosedGenericChecks, explain, explainWith, faultFacts, finalReadsPhrase, meanLatencyMs, sendTriggers, type Cause } from "./diagnose.ts";
import { finalReads, lastReadByNode } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { formatMs } from "../report/format.ts";
import { percentile } from "../checkers/stats.ts";
import type { ClientApi, NodeRunData, Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/** What the diagnosis calls what nodes pass on, and that it must look for silence between nodes. */
const spreadOptions = { needsPeerTraffic: true, what: "value" } as const;

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
    ...diagnosedGenericChecks(spreadOptions),
    /** Every acknowledged broadcast (and every value some read returned) is in every node's final read. */
    delivery(run) {
      const ops = completedOps(run.history);
      const acked = new Set<number>();
      for (const op of ops) if (op.f === "broadcast" && op.status === "ok") acked.add(op.value as number);
      const finalOps = ops.filter((op) => op.invokeMs >= run.scenario.durationMs);
      const finals = lastReadByNode<unknown>(finalOps);
      const problems: string[] = [];
      const unread: string[] = [];
      const short: string[] = [];
      for (const node of run.knobs.nodeIds) {
        const read = finals.get(node);
        if (!Array.isArray(read)) {
          problems.push(`${node} did not answer its final read with read_ok {messages: [...]}`);
          unread.push(node);
          continue;
        }
        const have = new Set(read);
        const missing = [...acked].filter((v) => !have.has(v));
        if (missing.length) {
          problems.push(`${node} is missing ${missing.length} of ${acked.size} acknowledged values (e.g. ${missing.slice(0, 5).join(", ")})`);
          short.push(node);
        }
      }
      const failedReads = finalOps.filter((op) => op.status !== "ok" && unread.includes(op.node));
      if (problems.length) {
        const evidence = `${finalReadsPhrase(run)}, every node must have every acknowledged value. ${problems.slice(0, 4).join("; ")}${problems.length > 4 ? `; and ${problems.length - 4} more nodes` : ""}.`;
        const causes = [...diagnose(run, { ...spreadOptions, ops: failedReads }), ...(short.length ? relayCauses(run) : [])];
        return { ok: false, message: explainWith(causes, evidence, deliveryHint(run)), metrics: { acked: acked.size } };
      }
      if (acked.size === 0) {
        const broadcasts = ops.filter((op) => op.f === "broadcast");
        const evidence = `No broadcast was acknowledged: ${broadcasts.length} were sent and none got broadcast_ok.`;
        return { ok: false, message: explain(run, evidence, 'Answer each with node.reply(msg, {type: "broadcast_ok"}).', { ...spreadOptions, needsPeerTraffic: false, ops: broadcasts }) };
      }
      return { ok: true, message: `${acked.size} acknowledged values reached all ${run.knobs.nodeIds.length} nodes`, metrics: { acked: acked.size } };
    },
    /**
     * Stable latency (as Maelstrom measures it): for each acknowledged value, the time from its broadcast to the
     * last read, started later, that still did not contain it. Params: p50Max, maxMax (ms).
     */
    "stable-latency"(run, params) {
      const ops = completedOps(run.history);
      const reads = ops.filter((op) => op.f === "read" && op.status === "ok" && Array.isArray(op.output));
      const readSets = reads.map((op) => ({ at: op.invokeMs, set: new Set(op.output as unknown[]) }));
      const latencies: number[] = [];
      // Values a read still lacked after the clients stopped: they never spread, which no hop count explains.
      let neverSeen = 0;
      for (const op of ops) {
        if (op.f !== "broadcast" || op.status !== "ok") continue;
        let lastMissing = op.invokeMs;
        for (const read of readSets) if (read.at > op.invokeMs && !read.set.has(op.value)) lastMissing = Math.max(lastMissing, read.at);
        latencies.push(lastMissing - op.invokeMs);
        if (lastMissing >= run.scenario.durationMs) neverSeen++;
      }
      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 0.5);
      const max = latencies.length ? latencies[latencies.length - 1]! : 0;
      const metrics = { stableLatencyP50Ms: round(p50), stableLatencyMaxMs: round(max) };
      const over: string[] = [];
      if (params.p50Max !== undefined && p50 > params.p50Max) over.push(`median ${round(p50)} ms > ${params.p50Max} ms`);
      if (params.maxMax !== undefined && max > params.maxMax) over.push(`max ${round(max)} ms > ${params.maxMax} ms`);
      if (over.length) {
        const evidence = `Values take too long to reach every node: ${over.join(", ")}.`;
        return { ok: false, message: explain(run, evidence, slowHint(run, p50, neverSeen), spreadOptions), metrics };
      }
      return { ok: true, message: `stable latency median ${round(p50)} ms, max ${round(max)} ms`, metrics };
    },
  },
};

const round = (x: number) => Math.round(x * 10) / 10;

/** When no common cause shows: advice that fits what the run had (partitions, loss) or did not. */
function deliveryHint(run: NodeRunData): string {
  const facts = faultFacts(run);
  const nodes = new Set(run.knobs.nodeIds);
  let dropped = 0;
  let lastSendMs = -1;
  for (const e of run.trace) {
    if (!nodes.has(e.src) || !nodes.has(e.dest)) continue;
    if (e.fate === "partition" || e.fate === "lost" || e.fate === "crashed") dropped++;
    lastSendMs = Math.max(lastSendMs, e.sendMs);
  }
  if (dropped > 0) {
    const how = facts.partitions ? "a partition" : facts.lossRate ? "loss" : "a crash";
    return `${dropped} messages between nodes were dropped; one lost to ${how} is never redelivered by the network: resend every value a peer has not acknowledged (not only new ones) until it does.`;
  }
  if (lastSendMs >= run.scenario.durationMs && !run.stats.traceTruncated) {
    return `No message was dropped, and nodes were still sending each other messages at ${formatMs(lastSendMs)}: the missing values were on their way, too slowly to arrive in ${formatMs(settleMsOf(run.scenario))} of quiet. Send a new value on at once rather than on a slow timer.`;
  }
  return "No message was dropped in this run, so each missing value was never sent to that node: every node must receive every value, directly or passed along.";
}

/**
 * Values that travel one hop only: nodes send what their clients told them to some peers, but no node
 * passes on what it heard from a peer, and not every node sends to every other.
 */
function relayCauses(run: NodeRunData): Cause[] {
  const nodes = run.knobs.nodeIds;
  if (nodes.length < 3 || run.stats.serverMessages === 0 || run.stats.traceTruncated) return [];
  const nodeSet = new Set(nodes);
  const reached = new Map<string, Set<string>>(nodes.map((n) => [n, new Set<string>()]));
  const receivedAt = new Set<string>();
  for (const e of run.trace) {
    if (!nodeSet.has(e.src) || !nodeSet.has(e.dest)) continue;
    reached.get(e.src)!.add(e.dest);
    if (e.recvMs !== undefined) receivedAt.add(`${e.dest}@${e.recvMs}@${e.type}`);
  }
  const relayed = run.trace.some((e) => nodeSet.has(e.src) && nodeSet.has(e.dest) && receivedAt.has(`${e.src}@${e.sendMs}@${e.type}`));
  if (relayed) return [];
  const gap = nodes.flatMap((a) => nodes.filter((b) => b !== a && !reached.get(a)!.has(b)).map((b) => [a, b] as const))[0];
  if (!gap) return [];
  return [
    {
      kind: "one-hop",
      text: `Values travel one hop only: nodes send what their clients tell them to some peers, but no node passed on a message it received from a peer, and not every node sends to every other (${gap[0]} never sent ${gap[1]} anything).`,
      hint: "When a value arrives from a peer and is new to you, pass it on too (to your neighbours but the sender), or send each value straight to every node.",
    },
  ];
}

/** Why values arrive late: they wait for a timer, or they cross many hops. */
function slowHint(run: NodeRunData, p50Ms: number, neverSeen: number): string {
  if (neverSeen > 0) return `${neverSeen} acknowledged values were still missing from reads after the clients stopped: they never reached every node, and a value that never arrives has no latency to speak of.`;
  const hopMs = meanLatencyMs(run.knobs.latency);
  const { onTimer, total } = sendTriggers(run);
  if (total > 0 && onTimer / total > 0.5) {
    return `${Math.round((onTimer / total) * 100)}% of messages between nodes left on a timer rather than when something arrived: a new value waits for the next tick before it travels. Send a new value at once and keep the timer for resends.`;
  }
  const hops = hopMs > 0 ? Math.round((p50Ms / hopMs) * 10) / 10 : 0;
  return `At about ${round(hopMs)} ms per hop the median is ${hops} hops: each node that passes a value on adds one network latency. Keep the path short: send to every node directly, or relay along a shallow tree (depth 2 or 3) instead of the grid.`;
}
