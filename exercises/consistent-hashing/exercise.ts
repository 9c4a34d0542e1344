import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "consistent-hashing";

export default defineExercise({
  slug: "consistent-hashing",
  title: "Consistent hashing: a ring with virtual nodes",
  lesson: "03-data/02-sharding-and-federation",
  harness: "component",
  instructions: [
    "Write a consistent-hash ring. Default-export a factory that takes `{ virtualNodes }` and returns a `HashRing`: `addNode(node)`, `removeNode(node)` and `lookup(key)`, which names the node that owns `key`. Node names look like `10.3.7.21:6379`, keys like `user:k3x9…`.",
    "",
    "The grader adds the nodes, looks up every key, then adds one node and looks them all up again, then removes one of the first nodes and looks them up once more. Keys must move only when they have to: on a join only to the new node, on a leave only away from the node that left, and about K/N of them (K keys, N nodes). In the later tasks the keys must also be spread evenly: the busiest node may own only a little more than the mean.",
    "",
    "`Math.random()` is seeded, but a ring should not need it: owners must follow from the names alone.",
  ].join("\n"),
  // Budgets: each is set from the spread of correct solutions over seeds 1–100 (.meta/solution.ts and
  // .meta/alternatives/: a bucketed ring hashed with MurmurHash3, rendezvous hashing, multi-probe hashing),
  // with the nearest wrong solution beside it. Balance is the worst of the three states (before, after the
  // join, after the leave).
  tasks: [
    {
      id: "ring",
      title: "A ring",
      description: "10 nodes, 20 000 keys: a join or a leave moves only the keys it must, and the node that joins takes some (a ring with one point per node passes: its moves can reach 5× the ideal K/N).",
      scenarios: [componentScenario({ name: "10-nodes", system, durationMs: 1, options: { nodes: 10, keys: 20_000, virtualNodes: 100 } })],
      // one point per node: moves up to 4.8× the ideal over seeds 1–50; hash mod N moves about 90% of all keys.
      checks: [{ name: "moved", params: { maxFactor: 6 } }],
    },
    {
      id: "virtual-nodes",
      title: "Virtual nodes",
      description: "The same ring, now balanced: the fullest of 10 nodes owns at most 1.5× the mean before and after each change, and moves stay within 1.5× the ideal.",
      scenarios: [componentScenario({ name: "10-nodes-balanced", system, durationMs: 1, options: { nodes: 10, keys: 20_000, virtualNodes: 100 } })],
      checks: [
        // correct solutions: 1.02–1.40× over seeds 1–100 (the rings 1.09–1.40×); one point per node: 1.95–4.8×.
        { name: "balance", params: { max: 1.5 } },
        // correct solutions: at most 1.31× the ideal over seeds 1–100.
        { name: "moved", params: { maxFactor: 1.5 } },
      ],
    },
    {
      id: "hundred-nodes",
      title: "A hundred nodes",
      description: "100 nodes and 50 000 keys: the fullest node owns at most 1.65× the mean; moves within 1.5× the ideal.",
      scenarios: [componentScenario({ name: "100-nodes", system, durationMs: 1, options: { nodes: 100, keys: 50_000, virtualNodes: 100 } })],
      checks: [
        // correct solutions: 1.08–1.49× over seeds 1–100 (the rings 1.20–1.49×, rendezvous 1.08–1.17×); ten
        // points per node: 1.75–2.36×, a 1024-slot lookup table 1.61–2.16×, FNV-1a without a finalizer 1.78–3.35× (seeds 1–10).
        { name: "balance", params: { max: 1.65 } },
        // correct solutions: at most 1.32× the ideal over seeds 1–100.
        { name: "moved", params: { maxFactor: 1.5 } },
      ],
    },
  ],
  seeds: 10,
  hints: [
    "Hash each node's name to a number: that is its point on the ring. A key belongs to the first point at or after the key's hash, wrapping round to the smallest point.",
    "Keep the points in a sorted array and binary-search it in lookup; rebuild the array on addNode and removeNode.",
    "Give each node many points (hash `${node}#0`, `${node}#1`, …, up to virtualNodes): many short arcs even out where one long arc would not. Use a hash that mixes its bits well (FNV-1a plus a finalizer), or nearby names cluster.",
  ],
});
