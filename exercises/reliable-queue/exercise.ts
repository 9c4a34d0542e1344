import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 5 } as const;
const maxDeliveries = 3;
// Two producers and six consumers; producers stop sending at `sendUntilMs`, and the rest of the run (the
// settle phase included) lets the queue drain: poison messages need three visibility timeouts to run out.
const clients = (options: Record<string, number>) => ({ name: "reliable-queue", rate: 20, clients: 8, timeoutMs: 300, options: { visibilityMs: 200, groupsPerProducer: 8, ...options } });
const crashes = {
  // A node loses its memory every second or so and is back 300 ms later; other crashes strike right after
  // a storage write or just before an answer, where a half-done change shows.
  crashes: { everyMs: 1000, downMs: 300 },
  targetedCrashes: { everyMs: 500, downMs: 50, at: ["after-storage-write", "before-reply"] as Array<"after-storage-write" | "before-reply">, nthMax: 3 },
};
const base = [
  { name: "delivered" },
  { name: "visibility" },
  { name: "dead-letter", params: { maxDeliveries } },
];

export default defineExercise({
  slug: "reliable-queue",
  title: "A reliable message queue",
  lesson: "05-messaging/01-message-queues",
  harness: "node",
  instructions:
    'Build a work queue in the style of SQS, and the ledger its consumers write to. Producers send `{type: "send", id, group, payload}`; answer `send_ok` once the message is safe. A producer that did not hear `send_ok` sends the same id again: keep each id once. Consumers ask `{type: "receive", visibility_ms}`; answer `receive_ok` with `message: {id, receipt, payload}`, or with no message when none is visible. Receiving does not remove a message: it hides it for `visibility_ms`, and if no `{type: "ack", id, receipt}` comes in that time, it becomes visible again for another consumer. A consumer with slow work sends `{type: "extend", id, receipt, visibility_ms}` to keep it hidden longer; refuse an extend with error 22 when that receipt is no longer the message\'s latest delivery. Some messages can never be processed: after 3 deliveries, move a message to the dead-letter queue instead of delivering it again (`read_dlq` answers `read_dlq_ok {ids}`). Consumers apply each message\'s effect with `{type: "apply", id, account, amount}` (add amount to the account\'s balance; `read_ledger` answers `read_ledger_ok {balances}`), then ack. Consumers crash mid-message, before or after apply; then queue nodes crash too (memory lost, node.storage kept), and in the end every message must have its effect exactly once, in order within its group.',
  tasks: [
    {
      id: "at-least-once",
      title: "At least once",
      description:
        "One queue node. Consumers crash while they hold a message, some messages are slow (consumers extend their visibility timeout) and some are poison (no consumer can process them). Every acknowledged send must reach a consumer that acknowledges it, never while another consumer's visibility timeout still runs, and poison messages must end in the dead-letter queue after 3 deliveries.",
      scenarios: [{ name: "one-node", nodes: 1, durationMs: 3000, settleMs: 1500, network: { latency }, workload: clients({ sendUntilMs: 2000 }) }],
      checks: base,
    },
    {
      id: "durable",
      title: "Queue nodes crash",
      description:
        "Three nodes, and they crash: memory is lost, node.storage is kept. Nothing a node acknowledged may be lost: not a send, not an effect, not a delivery count. Requests to a node that is down time out; clients try again elsewhere.",
      scenarios: [{ name: "crashes", nodes: 3, durationMs: 4000, settleMs: 2500, network: { latency }, faults: crashes, workload: clients({ sendUntilMs: 3000 }) }],
      checks: base,
    },
    {
      id: "exactly-once",
      title: "Exactly-once effects",
      description:
        "At-least-once delivery means some messages come twice: a consumer crashes after apply and before ack, a producer sends again. Make apply idempotent, so that every account's balance counts each message exactly once, across crashes of the node that keeps the ledger.",
      scenarios: [{ name: "duplicates", nodes: 3, durationMs: 4000, settleMs: 2500, network: { latency }, faults: crashes, workload: clients({ sendUntilMs: 3000, duplicateShare: 0.2, crashShare: 0.3 }) }],
      checks: [...base, { name: "exactly-once" }],
    },
    {
      id: "fifo",
      title: "FIFO within a group",
      description:
        "Messages of one group must be processed in the order they were sent: deliver a group's next message only after the one before it was acknowledged or dead-lettered, while other groups go on.",
      // A group drains one message at a time (a poison head holds it for three timeouts): a longer settle
      // phase lets the deepest group finish (30 seeds of the reference and both alternatives pass).
      scenarios: [{ name: "groups", nodes: 3, durationMs: 4000, settleMs: 3500, network: { latency }, faults: crashes, workload: clients({ sendUntilMs: 3000, duplicateShare: 0.2, crashShare: 0.3, groupsPerProducer: 3 }) }],
      checks: [...base, { name: "exactly-once" }, { name: "fifo" }],
    },
  ],
  hints: [
    "Start with one node: a list of messages in arrival order, each with a delivery count and the time it becomes visible again. receive picks the first visible one, counts the delivery, and hides it for visibility_ms.",
    "Delete a message only on ack, never on receive: a consumer that crashes never acks, and its message must come back when the timeout runs out.",
    "Before handing out a message that already had 3 deliveries (and whose last timeout ran out), move it to the dead-letter queue.",
    "A crash loses memory: write every change to node.storage before you answer. Let one node (the first id) own the queue and have the others forward to it.",
    "Idempotent apply: remember the ids applied, in node.storage and in the same write as the balance. Two writes can be split by a crash.",
    "FIFO: when you look for a message to deliver, skip every group that has an older message still in the queue.",
  ],
});
