import { runClients, type OpPlan } from "./client.ts";
import { completedOps } from "../checkers/history-ops.ts";
import type { ClientOperation, Operation } from "../sim/history.ts";
import { serveDuringCrashes } from "../checkers/crash-recovery.ts";
import { checkLinearizability } from "../checkers/linearizability/check.ts";
import { renderViolation } from "../checkers/linearizability/explain.ts";
import { casRegisterModel, perKey, type Model } from "../checkers/linearizability/models.ts";
import { ErrorCode } from "../protocol/errors.ts";
import type { Value } from "../checkers/history/types.ts";
import { formatMs } from "../report/format.ts";
import type { Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/** What a lin-kv operation records in the history: the key, and the value(s) it writes, compares or read. */
export interface LinKvValue {
  key: number;
  value?: unknown;
  from?: unknown;
  to?: unknown;
}

/** The cas-register model, checked one key at a time (each key is an independent register). */
const perKeyCasRegister: Model<Value> = perKey(casRegisterModel, "cas-register per key");

const asValue = (v: unknown): Value => (v === undefined ? null : (v as Value));

/**
 * What a lin-kv operation is as a cas register's (initial value nil), by Maelstrom's error codes: a read that
 * failed with 20 (key does not exist) read nil; a cas that failed with 20 or 22 is a definite "the compare
 * did not match"; other definite failures did not happen and are left out (undefined).
 */
function registerStatus(op: ClientOperation): Operation["status"] | undefined {
  if (op.status !== "fail") return op.status;
  if (op.f === "read" && op.code === ErrorCode.KeyDoesNotExist) return "ok"; // read nil
  if (op.f === "cas" && (op.code === ErrorCode.KeyDoesNotExist || op.code === ErrorCode.PreconditionFailed)) return "fail";
  return undefined;
}

/**
 * The run's reads, writes and cas as the register checker reads them: one register per key, the value
 * written (a cas's [from, to]) and the value read. An operation keeps its times and status (the checker
 * gives an unknown outcome an open end); its process names the node asked, as the timeline shows it.
 */
export function linKvOperations(ops: readonly ClientOperation[]): Operation<Value>[] {
  const out: Operation<Value>[] = [];
  for (const op of ops) {
    if (op.f !== "read" && op.f !== "write" && op.f !== "cas") continue;
    const status = registerStatus(op);
    if (status === undefined) continue; // definitely did not happen
    const input = op.value as LinKvValue;
    const value: Value = op.f === "read" ? null : op.f === "write" ? asValue(input.value) : [asValue(input.from), asValue(input.to)];
    const read = op.status === "ok" ? asValue((op.output as LinKvValue | undefined)?.value) : null;
    // `line` numbers the operations as the timeline names them; relabel() turns them back into times.
    out.push({ ...op, id: out.length, process: `${op.process}→${op.node}`, key: String(input.key), value, output: op.f === "read" ? read : value, status, line: out.length + 1 });
  }
  return out;
}

const MESSAGE_MAX = 1500;

/** lin-kv: a linearizable key-value store of registers with compare-and-set (Maelstrom's lin-kv workload). */
export const linKv: Workload = {
  name: "lin-kv",
  summary:
    'A linearizable key-value store: {type: "read", key}, {type: "write", key, value}, {type: "cas", key, from, to}; every answer must be consistent with one order of the operations that respects real time.',
  rpcs: [
    { request: '{type: "read", key: number}', reply: '{type: "read_ok", value} or {type: "error", code: 20} (key does not exist)' },
    { request: '{type: "write", key: number, value}', reply: '{type: "write_ok"}' },
    {
      request: '{type: "cas", key: number, from, to}',
      reply: '{type: "cas_ok"}, or {type: "error", code: 22} when the value is not `from`, 20 when the key does not exist',
    },
  ],
  driver(api, spec) {
    const keyCount = Math.max(1, Number(spec.options?.keys ?? 3));
    const valueCount = Math.max(2, Number(spec.options?.values ?? 5));
    // What each client last saw in each key (its own ok reads and writes): half of its cas operations
    // compare against it, so that many of them succeed and chains of cas show up in the history.
    const seen = new Map<string, unknown>();
    return {
      start: () =>
        runClients(api, spec, (client): OpPlan => {
          const node = api.rng.pick(api.nodeIds);
          const key = api.rng.int(keyCount);
          const slot = `${client} ${key}`;
          const roll = api.rng.next();
          if (roll < 0.4) {
            const readValue = (r: Body) => {
              seen.set(slot, r.value);
              return { key, value: r.value };
            };
            return { node, f: "read", value: { key }, body: { type: "read", key }, readValue };
          }
          if (roll < 0.7) {
            const value = api.rng.int(valueCount);
            const readValue = () => {
              seen.set(slot, value);
              return { key, value };
            };
            return { node, f: "write", value: { key, value }, body: { type: "write", key, value }, readValue };
          }
          const guess = api.rng.int(valueCount);
          const from = seen.has(slot) && api.rng.chance(0.5) ? seen.get(slot) : guess;
          const to = api.rng.int(valueCount);
          const readValue = () => {
            seen.set(slot, to);
            return { key, from, to };
          };
          return { node, f: "cas", value: { key, from, to }, body: { type: "cas", key, from, to }, readValue };
        }),
      final: () => {},
    };
  },
  checks: {
    /** Through every crash longer than `withinMs` the other nodes keep serving (a crashed leader is replaced). */
    "serves-during-crashes": serveDuringCrashes,
    /**
     * Every answer is consistent with one total order of the operations, per key, that respects real time
     * (an operation that completed before another started comes first). Param: budgetMs (default 5000).
     */
    linearizable(run, params) {
      const ops = linKvOperations(completedOps(run.history));
      const budgetMs = params.budgetMs ?? 5000;
      const result = checkLinearizability(ops, perKeyCasRegister, { wallMs: budgetMs, explainWallMs: Math.min(1000, budgetMs) });
      const metrics = { linOps: result.operations, linUnknownOps: ops.filter((op) => op.status === "info").length, linCheckMs: Math.round(result.wallMs) };
      if (result.verdict === "linearizable") {
        if (result.operations === 0) return { ok: false, message: "no read, write or cas completed: there was nothing to check.", metrics };
        return { ok: true, message: `${result.operations} operations on ${result.partitions} keys are linearizable`, metrics };
      }
      if (result.verdict === "unknown") {
        return {
          ok: false,
          message: `The linearizability checker could not decide: ${result.unknown?.message ?? "its budget ran out"}. This is not a pass: histories with many operations of unknown outcome (timeouts, error 0) are expensive to check; answer definitely (ok, or a definite error such as 11) whenever you know whether the operation happened.`,
          metrics,
        };
      }
      const explanation = result.violation ? clip(relabel(renderViolation(result.violation), ops)) : "";
      return {
        ok: false,
        message:
          "Linearizability demands that every operation appear to take effect at one instant between its request and its reply, " +
          "in one order every client agrees on: once a write or cas is acknowledged, every read that starts later must see it (or a later value). " +
          `No such order exists for these answers.\n${explanation}`,
        metrics,
      };
    },
  },
};

/** The rendered violation names operations by "line" (history files have lines); here, by invoke time. */
function relabel(text: string, ops: readonly Operation<Value>[]): string {
  // Processes are "client→node"; the timeline prefixes them with "p" (Jepsen's process numbers).
  text = text.replace(/^( {2})p(c\d+→)/gm, "$1$2");
  return text.replace(/ {2}line (\d+)/g, (whole, n: string) => {
    const op = ops[Number(n) - 1];
    return op ? `  at ${formatMs(op.invokeMs)}` : whole;
  });
}

function clip(text: string): string {
  return text.length <= MESSAGE_MAX ? text : `${text.slice(0, MESSAGE_MAX - 1)}…`;
}
