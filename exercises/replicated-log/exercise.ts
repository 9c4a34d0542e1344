import { defineExercise } from "../../graders/index.ts";
import type { ScriptStep } from "../../graders/sim/scenario.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 8 } as const;
// At least one client per node: the final phase lasts a client timeout per node each client has to cover.
const workload = (rate: number, clients: number, timeoutMs = 500) => ({ name: "consensus-kv", rate, clients, timeoutMs });
/**
 * Raft's Figure 8, scripted (graders/sim/fault-script.ts). An entry of an old term that a later leader
 * finishes replicating is on a majority, yet not safe: a node whose log ends in a term between the two can
 * still win and overwrite it. Four leader changes have to come in one order for that to show, so the
 * script waits for each on the status probe (every 5 ms here) rather than at fixed times, whatever the
 * solution's timeouts:
 * 1. the first leader seen (L1) keeps one follower (F); the other three are cut from it and from each other,
 *    so none can win while L1 takes requests;
 * 2. once F reports an entry L1 appended after step 1 (e1, of L1's term, on two nodes only), the three
 *    may talk to each other: one of them wins a later term (L2);
 * 3. L2 is cut off the moment it reports leading, before it can send anyone an entry, and takes requests
 *    alone (e2, of its term, at e1's index);
 * 4. once L2 holds e2, it stays cut off and L1 and F rejoin the other two: only L1 or F can win (theirs are
 *    the longest logs of the latest term among the four), and the winner (L3) replicates e1 to the other two;
 * 5. when L3 reports committed everything it held when it won, L1 and F are cut off again: L2, whose log
 *    ends in a later term than e1, wins the other two's votes and replaces e1 with e2.
 * A solution that counts copies of e1 committed it at step 5 and loses it; one that commits only entries
 * of its own term (an empty entry on winning, or the next request) reports commit at step 5 only once an
 * entry of L3's term is on a majority, and then L2 can no longer win. A step that waits 800 ms in vain (a
 * run that went another way) ends the script and heals, so that no solution is left without a majority.
 */
const figure8: ScriptStep[] = [
  { when: { to: "client", body: { type: "status_ok", role: "leader" }, bind: { L1: "src", N1: "length" } }, do: [{ pick: "F", notIn: ["$L1"] }, { pick: "A", notIn: ["$L1", "$F"] }, { pick: "B", notIn: ["$L1", "$F", "$A"] }, { partition: [["$L1", "$F"], ["$A"], ["$B"], ["*"]] }] },
  { withinMs: 800, when: { from: ["$F"], to: "client", body: { type: "status_ok", length: { gt: "$N1" } }, bind: { T1: "term" } }, do: [{ partition: [["$L1", "$F"], ["*"]] }] },
  { withinMs: 800, when: { notFrom: ["$L1", "$F"], to: "client", body: { type: "status_ok", role: "leader", term: { gt: "$T1" } }, bind: { L2: "src", T2: "term", N2: "length" } }, do: [{ partition: [["$L2"], ["$L1", "$F"], ["*"]] }] },
  { withinMs: 800, when: { from: ["$L2"], to: "client", body: { type: "status_ok", length: { gt: "$N2" } } }, do: [{ partition: [["$L2"], ["*"]] }] },
  { withinMs: 800, when: { notFrom: ["$L2"], to: "client", body: { type: "status_ok", role: "leader", term: { gt: "$T2" } }, bind: { L3: "src", N3: "length" } }, do: [] },
  { withinMs: 800, when: { from: ["$L3"], to: "client", body: { type: "status_ok", role: "leader", commit: { gte: "$N3" } } }, do: [{ partition: [["$L1", "$F"], ["*"]] }] },
];
/**
 * A vote given twice in one term. Once the leader (L) has its log on a majority and a moment has passed
 * for the rest, it crashes and is back 1 ms later, so every other node soon stands, and two pairs of them are cut from each
 * other while L still reaches both: neither pair wins without L's vote. L is armed to crash right after its
 * first vote and come back 1 ms later. The first pair to stand gets L's vote and wins; L's link to that
 * candidate is cut as soon as L answers it, so L's log stays as it was. The other pair, which never heard
 * of that term, stands in the same term and asks L: a node that kept its vote only in memory grants it
 * again, and the term has two leaders; one that stored its vote refuses. Done as often as the run allows.
 */
const voteTwice = (): ScriptStep[] => [
  { when: { to: "client", body: { type: "status_ok", role: "leader" }, bind: { L: "src", N: "length" } }, do: [] },
  {
    afterMs: 30,
    when: { from: ["$L"], to: "client", body: { type: "status_ok", role: "leader", commit: { gte: "$N" } } },
    do: [
      { pick: "A", notIn: ["$L"] },
      { pick: "B", notIn: ["$L", "$A"] },
      { pick: "C", notIn: ["$L", "$A", "$B"] },
      { pick: "D", notIn: ["$L", "$A", "$B", "$C"] },
      // L is in neither group: it keeps its links to both.
      { partition: [["$A", "$B"], ["$C", "$D"]] },
      { crash: "$L" },
    ],
  },
  { afterMs: 1, do: [{ restart: "$L" }, { crashAt: "$L", point: "after-vote", downMs: 1 }] },
  { when: { from: ["$L"], vote: true, body: {}, bind: { W: "dest" } }, do: [{ partition: [["$A", "$B"], ["$C", "$D"]] }, { partition: [["$L"], ["$W"]] }] },
  { afterMs: 300, do: [{ heal: true }] },
];

/**
 * An old leader answering reads. Each leader the probe sees is cut off from every other node (clients still
 * reach it) for 500 ms: the others elect a new leader and take writes, and a leader that answers reads from
 * its own copy without a round with a majority answers with values they have replaced.
 */
const cutLeader = (): ScriptStep[] => [
  { when: { to: "client", body: { type: "status_ok", role: "leader" }, bind: { L: "src" } }, do: [{ partition: [["$L"], ["*"]] }] },
  { afterMs: 500, do: [{ heal: true }] },
];

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
      title: "Survive crashes and leader changes",
      description: "Nodes crash and restart with only node.storage: three at once, right after they vote (while a second candidate of the same term is waiting for that vote), and right after they write an entry to storage; what a node promised or stored must be in node.storage before anyone hears of it. Then Raft's Figure 8, played out step by step: an entry an earlier leader left on a minority must not count as committed when a later leader copies it to a majority.",
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
          name: "vote-twice",
          nodes: 5,
          durationMs: 4500,
          settleMs: 500,
          // No loss: a lost vote would only make a round show nothing.
          network: { latency },
          faults: { script: Array.from({ length: 6 }, voteTwice).flat() },
          workload: workload(5, 5),
        },
        {
          name: "figure-8",
          nodes: 5,
          durationMs: 3000,
          settleMs: 500,
          network: { latency, lossRate: 0.02 },
          faults: { script: figure8 },
          // A low rate: a request reaching the third leader before it commits the old entry puts an entry of
          // its own term beside it, and then nothing can go wrong. The probe watches every 5 ms (default 20).
          workload: { ...workload(20, 5), options: { probeEveryMs: 5 } },
        },
      ],
      checks: [...safety, { name: "commits", params: { min: 5 } }],
    },
    {
      id: "key-value",
      title: "A linearizable key-value store",
      description: "Apply committed entries to a key-value store and answer the clients: every answer linearizable while each leader in turn is cut off from the other nodes (clients still reach it) and under crashes, and answers again soon after the leader crashes.",
      scenarios: [
        {
          name: "leader-cut-off",
          nodes: 5,
          durationMs: 4000,
          settleMs: 500,
          network: { latency, lossRate: 0.01 },
          faults: { script: [...cutLeader(), ...cutLeader(), ...cutLeader(), ...cutLeader(), ...cutLeader()] },
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
      // Ok share on leader-cut-off, 20 seeds of the reference: 0.41–0.57 (requests that reach a leader cut off
      // from the others time out); a solution that refuses everything scores 0.
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
