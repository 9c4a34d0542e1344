import { defineExercise } from "../../graders/index.ts";

const calm = { dist: "exponential", minMs: 1, meanMs: 5 } as const;
/** Probes ask every node whom it suspects every 200 ms; answers later than 50 ms are ignored. */
const workload = { name: "failure-detector", rate: 1, clients: 1, options: { probeMs: 200 } } as const;

export default defineExercise({
  slug: "failure-detector",
  title: "Failure detector: heartbeats, adaptive timeouts and gossip",
  lesson: "09-design-considerations/03-availability-and-recovery",
  harness: "node",
  instructions: [
    'Every node keeps a view of which peers it suspects have failed. A probe asks each node `{type: "suspects"}` five times a second; answer `{type: "suspects_ok", suspects: [...]}` with the ids of the peers you suspect right now (never yourself).',
    "",
    "The nemesis crashes nodes (they restart later with their memory wiped, `node.storage` kept), pauses nodes the way a long garbage collection does (their timers and messages wait, then run all at once), and slows the whole network down for a second at a time. Every node that stays up must suspect a crashed peer within a bound; suspecting a peer while it is down or paused is right (no detector can tell a long pause from a crash), but once it is back, you have one second to stop. Messages between nodes count against a budget in the last task, with 25 nodes.",
  ].join("\n"),
  tasks: [
    {
      id: "heartbeats",
      title: "Heartbeats and a timeout",
      description: "Five nodes on a calm network; one crashes every few seconds for two seconds. Suspect it within 1.2 s, and suspect live nodes rarely.",
      scenarios: [{ name: "crashes", nodes: 5, durationMs: 15_000, network: { latency: calm }, faults: { crashes: { everyMs: 3000, downMs: 2000 } }, workload }],
      checks: [
        // correct detectors over seeds 1–20 (reference) and 1–10 (alternatives): worst detection 542–989 ms; a 5 s timeout never detects a 2 s crash.
        { name: "detection", params: { maxMs: 1200, minDownMs: 1500 } },
        { name: "accuracy", params: { maxPerNodeHour: 200 } },
      ],
    },
    {
      id: "jitter",
      title: "A network that stutters, nodes that pause",
      description: "Now the network slows down for a second at a time (each message up to several hundred ms late) and nodes pause for 400 ms, longer than a heartbeat. A timeout tuned to the calm network suspects everyone during a spike; learn each peer's normal gaps instead.",
      scenarios: [
        {
          name: "spikes-and-pauses",
          nodes: 5,
          durationMs: 15_000,
          network: { latency: calm },
          faults: { crashes: { everyMs: 4000, downMs: 2000 }, pauses: { everyMs: 2500, lengthMs: 400 }, latencySpikes: { everyMs: 3000, lengthMs: 1000, extraMeanMs: 150 } },
          workload,
        },
      ],
      checks: [
        // correct: worst detection 452–1084 ms, false suspicions 0 per node-hour; a fixed 150 ms timeout 275–913.
        { name: "detection", params: { maxMs: 1500, minDownMs: 1500 } },
        { name: "accuracy", params: { maxPerNodeHour: 200 } },
      ],
    },
    {
      id: "gossip",
      title: "Twenty-five nodes on a budget",
      description: "25 nodes, at most 40 messages per node per second: heartbeats to every peer cost 24 a round. Gossip what you know to a few peers a round, and still suspect a crash within 2.5 s.",
      scenarios: [
        {
          name: "membership",
          nodes: 25,
          durationMs: 8000,
          network: { latency: calm },
          faults: { crashes: { everyMs: 2500, downMs: 3000 }, pauses: { everyMs: 4000, lengthMs: 400 } },
          workload,
        },
      ],
      checks: [
        // correct: worst detection 967–1640 ms, false suspicions 0–37 per node-hour, 29.7–29.9 messages per node per
        // second; trusting only direct heartbeats 24,000+ false suspicions per node-hour, heartbeats to all 238.
        { name: "detection", params: { maxMs: 2500, minDownMs: 2500 } },
        { name: "accuracy", params: { maxPerNodeHour: 200 } },
        { name: "msgs-per-node-sec", params: { max: 40 } },
      ],
    },
  ],
  hints: [
    "Send heartbeats every 100 ms and remember, per peer, when you last heard something new from it (on your own clock, performance.now()). Suspect a peer when that was longer ago than a timeout.",
    "A fixed timeout is either too short for a slow network or too long for a fast detection. Keep the last few dozen gaps between heartbeats from each peer and suspect only past their mean plus a few standard deviations (the idea behind phi accrual).",
    "If your own timer fires much later than it should, you were the one paused: everyone looks silent, but it is your silence. Start their clocks afresh rather than suspect them all.",
    "A restarted node forgets its heartbeat counter; if it starts again from 0, peers that saw 57 ignore it forever. Use a value that only grows across restarts: your clock's reading, or an incarnation number kept in node.storage.",
    "With 25 nodes, send your whole table of freshest heartbeats to three random peers a round and merge what you receive by taking the maximum per node: news of every node reaches everyone in a few rounds.",
  ],
});
