import { runClients, type OpPlan } from "./client.ts";
import { finalReads } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { checkTransactionHistory, renderTxnResult, type ConsistencyModel } from "../checkers/transactions/index.ts";
import { displayValue } from "../checkers/history/value.ts";
import { formatMs } from "../report/format.ts";
import { settleMsOf } from "../sim/defaults.ts";
import type { CheckFn, Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/** One micro-operation as it travels: Maelstrom's `["append", key, value]` and `["r", key, list | null]`. */
type Micro = [f: "append" | "r", key: number, value: unknown];

const MESSAGE_MAX = 1900;
const OPS_MAX_DEFAULT = 4;
const KEYS_DEFAULT = 6;

/**
 * The reply's transaction must be the request's, micro-operation for micro-operation, with each read filled in
 * by a list of numbers (or null for a key nobody appended to). The history keeps what the node answered; the
 * checks name a mismatch before they judge anything else.
 */
function mismatch(request: unknown, reply: unknown): string | undefined {
  if (!Array.isArray(reply) || !Array.isArray(request)) return "txn_ok has no `txn` list";
  if (reply.length !== request.length) return `txn_ok's txn has ${reply.length} operations, the request had ${request.length}`;
  for (let i = 0; i < request.length; i++) {
    const [f, key, value] = request[i] as Micro;
    const got = reply[i] as unknown;
    if (!Array.isArray(got) || got.length !== 3 || got[0] !== f || got[1] !== key) return `operation ${i + 1} came back as ${displayValue(got)}, the request was ${displayValue(request[i])}`;
    if (f === "append" && got[2] !== value) return `operation ${i + 1} (an append) came back as ${displayValue(got)}`;
    if (f === "r" && got[2] !== null && !(Array.isArray(got[2]) && (got[2] as unknown[]).every((v) => typeof v === "number"))) return `the read of key ${key} returned ${displayValue(got[2])}, not a list of numbers (or null)`;
  }
  return undefined;
}

const intro: Record<ConsistencyModel, string> = {
  "read-uncommitted": "Read uncommitted forbids interleaved writes (G0).",
  "read-committed": "Read committed demands that a transaction see only what other transactions committed: never an append of a transaction that failed (G1a) or that was still going on (G1b), and no circle of transactions each seeing the next one's writes (G1c).",
  "snapshot-isolation": "Snapshot isolation demands that each transaction read one consistent snapshot and that two concurrent transactions never both append to a key after reading it (first committer wins): no lost update, no cycle with a single anti-dependency (G-single), and nothing read committed forbids.",
  serializable: "Serializability demands that the committed transactions be equivalent to running them one at a time in some order: no cycle of dependencies at all, including write skew (G2: each of two transactions misses the other's write).",
};

/** The check for one consistency model, over every `txn` of the run. */
function isolation(model: ConsistencyModel): CheckFn {
  return (run) => {
    const ops = completedOps(run.history).filter((op) => op.f === "txn");
    for (const op of ops) {
      if (op.status !== "ok") continue;
      const problem = mismatch(op.value, op.output);
      if (problem) return { ok: false, message: `${op.process} asked ${op.node} at ${formatMs(op.invokeMs)} for ${displayValue(op.value, 120)}: ${problem}. A txn_ok must carry the same operations, each read filled in.` };
    }
    const { result, txns } = checkTransactionHistory(ops, { model, shape: "list-append" });
    const metrics = { txnCommitted: result.committed, txnFailed: result.failed, txnUnknown: result.indeterminate, txnAnomalies: Object.values(result.counts).reduce((a, b) => a + (b ?? 0), 0) };
    if (result.committed === 0) return { ok: false, message: "No transaction committed: there was nothing to check.", metrics };
    if (result.verdict === "valid") {
      const allowed = Object.keys(result.counts);
      return { ok: true, message: `${result.committed} committed transactions show nothing ${model.replace(/-/g, " ")} forbids${allowed.length ? ` (allowed: ${allowed.join(", ")})` : ""}`, metrics };
    }
    const text = `${intro[model]}\n${renderTxnResult(result, txns)}`;
    return { ok: false, message: text.length <= MESSAGE_MAX ? text : `${text.slice(0, MESSAGE_MAX - 1)}…`, metrics };
  };
}

/**
 * txn-list-append: Maelstrom's transactional workload. A request `{type: "txn", txn: [["append", k, v],
 * ["r", k, null], …]}` runs its micro-operations in order as one transaction; the reply `{type: "txn_ok", txn}`
 * fills in each read with the key's whole list (null when nothing was appended). A transaction that could not
 * commit answers error 30 (txn-conflict) or 11 (unavailable); an outcome it does not know, error 0 or 13.
 *
 * Values are unique per key, so every element of a list names the transaction that appended it, and the
 * longest list read of a key is its version order: the anomaly checker needs nothing else. After the faults
 * heal, every node is asked for every key once, so that each key's order is seen whole.
 */
export const txnListAppend: Workload = {
  name: "txn-list-append",
  summary:
    'Transactions over lists: {type: "txn", txn: [["append", k, v], ["r", k, null], …]} answered {type: "txn_ok", txn} with each read filled in by the key\'s list, or error 30 (txn-conflict) when it aborted.',
  rpcs: [
    { request: '{type: "txn", txn: [["append", key, value] | ["r", key, null], …]}', reply: '{type: "txn_ok", txn: [… each read as ["r", key, [values…] or null]]}, or {type: "error", code: 30} (aborted), 11 (unavailable), 0 (outcome unknown)' },
  ],
  driver(api, spec) {
    const keyCount = Math.max(1, Number(spec.options?.keys ?? KEYS_DEFAULT));
    const opsMax = Math.max(1, Number(spec.options?.opsMax ?? OPS_MAX_DEFAULT));
    const nextValue = new Map<number, number>();
    const plan = (node: string, txn: Micro[]): OpPlan => ({ node, f: "txn", value: txn, body: { type: "txn", txn }, readValue: (reply: Body) => reply.txn });
    return {
      start: () =>
        runClients(api, spec, (): OpPlan => {
          const node = api.rng.pick(api.nodeIds);
          const length = 1 + api.rng.int(opsMax);
          const txn: Micro[] = [];
          for (let i = 0; i < length; i++) {
            const key = api.rng.int(keyCount);
            if (api.rng.chance(0.5)) {
              const value = (nextValue.get(key) ?? 0) + 1;
              nextValue.set(key, value);
              txn.push(["append", key, value]);
            } else txn.push(["r", key, null]);
          }
          return plan(node, txn);
        }),
      // Every node reads every key, so that each key's whole order is seen.
      final: () => finalReads(api, spec, (node) => plan(node, Array.from({ length: keyCount }, (_, k): Micro => ["r", k, null]))),
    };
  },
  checks: {
    /**
     * Once the faults have healed and the nodes had time to catch up, every node's final read shows every
     * append of every committed transaction, and all nodes show each key's list alike. Without it, a store
     * that never lets a transaction see another's appends would pass the isolation checks vacuously.
     */
    "committed-visible"(run) {
      // (The final reads are the operations invoked after the safety phase: clients stop at its end.)
      const ops = completedOps(run.history).filter((op) => op.f === "txn");
      const finals = ops.filter((op) => op.invokeMs >= run.scenario.durationMs);
      const byNode = new Map<string, Map<number, unknown[]>>();
      for (const op of finals) {
        if (op.status !== "ok" || !Array.isArray(op.output)) continue;
        const lists = new Map<number, unknown[]>();
        for (const micro of op.output as Micro[]) if (Array.isArray(micro) && micro[0] === "r") lists.set(micro[1], Array.isArray(micro[2]) ? micro[2] : []);
        byNode.set(op.node, lists);
      }
      // A final read lost to the network (the answer is error 0) judges nothing; a node that answers is judged.
      const answered = run.knobs.nodeIds.filter((n) => byNode.has(n));
      if (answered.length === 0) return { ok: false, message: `No node answered the final read of every key with txn_ok, ${formatMs(settleMsOf(run.scenario))} after the faults healed.` };
      for (const op of ops) {
        if (op.status !== "ok" || op.invokeMs >= run.scenario.durationMs) continue;
        for (const [f, key, value] of op.value as Micro[]) {
          if (f !== "append") continue;
          const missing = answered.find((n) => !byNode.get(n)!.get(key)?.includes(value));
          if (missing) {
            return {
              ok: false,
              message: `${op.process}'s transaction at ${formatMs(op.invokeMs)} appended ${displayValue(value)} to key ${key} and was answered txn_ok, but ${missing}'s final read of key ${key} is ${displayValue(byNode.get(missing)!.get(key) ?? null, 80)}: a committed append must stay, and reach every node once the network heals.`,
            };
          }
        }
      }
      const [first, ...others] = answered;
      for (const [key, list] of byNode.get(first!)!) {
        const other = others.find((n) => displayValue(byNode.get(n)!.get(key) ?? [], 1e6) !== displayValue(list, 1e6));
        if (other) return { ok: false, message: `After the heal, ${first} reads key ${key} as ${displayValue(list, 80)} and ${other} as ${displayValue(byNode.get(other)!.get(key) ?? null, 80)}: the nodes must agree on every list.` };
      }
      return { ok: true, message: `every node's final read shows every committed append, in one order` };
    },
    "read-committed": isolation("read-committed"),
    "snapshot-isolation": isolation("snapshot-isolation"),
    serializable: isolation("serializable"),
  },
};
