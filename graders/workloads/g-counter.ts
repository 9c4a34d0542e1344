import { runClients } from "./client.ts";
import { finalReads, lastReadByNode } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import type { Workload } from "./types.ts";
import type { Body } from "../runtime/node-api.ts";

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
    /** Every node's final read equals the sum of acknowledged adds (plus any indeterminate ones that took effect). */
    convergence(run) {
      const ops = completedOps(run.history);
      let okSum = 0;
      let maybeSum = 0;
      for (const op of ops) {
        if (op.f !== "add") continue;
        if (op.type === "ok") okSum += op.input as number;
        else if (op.type === "info" || op.type === "pending") maybeSum += op.input as number;
      }
      const finals = lastReadByNode<unknown>(ops.filter((op) => op.invokeMs >= run.scenario.durationMs));
      const values = run.knobs.nodeIds.map((n) => [n, finals.get(n)] as const);
      const missing = values.filter(([, v]) => typeof v !== "number");
      if (missing.length) {
        return { ok: false, message: `${missing.map(([n]) => n).join(", ")} did not answer the final read with read_ok {value: number}.` };
      }
      const distinct = new Set(values.map(([, v]) => v));
      const show = values.map(([n, v]) => `${n}=${v}`).join(" ");
      if (distinct.size > 1) {
        return { ok: false, message: `Nodes disagree ${run.scenario.settleMs ?? 1000} ms after the faults healed: ${show}. Every node must converge to the same total.` };
      }
      const value = values[0]![1] as number;
      if (value < okSum || value > okSum + maybeSum) {
        return {
          ok: false,
          message: `All nodes read ${value}, but the acknowledged adds sum to ${okSum}${maybeSum ? ` (and adds of unknown outcome to ${maybeSum} more)` : ""}: the counter must count each acknowledged add exactly once.`,
          metrics: { okSum, value },
        };
      }
      return { ok: true, message: `all ${values.length} nodes read ${value}; acknowledged adds sum to ${okSum}`, metrics: { value, okSum } };
    },
  },
};
