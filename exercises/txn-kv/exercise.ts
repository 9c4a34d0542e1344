import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 2, meanMs: 10 } as const;
const workload = (clients: number, rate: number) => ({ name: "txn-list-append", rate, clients, timeoutMs: 600, options: { keys: 6, opsMax: 4 } });

export default defineExercise({
  slug: "txn-kv",
  title: "Transactions over replicated lists",
  lesson: "03-data/04-transactions-and-isolation",
  harness: "node",
  instructions:
    'Clients send `{type: "txn", txn: [...]}` to any node. A transaction is a list of micro-operations run in order: `["append", key, value]` adds `value` to the end of the list stored at `key`, and `["r", key, null]` asks for that list. Answer `{type: "txn_ok", txn}` with the same operations, every read filled in with the whole list as this transaction sees it (its own earlier appends included), or `null` for a key nothing was appended to. A transaction that cannot commit answers error 30 (txn-conflict) and must leave no trace; one whose fate the node does not know answers error 0, never 30. Each task asks for a stronger isolation level and adds faults: read committed (no transaction sees another\'s appends before that one commits, or after it failed), then snapshot isolation (each transaction reads one consistent snapshot, and two that append to a key they both read cannot both commit), then serializability (as if the committed transactions ran one at a time). A checker in the manner of Elle reads the lists, infers which transaction saw, overwrote or missed which, and names the smallest cycle it finds. Every node must agree on one order of appends per key (the first node makes a natural sequencer), and once the faults heal every node must show every committed append: the grader reads every key at every node at the end.',
  tasks: [
    {
      id: "read-committed",
      title: "Read committed",
      description: "Three nodes, a network that loses 2% of messages. No transaction may see an append that was not committed, or that failed.",
      scenarios: [{ name: "three-nodes", nodes: 3, durationMs: 3000, settleMs: 1000, network: { latency, lossRate: 0.02 }, workload: workload(6, 150) }],
      // Share of transactions ok (aborts and unknown outcomes count against it), 30 seeds: reference and
      // read-lengths 0.801–0.870, serial-leader 0.957–0.990. Aborting every transaction that appends leaves
      // about a third ok (wrong/abort-writers).
      checks: [{ name: "read-committed" }, { name: "committed-visible" }, { name: "availability", params: { min: 0.7 } }],
    },
    {
      id: "snapshot-isolation",
      title: "Snapshot isolation, under partitions",
      description: "Partitions cut nodes off now and then. Each transaction must read one snapshot, and of two concurrent transactions that read a key and append to it, at most one may commit: no lost update.",
      scenarios: [
        {
          name: "partitions",
          nodes: 3,
          durationMs: 4000,
          settleMs: 1000,
          network: { latency, lossRate: 0.02 },
          faults: { partitions: { everyMs: 1000, lengthMs: 500 } },
          workload: workload(8, 200),
        },
      ],
      // 30 seeds: reference and read-lengths 0.730–0.825, serial-leader 0.813–0.964.
      checks: [{ name: "snapshot-isolation" }, { name: "committed-visible" }, { name: "availability", params: { min: 0.6 } }],
    },
    {
      id: "serializable",
      title: "Serializable, with crashes",
      description:
        "Five nodes; nodes crash (memory lost, node.storage kept) and come back 800 ms later, the first node too, while partitions come and go. The committed transactions must be equivalent to a serial order: write skew, where two transactions each read what the other appends to and both commit, is no longer allowed.",
      scenarios: [
        {
          name: "crashes",
          nodes: 5,
          durationMs: 5000,
          settleMs: 1500,
          network: { latency, lossRate: 0.02 },
          faults: { crashes: { everyMs: 1000, downMs: 800 }, partitions: { kinds: ["isolate-one"], everyMs: 1500, lengthMs: 500 } },
          workload: workload(8, 200),
        },
      ],
      // 30 seeds: reference and read-lengths 0.664–0.790, serial-leader 0.715–0.916.
      checks: [{ name: "serializable" }, { name: "committed-visible" }, { name: "availability", params: { min: 0.55 } }],
    },
  ],
  hints: [
    "Start with one order: let the first node (`node.nodeIds[0]`) decide every commit, and give each committed transaction the next index of a log. Every node applies the log's entries in index order to its own lists.",
    "Run a transaction against the lists as they are when it arrives, and keep its appends aside until it commits; its own reads see the list plus its own appends. Never let another transaction see appends that are not committed.",
    "Messages are lost and reordered: keep entries that arrive early until the ones before them are there, and ask the first node now and then for what you miss.",
    "Snapshot isolation: remember which log index last appended to each key. A transaction that read at index s and appends to key k must abort (error 30) if k was appended to after s: first committer wins.",
    "Serializability: check the keys the transaction read, not only those it appends to. Two transactions that each read x and y and append to different keys are write skew under snapshot isolation.",
    "Crashes: what the first node has decided must be in node.storage before the decision leaves it. If a commit request gets no answer, reply error 0: the transaction may have committed.",
  ],
});
