import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "uniform", minMs: 1, maxMs: 20 } as const;

export default defineExercise({
  slug: "unique-ids",
  title: "Unique ids without coordination",
  lesson: "01-foundations/02-the-four-hard-parts",
  harness: "node",
  instructions:
    'Answer `{type: "generate"}` with `{type: "generate_ok", id}` where no id is ever handed out twice, by any node, even while nodes cannot reach each other. Asking the others first is not an option: partitions would block you. Ids may be strings or numbers, and there will be many of them.',
  tasks: [
    {
      id: "cluster",
      title: "Three nodes",
      description: "Clients ask any of three nodes.",
      scenarios: [{ name: "three-nodes", nodes: 3, durationMs: 3000, network: { latency }, workload: { name: "unique-ids", rate: 200, clients: 3 } }],
      // No faults: every request is answered (ok ratio 1 for every correct solution over seeds 1–30).
      checks: [{ name: "unique" }, { name: "availability", params: { min: 1 } }],
    },
    {
      id: "partitions",
      title: "Under partitions and crashes",
      description: "Nodes are partitioned and crash (memory lost, storage kept) while ids are generated.",
      scenarios: [
        {
          name: "partitions-crashes",
          nodes: 5,
          durationMs: 5000,
          network: { latency },
          faults: { partitions: { everyMs: 800, lengthMs: 600 }, crashes: { everyMs: 1500, downMs: 300 } },
          workload: { name: "unique-ids", rate: 300, clients: 5, timeoutMs: 500 },
        },
      ],
      // A node that is up can always answer: the reference, boot epochs and a hybrid clock answer every
      // request not caught by a crash (ok ratio 1 over seeds 1–30; 0.957–0.995 counting those too). Asking a
      // leader for each id answers 82–96% here.
      checks: [{ name: "unique" }, { name: "availability", params: { min: 1, exceptWhileDown: 1 } }],
    },
    {
      id: "volume",
      title: "Many ids, fast",
      description:
        "Two nodes, one of them hot: it hands out some 70,000 ids in ten seconds, and both crash now and then. A scheme that only works below some bound (a 16-bit counter, a range of ids per node, a clock reading, a random number) repeats itself here.",
      scenarios: [
        {
          name: "hot-node",
          nodes: 2,
          durationMs: 10_000,
          network: { latency: { dist: "uniform", minMs: 1, maxMs: 3 } },
          faults: { crashes: { everyMs: 3000, downMs: 200 } },
          workload: { name: "unique-ids", rate: 8500, clients: 100, timeoutMs: 300, options: { hotNodeShare: 0.95 } },
        },
      ],
      // As above: ok ratio 1 on nodes that were up for every correct solution over seeds 1–30. The hot node
      // hands out 68,023–77,822 ids over those seeds, past the 65,536 of a 16-bit counter on every one.
      checks: [{ name: "unique" }, { name: "availability", params: { min: 1, exceptWhileDown: 1 } }],
    },
  ],
  hints: [
    "Each node knows its own id (`node.id`), which no other node has.",
    "A counter in memory restarts from zero after a crash: keep it in `node.storage`, or make ids unique another way.",
    "Leave the id space unbounded: a string such as `${node.id}-${counter}` never runs out, where a number of fixed width, a range per node or a timestamp eventually repeats.",
  ],
});
