import { defineExercise } from "../../graders/index.ts";

// Exponential delays reorder messages between the same two nodes; skewed, drifting clocks make wall-clock
// order disagree with causality by far more than a message's delay.
const latency = { dist: "exponential", minMs: 1, meanMs: 10 } as const;
const clocks = { clockSkewMsMax: 150, clockDriftPpmMax: 2000 } as const;

export default defineExercise({
  slug: "logical-clocks",
  title: "Lamport and vector clocks",
  lesson: "01-foundations/02-the-four-hard-parts",
  harness: "node",
  instructions:
    'Clients ask a node to make an event: `{type: "local"}` is a step on its own, `{type: "send", dest}` sends a message to node `dest` (its arrival there is a receive event). Answer `local_ok` / `send_ok` with `event: {id, lamport}`: an id no other node uses and the event\'s Lamport timestamp. `{type: "read"}` asks for every event the node has, its receive events included (`{id, kind: "receive", from: <the send\'s id>, lamport}`). A message the network delivers twice is received once. Nodes talk to each other only to carry out a send. From the second task on each event also carries `vector` (node id → count), and `{type: "compare", a, b}` hands you two events as they were reported: answer `compare_ok {order}` with "before" (a happened before b), "after" or "concurrent". Every node\'s wall clock is skewed and drifts, so `node.now()` cannot order anything.',
  tasks: [
    {
      id: "lamport",
      title: "Lamport timestamps",
      description: "Three nodes. Whenever one event happened before another, its Lamport timestamp must be smaller.",
      scenarios: [{ name: "three-nodes", nodes: 3, durationMs: 2000, settleMs: 300, network: { latency }, faults: clocks, workload: { name: "logical-clocks", rate: 150, clients: 3 } }],
      checks: [{ name: "lamport-order" }],
    },
    {
      id: "vector",
      title: "Vector clocks",
      description: "Events carry vector clocks too, and clients ask how two events relate: before, after or concurrent, exactly as they happened.",
      scenarios: [
        { name: "three-nodes", nodes: 3, durationMs: 2000, settleMs: 300, network: { latency }, faults: clocks, workload: { name: "logical-clocks", rate: 150, clients: 3, options: { clock: "vector" } } },
      ],
      checks: [{ name: "lamport-order" }, { name: "vector-order" }, { name: "compare" }],
    },
    {
      id: "faults",
      title: "Lost, duplicated and reordered messages",
      description: "Five nodes; a tenth of the messages between them are lost and a tenth arrive twice, partitions come and go. A message's size is reported beside the verdict and kept within 400 bytes.",
      scenarios: [
        {
          name: "five-nodes",
          nodes: 5,
          durationMs: 2500,
          settleMs: 300,
          network: { latency: { dist: "exponential", minMs: 1, meanMs: 20 }, lossRate: 0.1, duplicateRate: 0.1 },
          faults: { ...clocks, clockSkewMsMax: 300, partitions: { everyMs: 800, lengthMs: 400 } },
          workload: { name: "logical-clocks", rate: 200, clients: 5, options: { clock: "vector" } },
        },
      ],
      checks: [{ name: "lamport-order" }, { name: "vector-order" }, { name: "compare" }, { name: "overhead", params: { max: 400 } }],
    },
  ],
  hints: [
    "Lamport: increment a counter before every event; a message carries the sender's counter; on receive take max(own, message's) and then increment.",
    "Vector: one counter per node; increment only your own entry; on receive take the entry-wise maximum with the message's vector, then increment your own entry.",
    "Compare: a is before b when every entry of a is ≤ b's and at least one is smaller. If each has an entry larger than the other's, they are concurrent.",
  ],
});
