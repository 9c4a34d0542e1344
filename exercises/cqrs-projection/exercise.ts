import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 1, meanMs: 10 } as const;
const workload = { name: "cqrs-projection", rate: 150, clients: 4 } as const;

export default defineExercise({
  slug: "cqrs-projection",
  title: "An event-sourced write model and its projections",
  lesson: "06-design-patterns/02-event-driven-cqrs-and-event-sourcing",
  harness: "node",
  instructions:
    'n1 is the write model. Clients send it commands, `{type: "add", id, key, delta}` and `{type: "write", id, key, value}`; each becomes one event `{seq, id, key, op, value}` (op "add" or "write", value the delta or the new value) appended to n1\'s event log, and the reply, `add_ok` / `write_ok`, carries `version`: the event\'s seq. `{type: "log"}` asks n1 for the whole log, `log_ok {events}` in seq order. Every other node is a read model: it applies the events in seq order (an add adds to the key, a write replaces it) and answers `{type: "read"}` with `read_ok {value: {key: number}, version}`, version being how many events it has applied. The network loses, duplicates and reorders messages, and later n1 crashes between steps, so publish from the log (an outbox), not from memory. In the last task a read may carry `min_version`, the version of the client\'s own write: answer only from a state that includes it (wait for it, or refuse with error 11).',
  tasks: [
    {
      id: "project",
      title: "Project the log",
      description: "Two read models behind one write model; messages are reordered and some arrive twice. Every read must show the log's first `version` events, each applied once.",
      scenarios: [{ name: "reorder", nodes: 3, durationMs: 2000, settleMs: 800, network: { latency, duplicateRate: 0.15 }, workload }],
      checks: [{ name: "durability" }, { name: "log-prefix" }, { name: "convergence" }],
    },
    {
      id: "redelivery",
      title: "Redelivery",
      description: "A fifth of the messages are lost and partitions cut read models off: re-send what was not acknowledged. The projection lag is measured.",
      scenarios: [
        {
          name: "lossy",
          nodes: 3,
          durationMs: 2500,
          settleMs: 1000,
          network: { latency, lossRate: 0.2, duplicateRate: 0.15 },
          faults: { partitions: { everyMs: 900, lengthMs: 300 } },
          workload,
        },
      ],
      // Projection lag p99, seeds 1–30: the reference (push every 40 ms) 79–395 ms, pull every 20 ms 222–576,
      // go-back-N 102–547; publishing once a second gives 965–1910 over seeds 1–10.
      checks: [{ name: "durability" }, { name: "log-prefix" }, { name: "convergence" }, { name: "projection-lag", params: { maxP99Ms: 800 } }],
    },
    {
      id: "crashes",
      title: "The writer crashes",
      description: "Nodes crash right after writing to node.storage, before anything else of that step happens, and at random; memory is lost, storage kept. No acknowledged command may disappear and no event may stay unpublished.",
      scenarios: [
        {
          name: "crash-after-append",
          nodes: 3,
          durationMs: 3000,
          settleMs: 1000,
          network: { latency, lossRate: 0.05, duplicateRate: 0.1 },
          faults: { targetedCrashes: { everyMs: 300, downMs: 200, at: ["after-storage-write"], nthMax: 4 }, crashes: { everyMs: 1200, downMs: 300 } },
          workload,
        },
      ],
      checks: [{ name: "durability" }, { name: "log-prefix" }, { name: "convergence" }],
    },
    {
      id: "read-your-writes",
      title: "Read your writes",
      description: "After a write a client reads at once, with its version as a token. It must see its write; at least 80% of such reads must be answered.",
      scenarios: [
        {
          name: "token",
          nodes: 3,
          durationMs: 2500,
          settleMs: 1000,
          network: { latency, lossRate: 0.1, duplicateRate: 0.1 },
          workload: { ...workload, options: { ryw: true } },
        },
      ],
      // Token reads answered, seeds 1–30: 100% for all three correct designs (refusing at once when behind: see
      // wrong/refuse-when-behind). Lag p99 without partitions, seeds 1–30: 23–206 ms for the three; once a
      // second gives 892–2142 over seeds 1–10.
      checks: [{ name: "read-your-writes", params: { min: 0.8 } }, { name: "log-prefix" }, { name: "convergence" }, { name: "projection-lag", params: { maxP99Ms: 500 } }],
    },
  ],
  hints: [
    "Write model: append the event to node.storage before you reply; publish by re-sending, on a timer, every event a read model has not acknowledged, read from the log itself.",
    "Read model: keep the seq you have applied; skip anything at or below it, hold anything above the next one, and acknowledge your seq to n1.",
    "A read with min_version above your seq: check again every few ms, and refuse with error 11 only after a while.",
  ],
});
