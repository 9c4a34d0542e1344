import { defineExercise } from "../../graders/index.ts";

const fast = { dist: "uniform", minMs: 1, maxMs: 10 } as const;

export default defineExercise({
  slug: "broadcast",
  title: "Broadcast: gossip to every node",
  lesson: "05-messaging/01-message-queues",
  harness: "node",
  instructions:
    'Clients send `{type: "broadcast", message: n}` to any node and `{type: "read"}` to any node; a read returns every value the node has seen (`{type: "read_ok", messages: [...]}`). Every acknowledged value must reach every node, even when the network is partitioned for a while, and in the last step within a message and latency budget. Each node first receives a `topology` message with suggested neighbours: you may use it or ignore it.',
  tasks: [
    {
      id: "single-node",
      title: "One node",
      description: "Store what you are sent and return it on read.",
      scenarios: [{ name: "single", nodes: 1, durationMs: 2000, network: { latency: fast }, workload: { name: "broadcast", rate: 20, clients: 1 } }],
      checks: [{ name: "delivery" }],
    },
    {
      id: "many-nodes",
      title: "Five nodes",
      description: "Values must spread to every node.",
      scenarios: [{ name: "five-nodes", nodes: 5, durationMs: 3000, network: { latency: fast }, workload: { name: "broadcast", rate: 50, clients: 5 } }],
      checks: [{ name: "delivery" }],
    },
    {
      id: "partitions",
      title: "Under partitions",
      description: "The network is cut into groups for a while; a message lost to a partition is never redelivered by the network.",
      scenarios: [
        {
          name: "partitions",
          nodes: 5,
          durationMs: 5000,
          settleMs: 2000,
          network: { latency: fast },
          faults: { partitions: { everyMs: 1000, lengthMs: 800 } },
          workload: { name: "broadcast", rate: 50, clients: 5 },
        },
      ],
      checks: [{ name: "delivery" }],
    },
    {
      id: "efficiency",
      title: "Efficient at 25 nodes",
      description: "25 nodes, 100 ms per hop: at most 30 node-to-node messages per operation, values visible everywhere within 400 ms (median) and 600 ms (max).",
      scenarios: [
        {
          name: "25-nodes",
          nodes: 25,
          durationMs: 10_000,
          settleMs: 2000,
          network: { latency: { dist: "constant", ms: 100 } },
          workload: { name: "broadcast", rate: 100, clients: 25 },
        },
      ],
      checks: [
        { name: "delivery" },
        // Correct solutions over seeds 1–30: direct fan-out with acks (the reference) 21.4–24.9, a depth-2
        // spanning tree with acks 21.4–24.9, push with anti-entropy digests 14.7–16.5. 30 is 20% above the
        // most expensive; known-wrong ones cost 35–37 (one ack set for all peers), 59–63 (relaying along the
        // grid), 92–95 (everything to everyone on a timer).
        { name: "msgs-per-op", params: { max: 30 } },
        // Same solutions and seeds, median: fan-out and digests 76.7–84.1 ms, the tree 342–361 ms (4 hops);
        // max: 99.8–100 ms and 399.7–400 ms. 400/600 ms leave 11% and 50% above the tree; relaying along the
        // grid takes 437–474/768–800 ms, a once-a-second batch 523–580/1067–1094 ms.
        { name: "stable-latency", params: { p50Max: 400, maxMax: 600 } },
      ],
    },
  ],
  seeds: 5,
  hints: [
    "Forward each new value to the other nodes; remember what you have seen so you never forward it twice.",
    "The network may drop a message during a partition: keep what each peer has not acknowledged and send it again later.",
    "For efficiency, batch: one message can carry many values, and one acknowledgement can confirm them all.",
  ],
});
