import { runClients } from "./client.ts";
import { finalReads, lastReadByNode } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { describeDrops, diagnosedGenericChecks, explain, faultFacts, finalReadsPhrase, hadFaults } from "./diagnose.ts";
import type { NodeRunData, Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/** What the diagnosis calls what nodes pass on, and that it must look for silence between nodes. */
const spreadOptions = { needsPeerTraffic: true, what: "count" } as const;

/** g-counter: a grow-only counter; `add` increments it, `read` returns the total, which must converge. */
export const gCounter: Workload = {
  name: "g-counter",
  summary: 'Add {type: "add", delta: n}; answer {type: "read"} with the counter\'s value; all nodes converge.',
  rpcs: [
    { request: '{type: "add", delta: number}', reply: '{type: "add_ok"}' },
    { request: '{type: "read"}', reply: '{type: "read_ok", value: number}' },
  ],
  driver(api, spec) {
    const readPlan = (node: string) => ({ node, f: "read", value: null, body: { type: "read" }, readValue: (r: Body) => r.value });
    return {
      start: () =>
        runClients(api, spec, () => {
          const node = api.rng.pick(api.nodeIds);
          if (api.rng.chance(0.3)) return readPlan(node);
          const delta = 1 + api.rng.int(5);
          return { node, f: "add", value: delta, body: { type: "add", delta } };
        }),
      final: () => finalReads(api, spec, readPlan),
    };
  },
  checks: {
    ...diagnosedGenericChecks(spreadOptions),
    /** Every node's final read equals the sum of acknowledged adds (plus any indeterminate ones that took effect). */
    convergence(run) {
      const ops = completedOps(run.history);
      let okSum = 0;
      let maybeSum = 0;
      for (const op of ops) {
        if (op.f !== "add") continue;
        if (op.status === "ok") okSum += op.value as number;
        else if (op.status === "info") maybeSum += op.value as number;
      }
      const finalOps = ops.filter((op) => op.invokeMs >= run.scenario.durationMs);
      const finals = lastReadByNode<unknown>(finalOps);
      const values = run.knobs.nodeIds.map((n) => [n, finals.get(n)] as const);
      const missing = values.filter(([, v]) => typeof v !== "number");
      if (missing.length) {
        const names = missing.map(([n]) => n);
        const evidence = `${names.join(", ")} did not answer the final read with read_ok {value: number}.`;
        const failed = finalOps.filter((op) => names.includes(op.node) && op.status !== "ok");
        return { ok: false, message: explain(run, evidence, "", { ...spreadOptions, needsPeerTraffic: false, ops: failed }) };
      }
      const distinct = new Set(values.map(([, v]) => v));
      const show = values.map(([n, v]) => `${n}=${v}`).join(" ");
      if (distinct.size > 1) {
        const evidence = `${finalReadsPhrase(run)}, the nodes still disagree: ${show} (acknowledged adds sum to ${okSum}). Every node must converge to the same total.`;
        // Some read above any possible total: double counting, whatever else went wrong.
        const over = values.some(([, v]) => (v as number) > okSum + maybeSum);
        return { ok: false, message: explain(run, evidence, over ? overHint(run) : disagreeHint(run), spreadOptions) };
      }
      const value = values[0]![1] as number;
      if (value < okSum || value > okSum + maybeSum) {
        const evidence = `All nodes read ${value}, but the acknowledged adds sum to ${okSum}${maybeSum ? ` (and adds of unknown outcome to ${maybeSum} more)` : ""}: the counter must count each acknowledged add exactly once.`;
        return { ok: false, message: explain(run, evidence, value > okSum ? overHint(run) : underHint(), spreadOptions), metrics: { okSum, value } };
      }
      return { ok: true, message: `all ${values.length} nodes read ${value}; acknowledged adds sum to ${okSum}`, metrics: { value, okSum } };
    },
  },
};

/** Nodes disagree although they talk: messages the run dropped were not made up for. */
function disagreeHint(run: NodeRunData): string {
  const facts = faultFacts(run);
  const nodes = new Set(run.knobs.nodeIds);
  const drops = { partition: 0, lost: 0, crashed: 0 };
  for (const e of run.trace) {
    if (nodes.has(e.src) && nodes.has(e.dest) && (e.fate === "partition" || e.fate === "lost" || e.fate === "crashed")) drops[e.fate]++;
  }
  if (drops.partition + drops.lost + drops.crashed > 0 && hadFaults(facts)) {
    return `Messages between nodes were dropped (${describeDrops(drops)}): a node that missed one must still catch up, also after the last add. Send your whole state (one count per node) to every peer periodically, not only when it changes: merging the same state again changes nothing.`;
  }
  return "A node that has not heard every other node's latest count reads a different total: send your whole state to every peer periodically, not only when it changes.";
}

/** Too high: something was counted twice, by a merge that adds or by a message the network delivered twice. */
function overHint(run: NodeRunData): string {
  const dup = run.knobs.duplicateRate;
  const why = dup > 0 ? `The network delivered about ${Math.round(dup * 100)}% of messages twice, and a merge that adds what arrives counts those twice.` : "A merge that adds what arrives counts the same adds again every time they are sent.";
  return `${why} Keep one count per node that only its owner increases, and merge by taking the maximum of each entry: receiving the same state twice then changes nothing.`;
}

/** Too low: an add was dropped, by a merge that overwrites or keeps one total, or by a delta that was lost. */
function underHint(): string {
  return "Adds were lost on the way: a merge that replaces entries with a peer's older view, or keeps one total for everybody, drops adds made elsewhere meanwhile; a delta sent once is gone if the message is lost. Keep one count per node, let only its owner increase it, and merge by taking the maximum of each entry.";
}
