import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 10 } as const;
const partitions = { partitions: { everyMs: 1000, lengthMs: 600 } };

export default defineExercise({
  slug: "quorum-kv",
  title: "Quorum replication with read repair",
  lesson: "03-data/01-sql-nosql-and-replication",
  harness: "node",
  instructions:
    'Build a Dynamo-style key-value store. Every node keeps a copy of every key (so N is the number of nodes), and whichever node a client asks coordinates the request. `{type: "write", key, value, w}`: answer `write_ok` once `w` replicas (the coordinator counts if it stored it) hold the value. `{type: "read", key, r}`: ask the replicas and answer `read_ok {value}` (null when nobody has the key) once `r` of them replied, with the newest of their copies. Copies therefore need versions that every node compares the same way. If too few replicas answer in time, refuse a read with error 11; a write that may have reached some replicas has an unknown outcome (error 0). `{type: "replica_read", key}` is how the grader looks inside: answer `replica_read_ok {value}` with this node\'s own copy, without asking anyone. Clients use 48 keys, a few of them far more than the rest (Zipf). Clocks are synchronized in this exercise and no node crashes. When r + w > N, the grader requires that no read misses a write acknowledged before it began; when r + w ≤ N it measures how many reads are stale, and how stale. After the faults heal, one read of each key must be enough to bring every replica up to date (read repair).',
  tasks: [
    {
      id: "quorums",
      title: "Three replicas, r = w = 2",
      description: "A healthy network, N = 3, r = 2, w = 2: every read quorum meets every write quorum.",
      scenarios: [
        {
          name: "n3-r2-w2",
          nodes: 3,
          durationMs: 3000,
          settleMs: 500,
          network: { latency },
          workload: { name: "quorum-kv", rate: 100, clients: 16, options: { r: 2, w: 2 } },
        },
      ],
      checks: [
        { name: "no-stale-reads" },
        { name: "no-aborted-reads" },
        // A healthy network: the reference, anti-entropy and two-phase-writes answer every request ok on
        // all 30 seeds (1.000). The floor leaves room for a reply lost to the latency tail, nothing more.
        { name: "availability", params: { min: 0.98 } },
      ],
    },
    {
      id: "partitions",
      title: "Under partitions, r + w > N",
      description: "Five replicas, r = 3, w = 3, partitions and lost messages: refusing is allowed, a stale read is not.",
      scenarios: [
        {
          name: "n5-r3-w3",
          nodes: 5,
          durationMs: 3000,
          settleMs: 1000,
          network: { latency, lossRate: 0.01 },
          faults: partitions,
          workload: { name: "quorum-kv", rate: 120, clients: 16, options: { r: 3, w: 3 } },
        },
      ],
      checks: [
        { name: "no-stale-reads" },
        { name: "no-aborted-reads" },
        // Ok share, 30 seeds: reference 0.902–1.000, anti-entropy 0.903–0.997, two-phase-writes 0.902–0.997.
        // A coordinator that waits for every replica (wrong/waits-for-all) gets 0.615–0.895.
        { name: "availability", params: { min: 0.85 } },
      ],
    },
    {
      id: "sloppy",
      title: "r = w = 1: always available, sometimes stale",
      description:
        "Five replicas, r = 1, w = 1 under partitions: the store should answer nearly every request, and the grader reports how many reads were stale and by how much. After the heal every replica must converge.",
      scenarios: [
        {
          name: "n5-r1-w1",
          nodes: 5,
          durationMs: 3000,
          settleMs: 1000,
          network: { latency },
          faults: partitions,
          workload: { name: "quorum-kv", rate: 120, clients: 16, options: { r: 1, w: 1 } },
        },
      ],
      checks: [
        { name: "stale-reads" },
        { name: "no-aborted-reads" },
        // r = w = 1: the three correct designs answer every request ok on all 30 seeds (1.000) despite the
        // partitions; waiting for every replica gets 0.813–0.958.
        { name: "availability", params: { min: 0.98 } },
        { name: "convergence" },
      ],
    },
    {
      id: "read-repair",
      title: "Read repair",
      description:
        "Replicas that were cut off during writes hold old copies. After the heal, the grader reads each key once through some node, then looks at every node's own copy: all must agree.",
      scenarios: [
        {
          name: "n5-r3-w3-repair",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency },
          faults: { partitions: { everyMs: 500, lengthMs: 2000 } },
          workload: { name: "quorum-kv", rate: 120, clients: 16, options: { r: 3, w: 3 } },
        },
      ],
      checks: [{ name: "convergence" }, { name: "no-stale-reads" }, { name: "no-aborted-reads" }],
    },
  ],
  hints: [
    "Store a version with every copy, e.g. [the coordinator's clock, a counter, the coordinator's id], and let a replica keep a copy only if its version is higher than the one it has.",
    "The coordinator sends the request to every node (itself included) and counts replies; it answers as soon as it has w acknowledgements or r copies, and does not wait for the rest.",
    "A read returns the copy with the highest version among the replies, never simply the first reply.",
    "Read repair: keep listening after you answered. Any replica that returned an older copy (or none) gets the newest one sent back.",
  ],
});
