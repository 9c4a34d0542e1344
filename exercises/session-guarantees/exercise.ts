import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 10 } as const;

export default defineExercise({
  slug: "session-guarantees",
  title: "Session guarantees over eventually consistent replicas",
  lesson: "09-design-considerations/02-consistency-models",
  harness: "node",
  instructions:
    'The starter is an eventually consistent key-value store that works: every node keeps a copy of every key and pushes its copies to the others every 250 ms, and the copy with the higher version wins. Clients send `{type: "write", key, value, session}` and `{type: "read", key, session}` (answer `write_ok` and `read_ok {value}`, value null for a key with no value), each time to a node picked at random. So a client may write on one node, read on another and not find its own write, or see a value and then an older one. Add a session layer that restores **read-your-writes** (a client sees its own writes) and **monotonic reads** (it never sees a key go back in time), without making every read ask a majority; the last task asks for **causal consistency**: nothing a client has seen, directly or through the writes it read, may go back in time either. Any reply may carry a `session` field (any JSON you like): the client keeps the last one it received and sends it with its next request, to whichever node. A node that cannot honour a session may refuse (error 11); it must not answer with older data. Each client writes only its own key (its id) and reads everyone\'s. `{type: "replica_read", key}` shows the grader a node\'s own copy, for the convergence check.',
  tasks: [
    {
      id: "read-your-writes",
      title: "Read your writes",
      description: "Three nodes, a healthy network: after a client's write is acknowledged, its reads, on any node, return that write or a newer one.",
      scenarios: [
        {
          name: "three-nodes",
          nodes: 3,
          durationMs: 3000,
          settleMs: 1000,
          network: { latency },
          workload: { name: "session-kv", rate: 100, clients: 4 },
        },
      ],
      checks: [
        { name: "read-your-writes" },
        { name: "no-aborted-reads" },
        // A healthy network: the reference, token-carries-copies and version-vectors answer every request ok on
        // all 30 seeds (1.000); refusing whenever behind instead of fetching (wrong/refuse-when-behind) gets
        // 0.808–0.908.
        { name: "availability", params: { min: 0.95 } },
        { name: "convergence" },
      ],
    },
    {
      id: "monotonic-reads",
      title: "Monotonic reads",
      description: "Five nodes: once a client has read a version of a key, it never reads an older one, wherever it asks next.",
      scenarios: [
        {
          name: "five-nodes",
          nodes: 5,
          durationMs: 3000,
          settleMs: 1000,
          network: { latency },
          workload: { name: "session-kv", rate: 150, clients: 12 },
        },
      ],
      checks: [
        { name: "read-your-writes" },
        { name: "monotonic-reads" },
        { name: "no-aborted-reads" },
        // All three correct designs: 1.000 on 30 seeds; refusing whenever behind: 0.875–0.924.
        { name: "availability", params: { min: 0.95 } },
        { name: "convergence" },
      ],
    },
    {
      id: "skew-and-partitions",
      title: "Skewed clocks and partitions",
      description:
        "Clocks differ by up to 200 ms, and partitions cut nodes off. A client's later write must still win over its earlier one on every node, and a node cut off from the data a session has seen must refuse rather than go back in time.",
      scenarios: [
        {
          name: "skew-partitions",
          nodes: 5,
          durationMs: 4000,
          settleMs: 1000,
          network: { latency },
          faults: { clockSkewMsMax: 200, partitions: { everyMs: 1000, lengthMs: 600 } },
          workload: { name: "session-kv", rate: 150, clients: 10 },
        },
      ],
      checks: [
        { name: "read-your-writes" },
        { name: "monotonic-reads" },
        { name: "monotonic-writes" },
        { name: "no-aborted-reads" },
        // Ok share, 30 seeds: reference 0.957–1.000, token-carries-copies 1.000, version-vectors 0.920–1.000;
        // refusing whenever behind: 0.830–0.909.
        { name: "availability", params: { min: 0.85 } },
        { name: "convergence" },
      ],
    },
    {
      id: "causal",
      title: "Causal consistency",
      description:
        "What a client has seen includes what the writers of those values had seen. If c2 read c1's write and then wrote its own key, a client that reads c2's write must afterwards not read c1's key older than what c2 had read, on any node.",
      scenarios: [
        {
          name: "causal",
          nodes: 5,
          durationMs: 4000,
          settleMs: 1000,
          network: { latency },
          // Groups that stay apart for a while, with a bridge node or two halves: writes spread unevenly.
          faults: { clockSkewMsMax: 200, partitions: { kinds: ["bridge", "halves"], everyMs: 600, lengthMs: 1000 } },
          workload: { name: "session-kv", rate: 200, clients: 8 },
        },
      ],
      checks: [
        { name: "causal" },
        { name: "read-your-writes" },
        { name: "monotonic-reads" },
        { name: "no-aborted-reads" },
        // Ok share, 30 seeds: reference 0.915–0.990, token-carries-copies 1.000, version-vectors 0.857–0.990;
        // refusing whenever behind: 0.769–0.845.
        { name: "availability", params: { min: 0.8 } },
        { name: "convergence" },
      ],
    },
  ],
  hints: [
    "Make the token a map from key to the newest version of it the client has seen (written or read). Return it, raised, with every reply.",
    "On a read, compare your copy's version with the token's version of that key. If yours is older, you cannot answer from it.",
    "A version [clock, node id] names the node that wrote it: ask that node for the key directly instead of waiting for gossip. If it cannot be reached, refuse with error 11.",
    "With skewed clocks, a node whose clock is behind can give the client's newer write a lower version than its older one, and last-writer-wins then keeps the older one. Give a write a version above the one in the token.",
    "Causal: store with each write the session token it was written under (its dependencies). When a read returns a copy, raise the client's token with the copy's dependencies too: then its next reads, anywhere, cannot fall behind what the writer had seen.",
  ],
});
