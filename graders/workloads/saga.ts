/**
 * saga: clients place orders with the learner's orchestrator, which carries each one through three
 * services the workload runs on the cluster's network (ClientApi.serve): "orders" (create, approve,
 * cancel), "inventory" (reserve, release) and "payment" (charge, refund). Some orders are out of stock or
 * their card is declined (a definite refusal, the same on every try); the services also lose requests and
 * answers, answer 11, and are slow now and then, and the network duplicates messages. Each service
 * deduplicates by the request's `key` and reports every request it handled as an observation, which the
 * checks (graders/checkers/saga.ts) read as the truth.
 */
import { perform } from "./client.ts";
import { clientTimeoutMs } from "../sim/defaults.ts";
import { checkAllOrNothing, checkIdempotent, checkReverseOrder, type SagaStep } from "../checkers/saga.ts";
import { ErrorCode } from "../protocol/errors.ts";
import type { ClientApi, Workload } from "./types.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";
import type { Body } from "../harness/node/api.ts";

export const orderSteps: readonly SagaStep[] = [
  { op: "create_order", undo: "cancel_order", noun: "the order created twice" },
  { op: "reserve", undo: "release", noun: "a double reservation" },
  { op: "charge", undo: "refund", noun: "a double charge" },
  { op: "approve_order" },
];

/** Which service serves each request, and the request whose refusal it may answer. */
const serviceOf: Record<string, "orders" | "inventory" | "payment"> = {
  create_order: "orders",
  approve_order: "orders",
  cancel_order: "orders",
  reserve: "inventory",
  release: "inventory",
  charge: "payment",
  refund: "payment",
};

interface OrderPlan {
  outOfStock: boolean;
  declined: boolean;
}

function options(spec: WorkloadSpec) {
  const o = spec.options ?? {};
  const num = (key: string, fallback: number) => (o[key] === undefined ? fallback : Number(o[key]));
  return {
    /** Share of requests a service loses (no effect, no answer), and of answers it loses after the effect. */
    dropShare: num("dropShare", 0),
    lostReplyShare: num("lostReplyShare", 0),
    unavailableShare: num("unavailableShare", 0),
    /** Share of requests that take 150–400 ms (longer than a sensible timeout). */
    slowShare: num("slowShare", 0),
    /** Every `outOfStockEvery`-th order of a customer is out of stock, every `declinedEvery`-th declined: every run has both. */
    outOfStockEvery: num("outOfStockEvery", 7),
    declinedEvery: num("declinedEvery", 5),
    ordersUntilMs: num("ordersUntilMs", Infinity),
  };
}

function runServices(api: ClientApi, spec: WorkloadSpec, plans: Map<string, OrderPlan>) {
  const o = options(spec);
  const rng = api.rng.fork("services");
  // What each service answered each key: a repeated key gets the same answer without a second effect.
  const answered = new Map<string, Body>();
  for (const service of ["orders", "inventory", "payment"] as const) {
    api.serve(service, (src, body, reply) => {
      const op = String(body.type);
      const saga = String(body.order_id);
      const key = typeof body.key === "string" || typeof body.key === "number" ? `${service}/${op}/${body.key}` : undefined;
      const delay = rng.chance(o.slowShare) ? rng.uniform(150, 400) : 1 + rng.exponential(3);
      const fate = rng.next();
      api.at(delay, () => {
        const observe = (outcome: string) => api.observe(service, api.now(), { saga, op, key: body.key, outcome });
        if (serviceOf[op] !== service || body.order_id === undefined) {
          return reply({ type: "error", code: ErrorCode.MalformedRequest, text: `${service} does not serve "${op}" without an order_id` });
        }
        if (fate < o.dropShare) return observe("dropped");
        if (fate < o.dropShare + o.unavailableShare) {
          observe("unavailable");
          return reply({ type: "error", code: ErrorCode.TemporarilyUnavailable, text: `${service} is busy, try again` });
        }
        const known = key === undefined ? undefined : answered.get(key);
        if (known) {
          observe("duplicate");
          return reply(known);
        }
        const plan = plans.get(saga);
        let answer: Body;
        if (op === "reserve" && plan?.outOfStock) {
          observe("refused");
          answer = { type: "error", code: ErrorCode.PreconditionFailed, text: "out of stock" };
        } else if (op === "charge" && plan?.declined) {
          observe("refused");
          answer = { type: "error", code: ErrorCode.Abort, text: "card declined" };
        } else {
          observe("applied");
          answer = { type: `${op}_ok` };
        }
        if (key !== undefined) answered.set(key, answer);
        if (fate < o.dropShare + o.unavailableShare + o.lostReplyShare) return;
        reply(answer);
      });
    });
  }
}

function runCustomers(api: ClientApi, spec: WorkloadSpec, plans: Map<string, OrderPlan>) {
  const o = options(spec);
  const timeoutMs = clientTimeoutMs(spec);
  const intervalMsMean = (api.clientIds.length * 1000) / spec.rate;
  for (const client of api.clientIds) {
    let n = 0;
    const next = () => {
      if (!api.inSafetyPhase() || api.now() >= o.ordersUntilMs) return;
      const startedMs = api.now();
      const id = `${client}-${++n}`;
      const plan = { outOfStock: n % o.outOfStockEvery === 3, declined: n % o.declinedEvery === 2 };
      plans.set(id, plan);
      const value = { id, item: `sku${1 + api.rng.int(5)}`, qty: 1 + api.rng.int(3), amount: 5 + api.rng.int(95) };
      const body = { type: "place_order", order_id: id, item: value.item, qty: value.qty, amount: value.amount };
      // A customer who hears nothing asks again with the same order id, until the orchestrator accepts it.
      const attempt = () => {
        if (!api.inSafetyPhase()) return;
        let ok = false;
        perform(api, client, { node: api.nodeIds[0]!, f: "place_order", value, body, readValue: () => ((ok = true), value) }, timeoutMs, () => {
          if (!ok) return api.at(50, attempt);
          api.at(Math.max(0, startedMs + api.rng.exponential(intervalMsMean) - api.now()), next);
        });
      };
      attempt();
    };
    api.at(api.rng.exponential(intervalMsMean), next);
  }
}

export const saga: Workload = {
  name: "saga",
  summary:
    'Orders as sagas: answer {type: "place_order", order_id, item, qty, amount} with place_order_ok once the order is safe, then carry it through the services "orders", "inventory" and "payment" until it is committed or fully compensated.',
  rpcs: [
    { request: '{type: "place_order", order_id, item, qty, amount} (from a client)', reply: '{type: "place_order_ok"} once the saga is stored' },
    { request: 'to "orders": {type: "create_order" | "approve_order" | "cancel_order", order_id, key}', reply: '{type: "<type>_ok"}' },
    { request: 'to "inventory": {type: "reserve" | "release", order_id, item, qty, key}', reply: '{type: "<type>_ok"}, or for reserve {type: "error", code: 22} (out of stock)' },
    { request: 'to "payment": {type: "charge" | "refund", order_id, amount, key}', reply: '{type: "<type>_ok"}, or for charge {type: "error", code: 14} (declined)' },
  ],
  driver(api, spec) {
    const plans = new Map<string, OrderPlan>();
    return {
      start: () => {
        runServices(api, spec, plans);
        runCustomers(api, spec, plans);
      },
      final: () => {},
    };
  },
  checks: {
    "all-or-nothing": checkAllOrNothing(orderSteps, "place_order"),
    idempotent: checkIdempotent(orderSteps, "place_order"),
    "reverse-order": checkReverseOrder(orderSteps, "place_order"),
  },
};
