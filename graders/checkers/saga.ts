/**
 * Checks of sagas: each saga is a sequence of steps, each carried out by a service, and each step but the
 * last may have an undo (its compensation). The services report what they did (RunData.observations, one
 * per request they handled: `{saga, op, key, outcome}`), so these checks judge what happened, not what the
 * orchestrator says happened:
 * - outcome "applied": the effect took place; "duplicate": a request whose key was seen before, answered
 *   without applying it again; "refused": a definite business refusal (out of stock, card declined), no
 *   effect; anything else ("dropped", "unavailable"): no effect.
 * A saga is committed when every step was applied once and nothing was undone, compensated when every
 * applied step that has an undo was undone once and the steps without one were never applied.
 */
import { formatMs } from "../report/format.ts";
import { percentile } from "./stats.ts";
import type { CheckOutcome } from "../contract.ts";
import type { NodeCheckFn } from "../harness/node/run.ts";

/** A node run, as a check gets it. */
type Run = Parameters<NodeCheckFn>[0];

export interface SagaStep {
  /** The request that performs it ("charge"). */
  op: string;
  /** The request that undoes it ("refund"); a step without one is only ever taken last. */
  undo?: string;
  /** What to call an effect of this step twice, for messages ("double charge"). */
  noun?: string;
}

export interface SagaEffect {
  op: string;
  service: string;
  key: string | undefined;
  outcome: string;
  timeMs: number;
}

export interface SagaRecord {
  id: string;
  /** Requests the services handled for it, in time order. */
  effects: SagaEffect[];
  /** When a client first asked for it; whether a client was told it was accepted. */
  requestedMs: number;
  accepted: boolean;
}

/** The sagas of a run: the services' observations, joined with the clients' requests of `requestOp`. */
export function sagaRecords(run: Pick<Run, "history" | "observations">, requestOp: string): Map<string, SagaRecord> {
  const sagas = new Map<string, SagaRecord>();
  const get = (id: string, atMs: number) => {
    let s = sagas.get(id);
    if (!s) sagas.set(id, (s = { id, effects: [], requestedMs: atMs, accepted: false }));
    return s;
  };
  for (const e of run.history) {
    if (e.f !== requestOp) continue;
    const id = String((e.value as { id?: unknown } | null)?.id);
    const s = get(id, e.timeMs);
    if (e.type === "invoke") s.requestedMs = Math.min(s.requestedMs, e.timeMs);
    if (e.type === "ok") s.accepted = true;
  }
  for (const o of run.observations ?? []) {
    const v = o.value as { saga?: unknown; op?: unknown; key?: unknown; outcome?: unknown } | null;
    if (!v || v.saga === undefined) continue;
    get(String(v.saga), o.timeMs).effects.push({ op: String(v.op), service: o.node, key: v.key === undefined ? undefined : String(v.key), outcome: String(v.outcome), timeMs: o.timeMs });
  }
  return sagas;
}

/** How often each request took effect, and when first. */
function applied(s: SagaRecord): Map<string, { count: number; firstMs: number }> {
  const out = new Map<string, { count: number; firstMs: number }>();
  for (const e of s.effects) {
    if (e.outcome !== "applied") continue;
    const a = out.get(e.op);
    if (a) a.count++;
    else out.set(e.op, { count: 1, firstMs: e.timeMs });
  }
  return out;
}

export type SagaState = { kind: "committed"; atMs: number } | { kind: "compensated"; atMs: number } | { kind: "untouched" } | { kind: "half"; why: string };

/** Where one saga ended, by what its services applied. */
export function sagaState(s: SagaRecord, steps: readonly SagaStep[]): SagaState {
  const done = applied(s);
  const n = (op: string | undefined) => (op === undefined ? 0 : (done.get(op)?.count ?? 0));
  if (done.size === 0) return { kind: "untouched" };
  const lastMs = (ops: Array<string | undefined>) => Math.max(...ops.map((op) => (op === undefined ? 0 : (done.get(op)?.firstMs ?? 0))));
  if (steps.every((step) => n(step.op) > 0 && n(step.undo) === 0)) {
    // The last step seals the saga: taken before the others were done, it promised what was not there yet.
    const lastOp = steps.at(-1)!.op;
    const early = steps.slice(0, -1).find((step) => done.get(step.op)!.firstMs > done.get(lastOp)!.firstMs);
    if (early) return { kind: "half", why: `${lastOp} was applied at ${formatMs(done.get(lastOp)!.firstMs)}, before ${early.op} (${formatMs(done.get(early.op)!.firstMs)})` };
    return { kind: "committed", atMs: lastMs(steps.map((st) => st.op)) };
  }
  const undoneExactly = steps.every((step) => (step.undo === undefined ? n(step.op) === 0 : n(step.op) > 0 === n(step.undo) > 0));
  if (undoneExactly && n(steps[0]!.op) > 0) return { kind: "compensated", atMs: lastMs(steps.map((st) => st.undo)) };
  const missing = steps.filter((step) => n(step.op) === 0).map((step) => step.op);
  if (!steps.some((st) => n(st.undo) > 0)) return { kind: "half", why: `${missing.join(" and ")} never applied, and nothing undone` };
  const problems: string[] = [];
  for (const step of steps) {
    if (step.undo === undefined && n(step.op) > 0 && steps.some((st) => n(st.undo) > 0)) problems.push(`${step.op} was applied and yet steps were undone`);
    else if (step.undo !== undefined && n(step.op) > 0 && n(step.undo) === 0) problems.push(`${step.op} was applied and never undone`);
    else if (step.undo !== undefined && n(step.op) === 0 && n(step.undo) > 0) problems.push(`${step.undo} was applied though ${step.op} never was`);
  }
  return { kind: "half", why: problems.join("; ") };
}

const describeEffects = (s: SagaRecord) =>
  s.effects
    .filter((e) => e.outcome !== "duplicate")
    .map((e) => `${e.op} ${e.outcome} at ${formatMs(e.timeMs)}`)
    .slice(0, 12)
    .join(", ");

/**
 * All or nothing: every saga a client was told was accepted, and every saga any service acted on, ends
 * committed or compensated; one with a refused step is compensated and one without is committed. Reports
 * the time from a saga's request to its final state.
 */
export function checkAllOrNothing(steps: readonly SagaStep[], requestOp: string): NodeCheckFn {
  return (run) => {
    const sagas = sagaRecords(run, requestOp);
    const times: number[] = [];
    let committed = 0;
    let compensated = 0;
    const metrics = () => {
      times.sort((a, b) => a - b);
      return { sagas: committed + compensated, committed, compensated, finalP50Ms: Math.round(percentile(times, 0.5)), finalP99Ms: Math.round(percentile(times, 0.99)), finalMaxMs: Math.round(times.at(-1) ?? 0) };
    };
    const fail = (message: string): CheckOutcome => ({ ok: false, message, metrics: metrics() });
    for (const s of sagas.values()) {
      const state = sagaState(s, steps);
      const refused = s.effects.find((e) => e.outcome === "refused");
      if (state.kind === "untouched") {
        if (s.accepted) return fail(`Saga ${s.id} was accepted (its client got an ok) but no service ever applied any of its steps: an accepted saga must be carried out, across crashes of the orchestrator. Keep it in node.storage before you answer, and take up the unfinished ones when the node starts.`);
        continue;
      }
      if (state.kind === "half") {
        return fail(`Saga ${s.id} ended half done: ${state.why}. Every saga must end committed (every step once) or compensated (every step taken undone once), even when services fail, messages are lost and the orchestrator crashes. What the services did: ${describeEffects(s)}.`);
      }
      if (state.kind === "committed" && refused) return fail(`Saga ${s.id} was committed although ${refused.service} refused its ${refused.op} at ${formatMs(refused.timeMs)}.`);
      if (state.kind === "compensated" && !refused) {
        return fail(`Saga ${s.id} was compensated although no service refused any of its steps: a step that timed out or was temporarily unavailable has not failed. Retry it (with the same idempotency key) until it gives a definite answer. What the services did: ${describeEffects(s)}.`);
      }
      times.push(state.atMs - s.requestedMs);
      if (state.kind === "committed") committed++;
      else compensated++;
    }
    if (committed === 0 || compensated === 0) return fail(`${committed} sagas committed and ${compensated} were compensated: a run must have both to show either works.`);
    const m = metrics();
    return { ok: true, message: `all ${m.sagas} sagas ended committed (${committed}) or compensated (${compensated}); time to the final state p50 ${formatMs(m.finalP50Ms)}, p99 ${formatMs(m.finalP99Ms)}`, metrics: m };
  };
}

/** No step applied twice (no double charge, no double reservation) and no undo applied more often than its step. */
export function checkIdempotent(steps: readonly SagaStep[], requestOp: string): NodeCheckFn {
  return (run) => {
    const sagas = sagaRecords(run, requestOp);
    let duplicates = 0;
    for (const s of sagas.values()) {
      const done = applied(s);
      duplicates += s.effects.filter((e) => e.outcome === "duplicate").length;
      for (const step of steps) {
        const did = done.get(step.op)?.count ?? 0;
        if (did > 1) {
          const keys = [...new Set(s.effects.filter((e) => e.op === step.op && e.outcome === "applied").map((e) => e.key ?? "none"))];
          return { ok: false, message: `Saga ${s.id}: ${step.op} was applied ${did} times (${step.noun ?? `a double ${step.op}`}), with idempotency keys ${keys.join(", ")}. A retried request must carry the same key as the first attempt, so the service can tell a retry from a new request; derive the key from the saga and the step, and keep it across crashes.`, metrics: { duplicatesAbsorbed: duplicates } };
        }
        const undid = step.undo ? (done.get(step.undo)?.count ?? 0) : 0;
        if (undid > Math.max(1, did) || (undid > 0 && did === 0)) {
          return { ok: false, message: `Saga ${s.id}: ${step.undo} was applied ${undid} times for ${did} ${step.op}: a compensation must be idempotent too (the same key on every retry), and undo only what was done.`, metrics: { duplicatesAbsorbed: duplicates } };
        }
      }
    }
    return { ok: true, message: `no step or compensation took effect twice (${duplicates} repeated requests were recognised by their keys)`, metrics: { duplicatesAbsorbed: duplicates } };
  };
}

/** A compensated saga undoes its steps in reverse order: the undo of a later step before that of an earlier one. */
export function checkReverseOrder(steps: readonly SagaStep[], requestOp: string): NodeCheckFn {
  return (run) => {
    const sagas = sagaRecords(run, requestOp);
    let judged = 0;
    for (const s of sagas.values()) {
      const done = applied(s);
      const undos = steps.map((step, i) => ({ step, i, at: step.undo ? done.get(step.undo)?.firstMs : undefined })).filter((u) => u.at !== undefined);
      if (undos.length < 2) continue;
      judged++;
      for (let a = 0; a < undos.length; a++) {
        for (let b = a + 1; b < undos.length; b++) {
          const earlier = undos[a]!;
          const later = undos[b]!;
          if (earlier.at! < later.at!) {
            return { ok: false, message: `Saga ${s.id}: ${earlier.step.undo} (undoing step ${earlier.i + 1}, ${earlier.step.op}) took effect at ${formatMs(earlier.at!)}, before ${later.step.undo} (undoing step ${later.i + 1}, ${later.step.op}) at ${formatMs(later.at!)}. Compensate in reverse order: the last step taken is undone first, so that no step is ever left standing on one that was already undone.`, metrics: { sagasJudged: judged } };
          }
        }
      }
    }
    if (judged === 0) return { ok: false, message: "No saga undid two steps or more: there was no order to check.", metrics: { sagasJudged: 0 } };
    return { ok: true, message: `${judged} sagas undid their steps in reverse order`, metrics: { sagasJudged: judged } };
  };
}
