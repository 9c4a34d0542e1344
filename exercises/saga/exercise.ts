import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 5 } as const;
const orders = (options: Record<string, number> = {}) => ({ name: "saga", rate: 20, clients: 4, timeoutMs: 300, options: { ordersUntilMs: 2500, ...options } });
// The services lose one request in ten and one answer in ten, say "busy" (11) to one in twenty, and take
// 150-400 ms over one in ten; the network delivers one message in twenty twice.
const flaky = { dropShare: 0.1, lostReplyShare: 0.1, unavailableShare: 0.05, slowShare: 0.1 };

export default defineExercise({
  slug: "saga",
  title: "An order saga with compensations",
  lesson: "06-design-patterns/02-event-driven-cqrs-and-event-sourcing",
  harness: "node",
  instructions:
    'You write the orchestrator (one node, n1) of an order saga. Customers send `{type: "place_order", order_id, item, qty, amount}`; answer `place_order_ok` once the order is safe, and then carry it through four steps, each a request to a service on the network: `create_order` to "orders", `reserve` to "inventory", `charge` to "payment", `approve_order` to "orders". Every request carries `order_id` (and `item`, `qty`, `amount` where they matter) and an idempotency `key`. Inventory may refuse a reservation (error 22, out of stock) and payment a charge (error 14, declined): that answer is final, and the saga must then undo what it did, last step first: `refund` (payment), `release` (inventory), `cancel_order` (orders). Every order must end committed (all four steps) or compensated (every step it took undone), never half way. Services also lose requests and answers, say they are busy (11) and are slow; the network duplicates messages; and in the last task the orchestrator crashes in the middle of sagas (memory lost, node.storage kept).',
  tasks: [
    {
      id: "steps-and-compensations",
      title: "Steps and compensations",
      description: "Reliable services. Some orders are out of stock and some cards are declined: commit the others, compensate those, in reverse order.",
      scenarios: [{ name: "reliable", nodes: 1, durationMs: 3000, settleMs: 1500, network: { latency }, workload: orders() }],
      checks: [{ name: "all-or-nothing" }, { name: "reverse-order" }],
    },
    {
      id: "unreliable-services",
      title: "Unreliable services",
      description:
        "Services lose requests and answers, are busy or slow, and the network duplicates messages. A timeout is not a refusal: retry until the service answers, with the same idempotency key, so nothing is charged or reserved twice.",
      scenarios: [{ name: "flaky", nodes: 1, durationMs: 3000, settleMs: 2000, network: { latency, duplicateRate: 0.05 }, workload: orders(flaky) }],
      checks: [{ name: "all-or-nothing" }, { name: "idempotent" }, { name: "reverse-order" }],
    },
    {
      id: "orchestrator-crashes",
      title: "The orchestrator crashes",
      description:
        "The orchestrator crashes every half second or so and restarts 100 ms later, sometimes right after a storage write. It must take up every unfinished saga from node.storage, and retry the step it was in without doing it twice.",
      scenarios: [
        {
          name: "crashes",
          nodes: 1,
          durationMs: 4000,
          settleMs: 2000,
          network: { latency, duplicateRate: 0.05 },
          faults: { crashes: { everyMs: 500, downMs: 100 }, targetedCrashes: { everyMs: 300, downMs: 20, at: ["after-storage-write"], nthMax: 5 } },
          workload: orders({ ...flaky, ordersUntilMs: 3500 }),
        },
      ],
      checks: [{ name: "all-or-nothing" }, { name: "idempotent" }, { name: "reverse-order" }],
    },
  ],
  hints: [
    "Write the saga as a small state machine: the phase (forward, compensating, done) and the index of the step it is at.",
    "A request to a service is `node.rpc(\"payment\", {type: \"charge\", order_id, amount, key})`. Codes 22 and 14 are final answers; anything else (a timeout, 11) means: try again, with the same key.",
    "Make the key from the order id and the request type. A fresh key on every retry is how customers get charged twice.",
    "On a refusal, undo the steps taken before it, the last one first; a compensation is a request like any other, retried with its own key until it is done.",
    "Store the saga (node.storage) each time it moves on, and when the node starts, take up every saga that is not done.",
  ],
});
