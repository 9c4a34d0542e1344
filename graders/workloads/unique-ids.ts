import { formatMs } from "../report/format.ts";
import { runClients } from "./client.ts";
import { completedOps } from "../checkers/history-ops.ts";
import type { RunData, Workload } from "./types.ts";
import type { PairedOp } from "../checkers/history-ops.ts";

/** unique-ids: `generate` returns an id that no other generate_ok, on any node, ever returned. */
export const uniqueIds: Workload = {
  name: "unique-ids",
  summary: 'Reply to {type: "generate"} with {type: "generate_ok", id: <unique across the cluster>}.',
  rpcs: [{ request: '{type: "generate"}', reply: '{type: "generate_ok", id: string | number}' }],
  driver(api, spec) {
    return {
      start: () =>
        runClients(api, spec, () => ({
          node: api.rng.pick(api.nodeIds),
          f: "generate",
          value: null,
          body: { type: "generate" },
          readValue: (reply) => reply.id,
        })),
      final: () => {},
    };
  },
  checks: {
    /** No id is handed out twice; ids are strings or numbers. */
    unique(run) {
      const ops = completedOps(run.history).filter((op) => op.type === "ok");
      const seen = new Map<string, (typeof ops)[number]>();
      for (const op of ops) {
        if (typeof op.output !== "string" && typeof op.output !== "number") {
          return { ok: false, message: `${op.node} answered generate_ok with id ${JSON.stringify(op.output)}: an id must be a string or a number.` };
        }
        const key = JSON.stringify(op.output);
        const first = seen.get(key);
        if (first) {
          return {
            ok: false,
            message: `id ${key} was generated twice: by ${first.node} at ${formatMs(first.returnMs)} and by ${op.node} at ${formatMs(op.returnMs)}. ${explainRepeat(run, first, op)}`,
          };
        }
        seen.set(key, op);
      }
      if (ops.length === 0) return { ok: false, message: "no generate request completed" };
      return { ok: true, message: `${ops.length} ids, all distinct`, metrics: { ids: ops.length } };
    },
  },
};

function explainRepeat(run: RunData, first: PairedOp, again: PairedOp): string {
  if (first.node !== again.node) return "Ids must be unique across nodes without coordination (hint: combine the node id with a local counter).";
  const crash = run.knobs.faults.find((f) => f.kind === "crash" && f.node === again.node && f.atMs > first.returnMs && f.atMs < again.invokeMs);
  return crash
    ? `${again.node} crashed at ${formatMs(crash.atMs)}, between the two: memory is lost in a crash, \`node.storage\` survives.`
    : `The same node handed it out twice.`;
}
