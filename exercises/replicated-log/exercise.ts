import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 8 } as const;
// At least one client per node: the final phase lasts a client timeout per node each client has to cover.
const workload = (rate: number, clients: number, timeoutMs = 500) => ({ name: "consensus-kv", rate, clients, timeoutMs });
const safety = [{ name: "election-safety" }, { name: "log-matching" }, { name: "state-machine-safety" }, { name: "leader-completeness" }];

export default defineExercise({
  slug: "replicated-log",
  title: "A replicated log (Raft in stages)",
  lesson: "03-data/06-consensus-and-coordination",
  harness: "node",
  instructions:
    "Build a replicated log the way Raft does, one stage at a time, on five nodes. Each node is a follower, a candidate or the leader of a numbered term. A follower that hears nothing from a leader for a while becomes a candidate: it moves to the next term, votes for itself and asks every other node for its vote; a majority of votes makes it leader of that term. The leader turns each client request into a log entry tagged with its term, sends the entries to the others and counts an entry committed once a majority has stored it; every node applies committed entries, in order, to a key-value store. Clients send `{type: \"read\", key}`, `{type: \"write\", key, value}` and `{type: \"cas\", key, from, to}` to any node, as in the replicated-kv exercise (errors 20 and 22 for a missing key and a failed compare, 11 when you cannot serve, 0 when you do not know the outcome). The grader also asks every node, many times a second, `{type: \"status\", from}`: answer `{type: \"status_ok\", term, role, commit, length, entries}` with your current term, your role (\"leader\", \"candidate\" or \"follower\"), the index of your last committed entry (0 for none), your log's length and your log's entries from index `from` on (the first entry has index 1; each entry an object with a `term` field). From those answers it checks the protocol itself: one leader per term, logs that agree wherever an index and a term agree, committed entries that no node ever loses or replaces, and every leader holding everything committed before its term. Nodes crash and restart with only `node.storage`: a node's term, its vote and its log must be stored before any message that depends on them leaves.",
  tasks: [
    {
      id: "election",
      title: "Elect one leader",
      description: "Five nodes elect a leader and keep one: messages get lost, single nodes and minorities are cut off, and nodes crash. Never two leaders in one term; a new leader within 1 s whenever a majority can talk.",
      scenarios: [
        {
          name: "partitions",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: { partitions: { kinds: ["isolate-one", "majority-minority"], everyMs: 700, lengthMs: 500 } },
          workload: workload(20, 5),
        },
        {
          name: "crashes",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: { crashes: { everyMs: 700, downMs: 600 } },
          workload: workload(20, 5),
        },
      ],
      // Longest stretch without a leader a reachable majority follows, 20 seeds of the reference: partitions
      // 193–571 ms, crashes 192–347 ms; equal timeouts never elect anyone.
      checks: [{ name: "election-safety" }, { name: "election-bound", params: { withinMs: 1000 } }],
    },
    {
      id: "replication",
      title: "Replicate the log",
      description: "Clients' requests become log entries. The leader sends them to the others and commits an entry once a majority stores it; partitions and lost messages must never make two nodes disagree about a committed entry.",
      scenarios: [
        {
          name: "partitions",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: { partitions: { kinds: ["isolate-one", "majority-minority"], everyMs: 700, lengthMs: 500 } },
          workload: workload(100, 6),
        },
      ],
      checks: [...safety, { name: "commits", params: { min: 20 } }],
    },
    {
      id: "persistence",
      title: "Survive crashes",
      description: "Nodes crash and restart with only node.storage: three at once, right after they vote, and right after they write an entry to storage. What a node promised or stored must be in node.storage before anyone hears of it.",
      scenarios: [
        {
          name: "crash-restart",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: { crashes: { everyMs: 500, downMs: 300, atOnce: 2 }, partitions: { kinds: ["isolate-one"], everyMs: 900, lengthMs: 400 } },
          workload: workload(100, 6),
        },
        {
          name: "crash-points",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: {
            crashes: { everyMs: 1500, downMs: 10, atOnce: 3 },
            partitions: { kinds: ["bridge"], everyMs: 100, lengthMs: 800 },
            targetedCrashes: { everyMs: 30, downMs: 1, at: ["after-vote"], nthMax: 1 },
          },
          workload: workload(10, 2),
        },
        {
          name: "leader-changes",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: { partitions: { kinds: ["isolate-one", "majority-minority"], everyMs: 20, lengthMs: 250 } },
          workload: workload(40, 5),
        },
      ],
      checks: [...safety, { name: "commits", params: { min: 5 } }],
    },
    {
      id: "key-value",
      title: "A linearizable key-value store",
      description: "Apply committed entries to a key-value store and answer the clients: every answer linearizable, under partitions and crashes, and answers again soon after the leader crashes.",
      scenarios: [
        {
          name: "partitions",
          nodes: 5,
          durationMs: 4000,
          settleMs: 500,
          network: { latency, lossRate: 0.01 },
          faults: { partitions: { kinds: ["majority-minority"], everyMs: 400, lengthMs: 700 } },
          workload: { ...workload(200, 16, 300), options: { values: 100 } },
        },
        {
          name: "crashes",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.01 },
          faults: { crashes: { everyMs: 900, downMs: 1300 } },
          workload: { ...workload(150, 8, 400), options: { values: 100 } },
        },
      ],
      // Ok share on partitions, 20 seeds of the reference: 0.22–0.48 (requests stuck behind a leader cut off
      // with a minority time out); a solution that refuses everything scores 0.
      checks: [...safety, { name: "linearizable" }, { name: "availability", params: { min: 0.15 } }],
    },
    {
      id: "efficiency",
      title: "Within a message budget",
      description: "A steady load on a healthy network: at most 6 node-to-node messages per client operation, all answers still linearizable. Carry many entries in one append.",
      scenarios: [
        {
          name: "steady",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.005 },
          workload: workload(300, 12),
        },
      ],
      checks: [{ name: "linearizable" }, { name: "msgs-per-op", params: { max: 6 } }, { name: "availability", params: { min: 0.5 } }],
    },
  ],
  hints: [
    "Start with the status answer and the roles: every node is a follower of term 0. Keep `term`, `votedFor` and the log in one place, and write them to node.storage whenever they change.",
    "Election: check every 10 ms whether you have heard from a leader (an append) or granted a vote within your election timeout. Draw that timeout at random, e.g. 150–300 ms, and draw it again each time you stand: equal timeouts make candidates stand together and split the votes for ever.",
    "Voting: grant at most one vote per term, only to a candidate whose log is at least as up to date as yours (its last entry's term is higher, or the same and its log is at least as long), and store the vote before you answer. Any message with a higher term makes you a follower of that term with no vote yet.",
    "Replication: the leader keeps, per follower, the next index to send. An append carries the index and term of the entry just before the new ones; a follower refuses when its own entry there differs, and the leader steps back. A follower that accepts cuts its log at the first entry that conflicts, and only there.",
    "Commit: count copies only of entries from the leader's own term; when one of those is on a majority, it and everything before it are committed. On winning, append an empty entry of the new term at once, so that older entries get committed through it. Followers learn the commit index from the next append.",
    "Clients: a follower forwards requests to the leader it knows. Put reads in the log too (or confirm leadership with a round of heartbeats before answering one); a leader cut off from the others must not answer from its own copy. For the message budget, keep one append in flight per follower and send whatever has piled up meanwhile in the next one.",
  ],
});
