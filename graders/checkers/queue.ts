/**
 * Checks of a message queue's client history: producers `send` messages, consumers `receive` them under a
 * visibility timeout, may `extend` it, apply each message's effect to a ledger (`apply`) and `ack` it; at
 * the end the ledger and the dead-letter queue are read. Any history recorded in this vocabulary can be
 * judged, whoever implements the queue:
 *
 *   send         value {id, group?, seq?, account, amount, poison?}
 *   receive      value {visibilityMs}; ok value {id, receipt, …} or null (nothing visible)
 *   extend       value {id, receipt, visibilityMs}
 *   ack          value {id, receipt}
 *   apply        value {id, account, amount}
 *   read_ledger  ok value {balances: {account: number}}
 *   read_dlq     ok value {ids: string[]}
 *
 * A `poison` message is one no consumer can process: it is never acknowledged and must end in the
 * dead-letter queue. Times are the clients' (true time); a queue decides between a request's invoke and
 * its completion, so every rule below is judged with the bounds that leaves it.
 */
import { formatMs } from "../report/format.ts";
import { percentile } from "./stats.ts";
import { isDefiniteError } from "../protocol/errors.ts";
import type { CheckOutcome } from "../contract.ts";
import type { NodeCheckFn, NodeRunData } from "../harness/node/run.ts";

type Status = "ok" | "fail" | "info";

/** One request of one client: its invoke and its completion (an open end when it never completed). */
export interface QueueOp {
  process: string;
  f: string;
  value: any;
  /** The completion's value (ok only). */
  output: any;
  status: Status;
  invokeMs: number;
  returnMs: number;
}

export interface SentMessage {
  id: string;
  group?: string;
  seq?: number;
  account: string;
  amount: number;
  poison: boolean;
  /** The first send of this id was invoked then (the producer may send an id again). */
  firstInvokeMs: number;
  /** When a send of it was first acknowledged; undefined when none was. */
  ackedMs?: number;
}

export interface Delivery {
  id: string;
  receipt: unknown;
  consumer: string;
  invokeMs: number;
  returnMs: number;
  visibilityMs: number;
}

/** What the history says about each message, gathered once per run. */
export interface QueueFacts {
  sent: Map<string, SentMessage>;
  deliveries: Map<string, Delivery[]>;
  /** Receives that returned a message no producer sent. */
  unknownDeliveries: Delivery[];
  /** Invoke times of receives of unknown outcome: each may have delivered a message nobody saw. */
  unseenReceiveMs: number[];
  /** Acks (ok or of unknown outcome) by message id. */
  acks: Map<string, QueueOp[]>;
  /** Successful extends by receipt (as JSON). */
  extendsByReceipt: Map<string, QueueOp[]>;
  applies: Map<string, QueueOp[]>;
  ledger: { balances: Record<string, number>; op: QueueOp } | undefined;
  dlq: { ids: string[]; op: QueueOp } | undefined;
}

/**
 * Pairs each invoke with the next completion of the same client, Jepsen's rule. A fail with an indefinite
 * code (0 timeout, 13 crash) is an unknown outcome.
 */
export function queueOps(history: NodeRunData["history"]): QueueOp[] {
  const ops: QueueOp[] = [];
  const open = new Map<string, QueueOp>();
  for (const e of history) {
    const process = String(e.process);
    if (e.type === "invoke") {
      const op: QueueOp = { process, f: e.f, value: e.value, output: undefined, status: "info", invokeMs: e.timeMs, returnMs: Infinity };
      ops.push(op);
      open.set(process, op);
      continue;
    }
    const op = open.get(process);
    if (!op) continue;
    open.delete(process);
    op.returnMs = e.timeMs;
    op.status = e.type === "fail" && e.code !== undefined && !isDefiniteError(e.code) ? "info" : (e.type as Status);
    if (op.status === "ok") op.output = e.value;
  }
  return ops;
}

const byHistory = new WeakMap<object, QueueFacts>();

export function queueFacts(run: Pick<NodeRunData, "history">): QueueFacts {
  const known = byHistory.get(run.history);
  if (known) return known;
  const facts: QueueFacts = { sent: new Map(), deliveries: new Map(), unknownDeliveries: [], unseenReceiveMs: [], acks: new Map(), extendsByReceipt: new Map(), applies: new Map(), ledger: undefined, dlq: undefined };
  const push = <T>(map: Map<string, T[]>, key: string, item: T) => {
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  };
  const ops = queueOps(run.history);
  for (const op of ops) {
    if (op.f !== "send") continue;
    const v = op.value as { id: string; group?: string; seq?: number; account: string; amount: number; poison?: boolean };
    let m = facts.sent.get(v.id);
    if (!m) {
      m = { id: v.id, account: v.account, amount: v.amount, poison: v.poison === true, firstInvokeMs: op.invokeMs };
      if (v.group !== undefined) m.group = v.group;
      if (v.seq !== undefined) m.seq = v.seq;
      facts.sent.set(v.id, m);
    }
    if (op.status === "ok" && (m.ackedMs === undefined || op.returnMs < m.ackedMs)) m.ackedMs = op.returnMs;
  }
  for (const op of ops) {
    switch (op.f) {
      case "receive": {
        const out = op.output as { id?: unknown; receipt?: unknown } | null | undefined;
        if (op.status === "info") facts.unseenReceiveMs.push(op.invokeMs);
        if (op.status !== "ok" || !out || typeof out !== "object" || out.id === undefined) break;
        const d: Delivery = { id: String(out.id), receipt: out.receipt, consumer: op.process, invokeMs: op.invokeMs, returnMs: op.returnMs, visibilityMs: Number(op.value?.visibilityMs ?? 0) };
        if (facts.sent.has(d.id)) push(facts.deliveries, d.id, d);
        else facts.unknownDeliveries.push(d);
        break;
      }
      case "ack":
        if (op.status !== "fail") push(facts.acks, String(op.value.id), op);
        break;
      case "extend":
        if (op.status === "ok") push(facts.extendsByReceipt, JSON.stringify(op.value.receipt ?? null), op);
        break;
      case "apply":
        push(facts.applies, String(op.value.id), op);
        break;
      case "read_ledger":
        if (op.status === "ok" && op.output && typeof op.output.balances === "object" && op.output.balances !== null) facts.ledger = { balances: op.output.balances, op };
        break;
      case "read_dlq":
        if (op.status === "ok" && op.output && Array.isArray(op.output.ids)) facts.dlq = { ids: op.output.ids.map(String), op };
        break;
    }
  }
  for (const list of facts.deliveries.values()) list.sort((a, b) => a.returnMs - b.returnMs);
  byHistory.set(run.history, facts);
  return facts;
}

/** When the message was certainly done with: the invoke of its first ack that succeeded or may have. */
function firstAckMs(facts: QueueFacts, id: string): number {
  return (facts.acks.get(id) ?? []).reduce((t, op) => Math.min(t, op.invokeMs), Infinity);
}

const okAckMs = (facts: QueueFacts, id: string): number => (facts.acks.get(id) ?? []).filter((op) => op.status === "ok").reduce((t, op) => Math.min(t, op.returnMs), Infinity);

const describeMessage = (m: SentMessage) => `${m.id}${m.group ? ` (group ${m.group}${m.seq !== undefined ? `, #${m.seq}` : ""})` : ""}`;
const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
const round = (x: number) => Math.round(x);

/** Queue depth over time and end-to-end latency: the figures a queue's operator watches. */
export function queueFigures(facts: QueueFacts): Record<string, number> {
  const steps: Array<[number, number]> = [];
  const latencies: number[] = [];
  for (const m of facts.sent.values()) {
    if (m.ackedMs === undefined) continue;
    steps.push([m.ackedMs, 1]);
    const deliveries = facts.deliveries.get(m.id) ?? [];
    const doneMs = m.poison ? (deliveries.at(-1)?.returnMs ?? Infinity) : okAckMs(facts, m.id);
    if (doneMs < Infinity) {
      steps.push([doneMs, -1]);
      if (!m.poison) latencies.push(doneMs - m.firstInvokeMs);
    }
  }
  steps.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let depth = 0;
  let depthMax = 0;
  for (const [, d] of steps) depthMax = Math.max(depthMax, (depth += d));
  latencies.sort((a, b) => a - b);
  let redeliveries = 0;
  for (const list of facts.deliveries.values()) redeliveries += Math.max(0, list.length - 1);
  return {
    messages: facts.sent.size,
    queueDepthMax: depthMax,
    endToEndP50Ms: round(percentile(latencies, 0.5)),
    endToEndP99Ms: round(percentile(latencies, 0.99)),
    redeliveries,
  };
}

function fail(message: string, metrics: Record<string, number>): CheckOutcome {
  return { ok: false, message, metrics };
}

/**
 * At-least-once: every message whose send was acknowledged was delivered to a consumer and acknowledged
 * by one (a poison message: moved to the dead-letter queue instead), and its effect is in the ledger at
 * least once. Reports the queue's figures.
 */
export const checkDelivered: NodeCheckFn = (run) => {
  const facts = queueFacts(run);
  const metrics = queueFigures(facts);
  if (facts.unknownDeliveries.length) {
    const d = facts.unknownDeliveries[0]!;
    return fail(`A receive by ${d.consumer} at ${formatMs(d.returnMs)} returned message "${d.id}", which no producer sent: a queue hands out only what it was given.`, metrics);
  }
  const acked = [...facts.sent.values()].filter((m) => m.ackedMs !== undefined);
  if (acked.length === 0) return fail("No send was acknowledged: there was nothing to deliver.", metrics);
  const dlq = new Set(facts.dlq?.ids ?? []);
  for (const m of acked) {
    const deliveries = facts.deliveries.get(m.id) ?? [];
    if (m.poison) {
      if (deliveries.length === 0 && !dlq.has(m.id)) return fail(`${describeMessage(m)} was acknowledged to its producer at ${formatMs(m.ackedMs!)} and never delivered to a consumer, nor moved to the dead-letter queue: it was lost.`, metrics);
      continue;
    }
    // An ack of unknown outcome may have deleted it: that counts as done.
    if (firstAckMs(facts, m.id) < Infinity) continue;
    if (dlq.has(m.id)) continue; // judged by dead-letter: a message delivered too often may be set aside.
    if (deliveries.length === 0) {
      return fail(`${describeMessage(m)} was acknowledged to its producer at ${formatMs(m.ackedMs!)} and never delivered to any consumer: an acknowledged send must survive until a consumer acknowledges it (store it in node.storage before you answer send_ok).`, metrics);
    }
    const last = deliveries.at(-1)!;
    return fail(
      `${describeMessage(m)} was acknowledged to its producer at ${formatMs(m.ackedMs!)} and delivered ${deliveries.length} time(s), last to ${last.consumer} at ${formatMs(last.returnMs)}, but no consumer ever acknowledged it, and it was not delivered again. A consumer may crash while it holds a message: the message must stay in the queue, hidden only until its visibility timeout (${formatMs(last.visibilityMs)}) runs out, and then be delivered again. Delete it only on ack.`,
      metrics,
    );
  }
  if (!facts.ledger) return fail("The final read of the ledger (read_ledger) got no read_ledger_ok {balances}: the effects could not be checked.", metrics);
  const expected = expectedBalances(facts, (m) => m.ackedMs !== undefined && !dlq.has(m.id));
  for (const [account, want] of expected) {
    const got = Number(facts.ledger.balances[account] ?? 0);
    if (got < want) {
      return fail(
        `The ledger's balance of ${account} is ${got}, but the acknowledged messages for ${account} add up to ${want}: the effect of some message that was acknowledged to its consumer is missing. Answer apply_ok only once the effect is stored (node.storage), and let the message go only after that (its ack comes after apply_ok).`,
        metrics,
      );
    }
  }
  return { ok: true, message: `all ${acked.length} acknowledged messages were delivered and their effects applied (queue depth at most ${metrics.queueDepthMax}, end to end p50 ${formatMs(metrics.endToEndP50Ms!)}, p99 ${formatMs(metrics.endToEndP99Ms!)})`, metrics };
};

/** Per account, the sum of the amounts of the processable messages `include` accepts. */
function expectedBalances(facts: QueueFacts, include: (m: SentMessage) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of facts.sent.values()) {
    if (m.poison) continue;
    if (!out.has(m.account)) out.set(m.account, 0);
    if (include(m)) out.set(m.account, out.get(m.account)! + m.amount);
  }
  return out;
}

/**
 * Exactly-once effects: each account's balance is the sum of its messages' amounts, each counted once:
 * every acknowledged send, and any send of unknown outcome that may have reached the queue.
 */
export const checkExactlyOnce: NodeCheckFn = (run) => {
  const facts = queueFacts(run);
  if (!facts.ledger) return fail("The final read of the ledger (read_ledger) got no read_ledger_ok {balances}: the effects could not be checked.", {});
  // A message dead-lettered after its deliveries (dead-letter judges that) may or may not have its effect.
  const dlq = new Set(facts.dlq?.ids ?? []);
  const low = expectedBalances(facts, (m) => m.ackedMs !== undefined && !dlq.has(m.id));
  const high = expectedBalances(facts, () => true);
  let doubled = 0;
  for (const [id, list] of facts.applies) if (list.filter((op) => op.status === "ok").length > 1 && facts.sent.has(id)) doubled++;
  const metrics = { messagesAppliedTwice: doubled, accounts: low.size };
  for (const [account, min] of low) {
    const max = high.get(account)!;
    const got = Number(facts.ledger.balances[account] ?? 0);
    if (got > max) {
      const twice = [...facts.applies].filter(([id, list]) => facts.sent.get(id)?.account === account && list.length > 1).map(([id]) => id);
      return fail(
        `The ledger's balance of ${account} is ${got}, but all its messages together add up to ${max}: some effect was applied more than once. A message comes again when a consumer crashes after apply and before ack, or when its visibility timeout runs out; a producer that retries sends it again. ${twice.length ? `Consumers applied ${twice.slice(0, 3).join(", ")} more than once. ` : ""}Record each applied message id in node.storage in the same write as the balance, and answer a repeated apply without applying it again.`,
        metrics,
      );
    }
    if (got < min) return fail(`The ledger's balance of ${account} is ${got}, but its acknowledged messages add up to ${min}: an effect was lost.`, metrics);
  }
  return { ok: true, message: `every account's balance counts each message once (${doubled} messages were applied more than once by consumers and deduplicated)`, metrics };
};

/**
 * Redelivery only after the visibility timeout: while a delivery's lease (from its receive, or its last
 * successful extend) has not run out and it was not acknowledged, no receive returns the message again;
 * and a receipt whose message was delivered again since is not extended. `toleranceMs` (default 5)
 * allows for clock drift.
 */
export const checkVisibility: NodeCheckFn = (run, params) => {
  const toleranceMs = params.toleranceMs ?? 5;
  const facts = queueFacts(run);
  const delays: number[] = [];
  for (const [id, list] of facts.deliveries) {
    const ackMs = firstAckMs(facts, id);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const next = list[i]!;
      const extended = (facts.extendsByReceipt.get(JSON.stringify(prev.receipt ?? null)) ?? []).filter((op) => op.value?.id === id || op.value?.id === undefined);
      let leaseEndMs = prev.invokeMs + prev.visibilityMs;
      let by = `its receive at ${formatMs(prev.invokeMs)} with a visibility timeout of ${formatMs(prev.visibilityMs)}`;
      for (const op of extended) {
        const end = op.invokeMs + Number(op.value.visibilityMs ?? 0);
        if (end > leaseEndMs) {
          leaseEndMs = end;
          by = `an extend at ${formatMs(op.invokeMs)} by ${formatMs(Number(op.value.visibilityMs))}`;
        }
        if (op.invokeMs >= next.returnMs && next.receipt !== prev.receipt) {
          return fail(`${id} was delivered again to ${next.consumer} at ${formatMs(next.returnMs)}, and after that the earlier receipt (held by ${prev.consumer}) was still extended at ${formatMs(op.invokeMs)}: a receipt stops being valid once its message is delivered again; refuse such an extend with error 22.`, {});
        }
      }
      if (ackMs <= next.returnMs) continue; // acked (or maybe acked) before: a later copy is a new message.
      if (next.returnMs < leaseEndMs - toleranceMs) {
        return fail(
          `${id} was delivered to ${prev.consumer} (receive returned at ${formatMs(prev.returnMs)}) and hidden until at least ${formatMs(leaseEndMs)} by ${by}, but it was delivered again to ${next.consumer} at ${formatMs(next.returnMs)}, ${formatMs(leaseEndMs - next.returnMs)} early. A received message stays invisible until its visibility timeout runs out, counted from the receive or from the last extend: a consumer with slow work extends it, and the queue must honour that.`,
          {},
        );
      }
      delays.push(next.returnMs - leaseEndMs);
    }
  }
  delays.sort((a, b) => a - b);
  const metrics = { redeliveries: delays.length, redeliveryDelayP50Ms: round(percentile(delays, 0.5)), redeliveryDelayMaxMs: round(delays.at(-1) ?? 0) };
  return { ok: true, message: `no message was delivered again while its visibility timeout ran (${delays.length} redeliveries, a median ${formatMs(metrics.redeliveryDelayP50Ms)} after the timeout ran out)`, metrics };
};

/**
 * Poison messages end in the dead-letter queue after `maxDeliveries` deliveries: none is delivered more
 * often, each is in the dead-letter queue at the end, and no message is moved there before it was
 * delivered that many times.
 */
export const checkDeadLetter: NodeCheckFn = (run, params) => {
  const n = params.maxDeliveries ?? 3;
  const facts = queueFacts(run);
  const dlq = facts.dlq;
  if (!dlq) return fail("The final read of the dead-letter queue (read_dlq) got no read_dlq_ok {ids}.", {});
  const inDlq = new Set(dlq.ids);
  const poison = [...facts.sent.values()].filter((m) => m.poison && m.ackedMs !== undefined);
  const metrics = { poisonMessages: poison.length, deadLettered: inDlq.size };
  for (const m of poison) {
    const count = facts.deliveries.get(m.id)?.length ?? 0;
    if (count > n) return fail(`${describeMessage(m)} is a message no consumer can process, and it was delivered ${count} times; after ${n} deliveries it must go to the dead-letter queue instead of being delivered again. Count deliveries with the message, in node.storage.`, metrics);
    if (!inDlq.has(m.id)) return fail(`${describeMessage(m)} is a message no consumer can process (delivered ${count} times, never acknowledged), but it is not in the dead-letter queue at the end: after ${n} deliveries it must be moved there.`, metrics);
  }
  for (const id of inDlq) {
    const m = facts.sent.get(id);
    if (!m || m.poison) continue;
    const count = facts.deliveries.get(id)?.length ?? 0;
    // A receive whose answer was lost (the node crashed before it) may have been one of its deliveries.
    const unseen = facts.unseenReceiveMs.filter((t) => t >= m.firstInvokeMs).length;
    if (count + unseen < n) return fail(`${describeMessage(m)} is in the dead-letter queue after only ${count} deliveries (the limit is ${n}); a message that can be processed must get its ${n} chances.`, metrics);
  }
  if (poison.length === 0) return fail("No poison message was acknowledged to its producer: there was nothing to check.", metrics);
  return { ok: true, message: `all ${poison.length} poison messages are in the dead-letter queue, none delivered more than ${n} times`, metrics };
};

/**
 * First-in, first-out within a group: the message after another in its group (seq + 1, the producer sends
 * a group's messages one at a time) is delivered only once the earlier one is done: acknowledged, or
 * delivered for the last time before it went to the dead-letter queue.
 */
export const checkFifo: NodeCheckFn = (run) => {
  const facts = queueFacts(run);
  const dlq = new Set(facts.dlq?.ids ?? []);
  const groups = new Map<string, SentMessage[]>();
  for (const m of facts.sent.values()) {
    if (m.group === undefined || m.seq === undefined || m.ackedMs === undefined) continue;
    const list = groups.get(m.group);
    if (list) list.push(m);
    else groups.set(m.group, [m]);
  }
  let pairs = 0;
  for (const [group, list] of groups) {
    list.sort((a, b) => a.seq! - b.seq!);
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!;
      const after = list[i]!;
      const first = facts.deliveries.get(after.id)?.[0];
      if (!first) continue;
      pairs++;
      // A message dead-lettered (poison, or out of deliveries) left the group no earlier than its last
      // delivery anyone saw began.
      const lastSeenMs = facts.deliveries.get(before.id)?.at(-1)?.invokeMs ?? Infinity;
      const doneMs = Math.min(firstAckMs(facts, before.id), before.poison || dlq.has(before.id) ? lastSeenMs : Infinity);
      if (first.returnMs < doneMs) {
        const when = doneMs === Infinity ? "it was never acknowledged" : `it was acknowledged at ${formatMs(doneMs)}`;
        return fail(`In group ${group}, ${after.id} (#${after.seq}) was delivered to ${first.consumer} at ${formatMs(first.returnMs)} while ${before.id} (#${before.seq}) was still being processed (${when}). In a FIFO group only the oldest message may be out at a time: hold the group back while its head is in flight, and deliver the next one only after the head is acknowledged or dead-lettered.`, { orderedPairs: pairs });
      }
    }
  }
  if (pairs === 0) return fail("No two messages of one group were delivered: there was no order to check.", {});
  return { ok: true, message: `in all ${groups.size} groups each message was delivered only after the one before it was done (${pairs} pairs)`, metrics: { orderedPairs: pairs, groups: groups.size } };
};
