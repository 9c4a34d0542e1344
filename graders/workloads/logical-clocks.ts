/**
 * logical-clocks: nodes timestamp three kinds of event — a local step, the send of a message to another
 * node, its receipt — with Lamport clocks (and, with `options.clock: "vector"`, vector clocks), and answer
 * whether one event happened before another. The true relation is the simulator's (sim/causality.ts): each
 * event is tied to the step of the run it happened in (a request's handler, or the first delivery of the
 * message a send put on the wire), and the checks in checkers/happens-before.ts compare the nodes' claims
 * with it. Maelstrom has no such workload, so the message types are ours; errors use its codes.
 */
import { runClients, type OpPlan } from "./client.ts";
import { finalReads } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { checkLamportOrder, checkRelationAnswers, checkVectorOrder, showVector, type ClockVerdict, type RelationAnswer, type StampedEvent } from "../checkers/happens-before.ts";
import { diagnosedGenericChecks } from "./diagnose.ts";
import { formatMs } from "../report/format.ts";
import type { CausalLog } from "../sim/causality.ts";
import type { CheckFn, CheckOutcome, Workload } from "./types.ts";
import type { Body } from "../harness/node/api.ts";

/** The run a node workload's check is given. */
type Run = Parameters<CheckFn>[0];

/** An event as nodes report it. */
export interface ClockEvent {
  id: string;
  kind?: string;
  /** A receive names the send event whose message it received. */
  from?: string;
  lamport: number;
  vector?: Record<string, number>;
}

/** What a completion records: the reply's in_reply_to ties it to the step that handled the request. */
interface Stamped {
  event?: unknown;
  events?: unknown;
  order?: unknown;
  req?: unknown;
}

export const logicalClocks: Workload = {
  name: "logical-clocks",
  summary: "Timestamp local, send and receive events with Lamport (then vector) clocks; list them on read; tell how two events relate.",
  rpcs: [
    { request: '{type: "local"}', reply: '{type: "local_ok", event: {id, lamport, vector?}}' },
    { request: '{type: "send", dest: "n2"}', reply: '{type: "send_ok", event: {id, lamport, vector?}}' },
    { request: '{type: "read"}', reply: '{type: "read_ok", events: [{id, kind, from?, lamport, vector?}]}' },
    { request: '{type: "compare", a: event, b: event}', reply: '{type: "compare_ok", order: "before" | "after" | "concurrent"}' },
  ],
  recordsCausality: true,
  driver(api, spec) {
    const compares = spec.options?.clock === "vector";
    // Events the clients have learned (replies and reads), the pool compare pairs are drawn from.
    const pool: ClockEvent[] = [];
    const known = new Set<string>();
    const learn = (value: unknown) => {
      const e = value as ClockEvent;
      if (e && typeof e === "object" && typeof e.id === "string" && !known.has(e.id)) {
        known.add(e.id);
        pool.push(e);
      }
    };
    const stamped = (key: "event" | "events" | "order") => (reply: Body) => ({ [key]: reply[key], req: reply.in_reply_to });
    const readPlan = (node: string): OpPlan => ({ node, f: "read", value: null, body: { type: "read" }, readValue: stamped("events") });
    const next = (): OpPlan => {
      const node = api.rng.pick(api.nodeIds);
      const roll = api.rng.next();
      if (compares && pool.length >= 2 && roll < 0.3) {
        // Half the pairs among recent events (a send and its receipt are often both there), half from all.
        const span = api.rng.chance(0.5) ? Math.min(pool.length, 12) : pool.length;
        const base = pool.length - span;
        const i = base + api.rng.int(span);
        let j = base + api.rng.int(span - 1);
        if (j >= i) j++;
        const [a, b] = [pool[i]!, pool[j]!];
        return { node, f: "compare", value: { a: a.id, b: b.id }, body: { type: "compare", a, b }, readValue: stamped("order") };
      }
      const learning = (key: "event" | "events") => (reply: Body) => {
        if (key === "event") learn(reply.event);
        else if (Array.isArray(reply.events)) reply.events.forEach(learn);
        return stamped(key)(reply);
      };
      if (roll < 0.42) return { ...readPlan(node), readValue: learning("events") };
      if (roll < 0.65) return { node, f: "local", value: null, body: { type: "local" }, readValue: learning("event") };
      const dest = api.rng.pick(api.nodeIds.filter((n) => n !== node));
      return { node, f: "send", value: { dest }, body: { type: "send", dest }, readValue: learning("event") };
    };
    return { start: () => runClients(api, spec, next), final: () => finalReads(api, spec, readPlan) };
  },
  checks: {
    ...diagnosedGenericChecks(),
    /** a → b implies L(a) < L(b), over every pair of events the nodes listed. */
    "lamport-order"(run) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      return outcome(checkLamportOrder(a.log, a.events), a, lamportHint);
    },
    /** Comparing two events' vectors gives their true relation, for every pair. */
    "vector-order"(run) {
      const a = analyse(run, true);
      if (typeof a === "string") return { ok: false, message: a };
      return outcome(checkVectorOrder(a.log, a.events), a, vectorHint);
    },
    /** Every compare answer is the true relation of the two events. */
    compare(run) {
      const a = analyse(run, true);
      if (typeof a === "string") return { ok: false, message: a };
      if (a.unanswered) return { ok: false, message: `${a.unanswered} compare requests got no compare_ok: answer {type: "compare_ok", order: "before" | "after" | "concurrent"} from the two events' timestamps, which the request carries.` };
      if (a.answers.length === 0) return { ok: false, message: "No compare request was answered: the clients asked none, so nothing could be judged." };
      return outcome(checkRelationAnswers(a.log, a.answers), a, compareHint);
    },
    /** The clocks' cost on the wire: bytes per node-to-node message, within `max`; per event figures beside it. */
    overhead(run, params) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      const nodes = new Set(run.knobs.nodeIds);
      let messages = 0;
      let bytes = 0;
      for (const t of run.trace) {
        if (nodes.has(t.src) && nodes.has(t.dest)) {
          messages++;
          bytes += t.bytes;
        }
      }
      const max = params.max ?? 512;
      const metrics = {
        bytesPerPeerMessage: messages ? Math.round(bytes / messages) : 0,
        peerMessagesPerEvent: round2(messages / a.events.length),
        peerBytesPerEvent: Math.round(bytes / a.events.length),
      };
      const figures = `${metrics.bytesPerPeerMessage} bytes per node-to-node message, ${metrics.peerMessagesPerEvent} messages and ${metrics.peerBytesPerEvent} bytes per event (${a.events.length} events)`;
      if (metrics.bytesPerPeerMessage > max) {
        return { ok: false, message: `${figures}: more than ${max} bytes per message. A vector clock needs one number per node; a message need not carry the events its sender has seen.`, metrics };
      }
      return { ok: true, message: figures, metrics };
    },
  },
};

interface Analysis {
  log: CausalLog;
  /** Every event the final reads listed, tied to its step. */
  events: StampedEvent[];
  answers: RelationAnswer[];
  unanswered: number;
}

const analyses = new WeakMap<Run, Map<boolean, Analysis | string>>();

/** Ties every listed event to its step, or says in words why the events cannot be judged. Cached per run. */
function analyse(run: Run, vectors = false): Analysis | string {
  let byRun = analyses.get(run);
  if (!byRun) analyses.set(run, (byRun = new Map()));
  let result = byRun.get(vectors);
  if (result === undefined) byRun.set(vectors, (result = tieEvents(run, vectors)));
  return result;
}

interface Made {
  node: string;
  kind: "local" | "send";
  step: number;
  event: ClockEvent;
  dest?: string;
  /** The step that first delivered the send's message to its destination, if one did. */
  receivedAt?: number;
}

function tieEvents(run: Run, vectors: boolean): Analysis | string {
  const log = run.causality;
  if (!log) return "The run kept no causal log (the simulator records one for this workload): nothing can be judged.";
  if (log.truncated) return `The run made more than ${log.steps.length} steps, the causal log's cap: too many to judge. Do not send messages the clients did not ask for.`;
  const nodeIds = run.knobs.nodeIds;
  const stepOfRequest = new Map<string, number>();
  const firstDelivery = new Map<number, number>();
  const sentBy = new Map<number, number[]>();
  log.messages.forEach((m, i) => {
    if (m.step >= 0) sentBy.set(m.step, [...(sentBy.get(m.step) ?? []), i]);
  });
  log.steps.forEach((s, i) => {
    if (s.msg === undefined) return;
    const m = log.messages[s.msg]!;
    if (m.clientMsgId !== undefined) stepOfRequest.set(`${m.src}:${m.clientMsgId}`, i);
    else if (!firstDelivery.has(s.msg)) firstDelivery.set(s.msg, i);
  });
  const stepOf = (process: string, req: unknown) => (typeof req === "number" ? stepOfRequest.get(`${process}:${req}`) : undefined);

  const ops = completedOps(run.history);
  const made = new Map<string, Made>();
  for (const op of ops) {
    if ((op.f !== "local" && op.f !== "send") || op.status !== "ok") continue;
    const out = op.output as Stamped;
    const bad = invalid(out.event, nodeIds, vectors);
    if (bad) return `${op.node} answered a ${op.f} of ${op.process} at ${formatMs(op.invokeMs)} with ${op.f}_ok whose event ${bad}.`;
    const event = out.event as ClockEvent;
    const step = stepOf(op.process, out.req);
    if (step === undefined) return `${op.node}'s ${op.f}_ok to ${op.process} at ${formatMs(op.returnMs)} answers no request of that client (in_reply_to ${JSON.stringify(out.req)}): reply with node.reply(msg, …).`;
    if (made.has(event.id)) return `Two events share the id ${JSON.stringify(event.id)} (${made.get(event.id)!.node}'s ${made.get(event.id)!.kind} and ${op.node}'s ${op.f}): every event needs an id no other node uses, e.g. "${op.node}-" and a counter.`;
    const m: Made = { node: op.node, kind: op.f as Made["kind"], step, event };
    if (op.f === "send") {
      m.dest = (op.value as { dest: string }).dest;
      const deliveries = (sentBy.get(step) ?? []).filter((i) => log.messages[i]!.dest === m.dest).map((i) => firstDelivery.get(i)).filter((s) => s !== undefined);
      if (deliveries.length) m.receivedAt = Math.min(...deliveries);
      else if (!(sentBy.get(step) ?? []).some((i) => log.messages[i]!.dest === m.dest)) {
        return `${op.node} answered send ${JSON.stringify(event.id)} (to ${m.dest}) but sent ${m.dest} no message while handling it: the send event is the moment the message goes out, so node.send it in the send handler, with the clock.`;
      }
    }
    made.set(event.id, m);
  }

  const finals = new Map<string, { events: unknown; step: number | undefined; at: number }>();
  for (const op of ops) {
    if (op.f !== "read" || op.status !== "ok" || op.invokeMs < run.scenario.durationMs) continue;
    const out = op.output as Stamped;
    finals.set(op.node, { events: out.events, step: stepOf(op.process, out.req), at: op.invokeMs });
  }
  const events: StampedEvent[] = [];
  const listed = new Map<string, StampedEvent>();
  for (const node of nodeIds) {
    const final = finals.get(node);
    if (!final || final.step === undefined) return `${node} did not answer the final read with read_ok {events: [...]}: list every event it timestamped.`;
    if (!Array.isArray(final.events)) return `${node}'s read_ok has no "events" list.`;
    const received = new Set<string>();
    for (const raw of final.events) {
      const bad = invalid(raw, nodeIds, vectors);
      if (bad) return `In ${node}'s final read, an event ${bad}.`;
      const e = raw as ClockEvent;
      if (listed.has(e.id)) return `The id ${JSON.stringify(e.id)} is listed twice by the final reads: each event once, on the node where it happened.`;
      let step: number;
      let label: string;
      const mine = made.get(e.id);
      if (mine) {
        if (mine.node !== node) return `${node} lists ${JSON.stringify(e.id)}, ${mine.node}'s ${mine.kind}: a node lists only its own events.`;
        if (mine.event.lamport !== e.lamport || (vectors && showVector(mine.event.vector!) !== showVector(e.vector!))) {
          return `${node} answered ${mine.kind} ${JSON.stringify(e.id)} with ${stampText(mine.event, vectors)} but its read lists it with ${stampText(e, vectors)}: an event's timestamp never changes.`;
        }
        step = mine.step;
        label = `${node}'s ${mine.kind} ${JSON.stringify(e.id)}${mine.dest ? ` (to ${mine.dest})` : ""} at ${formatMs(log.steps[step]!.timeMs)}`;
      } else {
        const send = typeof e.from === "string" ? made.get(e.from) : undefined;
        if (!send) return `${node} lists ${JSON.stringify(e.id)}, which is no local or send event a client was told of${typeof e.from === "string" ? ` nor the receipt of one (from ${JSON.stringify(e.from)})` : ""}: a receive event names the send it received in "from".`;
        if (send.kind !== "send" || send.dest !== node) return `${node} lists ${JSON.stringify(e.id)} as received from ${JSON.stringify(e.from)}, which was not a send to ${node}.`;
        if (send.receivedAt === undefined || send.receivedAt > final.step) return `${node} lists ${JSON.stringify(e.id)}, the receipt of ${JSON.stringify(e.from)}, but that message never reached ${node} before the read (the network lost it): record a receive event only when a message arrives.`;
        if (received.has(e.from!)) return `${node} lists two receive events for send ${JSON.stringify(e.from)}: the network delivered that message twice, and a duplicate is not a new event. Remember which sends you received and ignore a copy.`;
        received.add(e.from!);
        step = send.receivedAt;
        label = `${node}'s receive ${JSON.stringify(e.id)} (of ${JSON.stringify(e.from)}) at ${formatMs(log.steps[step]!.timeMs)}`;
      }
      const stamped: StampedEvent = { label, step, lamport: e.lamport };
      if (vectors) stamped.vector = e.vector!;
      listed.set(e.id, stamped);
      events.push(stamped);
    }
    for (const m of made.values()) {
      if (m.node === node && !listed.has(m.event.id)) return `${node}'s final read does not list its ${m.kind} ${JSON.stringify(m.event.id)}: keep every event you timestamped.`;
      if (m.dest === node && m.receivedAt !== undefined && m.receivedAt < final.step && !received.has(m.event.id)) {
        return `${node} received ${m.node}'s message for send ${JSON.stringify(m.event.id)} at ${formatMs(log.steps[m.receivedAt]!.timeMs)} but its final read lists no receive event for it (with "from": ${JSON.stringify(m.event.id)}).`;
      }
    }
  }
  const answers: RelationAnswer[] = [];
  let unanswered = 0;
  for (const op of ops) {
    if (op.f !== "compare") continue;
    const { a, b } = op.value as { a: string; b: string };
    if (op.status !== "ok") {
      unanswered++;
      continue;
    }
    const ea = listed.get(a);
    const eb = listed.get(b);
    // A pair a read told the clients of must be in the final reads too (checked above for what was acked).
    if (!ea || !eb) return `${op.process} asked ${op.node} to compare ${JSON.stringify(a)} and ${JSON.stringify(b)}, but the final reads do not list ${!ea ? JSON.stringify(a) : JSON.stringify(b)}.`;
    answers.push({ a: ea, b: eb, answer: String((op.output as Stamped).order) });
  }
  return { log, events, answers, unanswered };
}

/** Why a reported event cannot be used, or "" when it can. */
function invalid(raw: unknown, nodeIds: readonly string[], vectors: boolean): string {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return `is not an object {id, lamport${vectors ? ", vector" : ""}} (got ${JSON.stringify(raw) ?? "nothing"})`;
  const e = raw as Partial<ClockEvent>;
  if (typeof e.id !== "string" || e.id === "") return `has no string "id" (${JSON.stringify(raw)})`;
  if (typeof e.lamport !== "number" || !Number.isFinite(e.lamport)) return `${JSON.stringify(e.id)} has no numeric "lamport" timestamp`;
  if (!vectors) return "";
  const v = e.vector;
  if (v === null || typeof v !== "object" || Array.isArray(v)) return `${JSON.stringify(e.id)} has no "vector" object (node id → count)`;
  for (const [id, n] of Object.entries(v)) {
    if (!nodeIds.includes(id)) return `${JSON.stringify(e.id)}'s vector has an entry for "${id}", which is not a node`;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) return `${JSON.stringify(e.id)}'s vector entry ${id} is ${JSON.stringify(n)}, not a count`;
  }
  return "";
}

function stampText(e: ClockEvent, vectors: boolean): string {
  return `L=${e.lamport}${vectors && e.vector ? ` ${showVector(e.vector)}` : ""}`;
}

function outcome(verdict: ClockVerdict, a: Analysis, hint: (v: ClockVerdict) => string): CheckOutcome {
  const metrics = { events: a.events.length, pairs: verdict.pairs, violations: verdict.violations };
  const what = hint === compareHint ? "compare answers" : `pairs of ${a.events.length} events`;
  if (verdict.ok) return { ok: true, message: `${verdict.pairs} ${what} agree with happens-before`, metrics };
  return { ok: false, message: `${verdict.violations} of ${verdict.pairs} ${what} disagree with happens-before; the first: ${verdict.example}. ${hint(verdict)}`, metrics };
}

function lamportHint(v: ClockVerdict): string {
  if (v.claimed === "same") return "Two causally ordered events got the same timestamp: every event, a receive too, increments the clock before it is stamped.";
  return "A later event got a smaller timestamp. Wall clocks are skewed and drift here, so they cannot order events; on receive set the clock to max(own, message's) + 1, so a receipt is always after its send.";
}

function vectorHint(v: ClockVerdict): string {
  if (v.claimed === "same") return "Two distinct events have equal vectors: a receive must merge (entry-wise max) and then increment its own entry.";
  if (v.truth !== "concurrent" && v.claimed === "concurrent") return "An event does not reflect what it saw: on receive merge the message's vector by taking the maximum of each entry.";
  return "A vector claims an order the events do not have: only a node increments its own entry, and a merge takes maxima, never sums.";
}

function compareHint(v: ClockVerdict): string {
  if (v.truth === "concurrent") return "a is before b only if every entry of a's vector is ≤ b's and they differ; when each has an entry larger than the other's they are concurrent. Sums, Lamport values and wall-clock times cannot tell that.";
  return "a is before b when every entry of a's vector is ≤ b's and they differ, after when the reverse holds.";
}

const round2 = (x: number) => Math.round(x * 100) / 100;
