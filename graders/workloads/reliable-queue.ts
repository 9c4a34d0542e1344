/**
 * reliable-queue: an SQS-like queue served by the nodes, with the ledger its consumers write their effects
 * to. Producers send messages (and send some twice, as a producer does when an acknowledgement is lost);
 * consumers receive them under a visibility timeout, work on them (slow ones extend the timeout), apply the
 * effect and acknowledge; some consumers crash mid-message, before or after the effect. The checks are
 * graders/checkers/queue.ts.
 */
import { perform, type OpPlan } from "./client.ts";
import { clientTimeoutMs } from "../sim/defaults.ts";
import { checkDeadLetter, checkDelivered, checkExactlyOnce, checkFifo, checkVisibility } from "../checkers/queue.ts";
import type { ClientApi, Workload } from "./types.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";
import type { Body } from "../harness/node/api.ts";

/** What a consumer works on: the message as `receive` returned it. */
interface Received {
  id: string;
  receipt: unknown;
  payload: { account?: unknown; amount?: unknown; poison?: unknown; work_ms?: unknown };
}

function options(spec: WorkloadSpec) {
  const o = spec.options ?? {};
  const num = (key: string, fallback: number) => (o[key] === undefined ? fallback : Number(o[key]));
  return {
    producers: num("producers", 2),
    visibilityMs: num("visibilityMs", 300),
    /** Producers send nothing new after this; the rest of the run lets the queue drain. */
    sendUntilMs: num("sendUntilMs", 2000),
    groupsPerProducer: num("groupsPerProducer", 2),
    accounts: num("accounts", 4),
    /** Every `poisonEvery`-th message of a producer is poison (none can process it), every `slowEvery`-th slow. */
    poisonEvery: num("poisonEvery", 15),
    slowEvery: num("slowEvery", 10),
    /** Share of first deliveries whose consumer crashes, half before its apply, half after it. */
    crashShare: num("crashShare", 0.2),
    /** Share of acknowledged sends the producer sends again (it did not hear the acknowledgement). */
    duplicateShare: num("duplicateShare", 0.1),
    /** How long a crashed consumer stays away. */
    consumerDownMs: num("consumerDownMs", 100),
    pollMs: num("pollMs", 30),
  };
}

function runQueueClients(api: ClientApi, spec: WorkloadSpec) {
  const o = options(spec);
  const timeoutMs = clientTimeoutMs(spec);
  const producers = api.clientIds.slice(0, Math.min(o.producers, api.clientIds.length - 1));
  const consumers = api.clientIds.slice(producers.length);
  const intervalMsMean = (producers.length * 1000) / spec.rate;
  const crashedOnce = new Set<string>();
  /** Consumers that saw the run end and stopped: the final reads wait for all of them. */
  const stopped = new Set<string>();
  let stopping = false;

  /** One request; `done` gets the ok reply, or null for anything else. */
  const request = (client: string, plan: Omit<OpPlan, "node" | "readValue">, done: (reply: Body | null) => void, readValue?: (reply: Body) => unknown) => {
    let okReply: Body | null = null;
    const node = api.rng.pick(api.nodeIds);
    perform(api, client, { ...plan, node, readValue: (reply) => ((okReply = reply), readValue ? readValue(reply) : plan.value) }, timeoutMs, () => done(okReply));
  };

  for (const producer of producers) {
    let n = 0;
    const seqs = new Map<string, number>();
    const sendNext = () => {
      if (!api.inSafetyPhase() || api.now() >= o.sendUntilMs) return;
      const startedMs = api.now();
      const id = `${producer}-${++n}`;
      const group = `${producer}g${1 + api.rng.int(o.groupsPerProducer)}`;
      const seq = (seqs.get(group) ?? 0) + 1;
      seqs.set(group, seq);
      const payload: Record<string, unknown> = { account: `a${1 + api.rng.int(o.accounts)}`, amount: 1 + api.rng.int(9) };
      if (n % o.poisonEvery === 3) payload.poison = true;
      else if (n % o.slowEvery === 6) payload.work_ms = Math.round(o.visibilityMs * 2.5);
      const value = { id, group, seq, ...payload };
      const body = { type: "send", id, group, payload };
      let again = api.rng.chance(o.duplicateShare);
      // A producer retries until the queue acknowledges the send: at-least-once from the producer's side.
      const attempt = () => {
        if (!api.inSafetyPhase()) return;
        request(producer, { f: "send", value, body }, (reply) => {
          if (reply === null) return api.at(50, attempt);
          if (again) {
            again = false;
            return attempt();
          }
          api.at(Math.max(0, startedMs + api.rng.exponential(intervalMsMean) - api.now()), sendNext);
        });
      };
      attempt();
    };
    api.at(api.rng.exponential(intervalMsMean), sendNext);
  }

  for (const consumer of consumers) {
    const loop = () => {
      if (stopping) return void stopped.add(consumer);
      request(consumer, { f: "receive", value: { visibilityMs: o.visibilityMs }, body: { type: "receive", visibility_ms: o.visibilityMs } }, (reply) => {
        const message = reply?.message as Received | undefined;
        if (!message || typeof message !== "object" || message.id === undefined) return api.at(o.pollMs, loop);
        handle({ id: String(message.id), receipt: message.receipt, payload: (message.payload ?? {}) as Received["payload"] });
      }, (reply) => (reply.message ? { id: reply.message.id, receipt: reply.message.receipt } : null));
    };

    const handle = (m: Received) => {
      // Processing a poison message always fails: the consumer drops it and its visibility timeout runs out.
      if (m.payload.poison === true) return api.at(5, loop);
      let crash: "before-apply" | "after-apply" | undefined;
      if (!crashedOnce.has(m.id) && api.rng.chance(o.crashShare)) {
        crashedOnce.add(m.id);
        crash = api.rng.chance(0.5) ? "before-apply" : "after-apply";
      }
      const down = () => api.at(o.consumerDownMs, loop);
      let remaining = typeof m.payload.work_ms === "number" ? m.payload.work_ms : 5 + api.rng.int(20);
      const sliceMs = Math.floor(o.visibilityMs / 3);
      const work = () => {
        if (stopping) return loop();
        if (remaining <= 0) return crash === "before-apply" ? down() : apply(3);
        const slice = Math.min(remaining, sliceMs);
        remaining -= slice;
        api.at(slice, () => {
          if (remaining <= 0) return work();
          // Slow work: keep the message hidden for another visibility timeout; a refused extend means
          // the message was handed to someone else, so this consumer lets it go.
          request(consumer, { f: "extend", value: { id: m.id, receipt: m.receipt, visibilityMs: o.visibilityMs }, body: { type: "extend", id: m.id, receipt: m.receipt, visibility_ms: o.visibilityMs } }, (reply) => (reply ? work() : loop()));
        });
      };
      const apply = (tries: number) => {
        const value = { id: m.id, account: m.payload.account, amount: m.payload.amount };
        request(consumer, { f: "apply", value, body: { type: "apply", ...value } }, (reply) => {
          if (reply === null) return tries > 1 && !stopping ? api.at(20, () => apply(tries - 1)) : loop();
          if (crash === "after-apply") return down();
          ack(3);
        });
      };
      const ack = (tries: number) => {
        request(consumer, { f: "ack", value: { id: m.id, receipt: m.receipt }, body: { type: "ack", id: m.id, receipt: m.receipt } }, (reply) => {
          if (reply === null && tries > 1 && !stopping) return api.at(20, () => ack(tries - 1));
          loop();
        });
      };
      work();
    };
    api.at(api.rng.int(o.pollMs), loop);
  }

  /** After the run: once every consumer has put down its message, read the ledger and the dead-letter queue. */
  const final = () => {
    stopping = true;
    const readAll = (f: "read_ledger" | "read_dlq", next: () => void, nodes = [...api.nodeIds]) => {
      const node = nodes.shift();
      if (!node) return next();
      let ok = false;
      // A producer reads: they stopped before the faults healed, so none has a request in flight.
      perform(api, producers[0]!, { node, f, value: null, body: { type: f }, readValue: (reply) => ((ok = true), f === "read_ledger" ? { balances: reply.balances } : { ids: reply.ids }) }, timeoutMs, () => (ok ? next() : readAll(f, next, nodes)));
    };
    const waitIdle = () => (stopped.size < consumers.length ? api.at(10, waitIdle) : readAll("read_ledger", () => readAll("read_dlq", () => {})));
    waitIdle();
  };
  return final;
}

export const reliableQueue: Workload = {
  name: "reliable-queue",
  summary:
    'An SQS-like queue and the ledger its consumers write to: {type: "send", id, group, payload}, {type: "receive", visibility_ms}, {type: "extend", id, receipt, visibility_ms}, {type: "ack", id, receipt}, {type: "apply", id, account, amount}; every acknowledged send is delivered until a consumer acknowledges it, and its effect counts once.',
  rpcs: [
    { request: '{type: "send", id: string, group: string, payload: {account, amount, poison?, work_ms?}}', reply: '{type: "send_ok"} (an id already sent is acknowledged again, not stored twice)' },
    { request: '{type: "receive", visibility_ms: number}', reply: '{type: "receive_ok", message: {id, receipt, payload}} or {type: "receive_ok"} when no message is visible' },
    { request: '{type: "extend", id: string, receipt, visibility_ms: number}', reply: '{type: "extend_ok"}, or {type: "error", code: 22} when the receipt is no longer the message\'s latest' },
    { request: '{type: "ack", id: string, receipt}', reply: '{type: "ack_ok"} (the message is deleted)' },
    { request: '{type: "apply", id: string, account: string, amount: number}', reply: '{type: "apply_ok"} (the amount is added to the account\'s balance)' },
    { request: '{type: "read_ledger"}', reply: '{type: "read_ledger_ok", balances: {[account]: number}}' },
    { request: '{type: "read_dlq"}', reply: '{type: "read_dlq_ok", ids: string[]} (the dead-letter queue)' },
  ],
  driver(api, spec) {
    let final: () => void = () => {};
    return {
      start: () => {
        final = runQueueClients(api, spec);
      },
      final: () => final(),
    };
  },
  checks: {
    delivered: checkDelivered,
    "exactly-once": checkExactlyOnce,
    visibility: checkVisibility,
    "dead-letter": checkDeadLetter,
    fifo: checkFifo,
  },
};
