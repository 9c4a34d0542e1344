import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 1, meanMs: 3 } as const;
/** Leases of 300 ms from a lock that answers in 20–80 ms; clients write 40 values a second. */
const workload = (options: Record<string, number> = {}, spec: { rate?: number; clients?: number; timeoutMs?: number } = {}) => ({
  name: "leader-lease",
  rate: 40,
  clients: 4,
  timeoutMs: 400,
  ...spec,
  options: { leaseMs: 300, ...options },
});

export default defineExercise({
  slug: "leader-lease",
  title: "A leader on a lease, with fencing tokens",
  lesson: "09-design-considerations/03-availability-and-recovery",
  harness: "node",
  instructions: [
    'Three nodes share one job: exactly one of them, the leader, writes the clients\' values to a storage service, "store". Who leads is decided by a lock service, "lock": send it `{type: "acquire"}` and it answers `{type: "acquire_ok", token, lease_ms}` when the lease is yours (a new term with a higher token when it was free or had run out, the same token when you already held it: asking again renews it), or error 11 while another node holds it. A lease lasts `lease_ms` (300) from when your request reached the lock, and the lock takes 20–80 ms to answer.',
    "",
    'Clients send `{type: "write", value}`. The node that holds the lease writes `{type: "write", value, token}` to "store" and answers `write_ok` once the store has; every other node answers error 11, and the client tries the next node. The store refuses (error 22) a write whose token is below the highest it has accepted; it accepts a write without a token. A probe asks every node `{type: "role"}` forty times a second: answer `{type: "role_ok", role: "leader"}` only while you truly hold the lease, `"follower"` otherwise.',
    "",
    "Nodes crash (memory lost, `node.storage` kept), pause for longer than a lease (their timers and messages wait, then run all at once), their clocks (`node.now()`, which also drives their timers) are off by up to 200 ms and run up to 5% fast or slow, and the leader can lose its way to the lock for half a second while it goes on running. In the last task the path to the store holds one write in five for up to 1.2 s.",
  ].join("\n"),
  tasks: [
    {
      id: "lease",
      title: "Take the lease, keep it, hand it on",
      description:
        "The leader crashes now and then. Renew the lease long before it ends, take it over within 100 ms of its end when its holder has gone, and never answer \"leader\" after your lease has run out.",
      scenarios: [{ name: "crashes", nodes: 3, durationMs: 3000, network: { latency }, faults: { crashes: { everyMs: 900, downMs: 400 } }, workload: workload() }],
      checks: [{ name: "single-belief" }, { name: "failover", params: { maxMs: 100 } }, { name: "availability", params: { minShare: 0.9 } }],
    },
    {
      id: "pauses-and-drift",
      title: "Pauses longer than the lease, clocks that drift",
      description:
        "Nodes now pause for half a second, longer than a lease, every clock runs slow (by 1-5%, within the 5% bound), and every so often the leader cannot reach the lock for 500 ms. A paused leader wakes up after its lease is gone, and a leader cut off from the lock renews nothing: neither may say it leads once its lease has run out, answered or not, and the probe asks it again just as the lock lets the lease go. Time the lease from before you asked, with a margin for the 5% drift, and read the clock each time you use it.",
      scenarios: [
        {
          name: "pauses",
          nodes: 3,
          durationMs: 5000,
          network: { latency },
          // Every clock 1-5% slow: the worst case the 5% bound allows for a lease timed on the holder's clock.
          faults: { pauses: { everyMs: 200, lengthMs: 500 }, clockSkewMsMax: 200, clockDriftPpmMin: -50_000, clockDriftPpmMax: -10_000 },
          // And the holder loses every request to the lock for 500 ms now and then.
          workload: workload({ lockCutEveryMs: 700, lockCutMs: 500 }),
        },
      ],
      checks: [{ name: "single-belief" }, { name: "failover", params: { maxMs: 100 } }, { name: "availability", params: { minShare: 0.85 } }],
    },
    {
      id: "fencing",
      title: "Fence the writes",
      description:
        "One write in five now takes 0.5–1.2 s to reach the store, and the leader still crashes and pauses. A write sent by a leader before it was deposed can land after its successor's: send the lease's token with every write, so that the store refuses it.",
      scenarios: [
        {
          name: "slow-store",
          nodes: 3,
          durationMs: 5000,
          network: { latency },
          faults: { crashes: { everyMs: 800, downMs: 400 }, pauses: { everyMs: 600, lengthMs: 500 }, clockSkewMsMax: 200, clockDriftPpmMax: 50_000 },
          // Clients give a node 600 ms and keep trying nodes with a write for 3 s.
          workload: workload({ slowShare: 0.2, slowMinMs: 500, slowMaxMs: 1200, writeDeadlineMs: 3000 }, { rate: 60, clients: 8, timeoutMs: 600 }),
        },
      ],
      checks: [{ name: "fencing" }, { name: "single-belief" }, { name: "failover", params: { maxMs: 100 } }, { name: "availability", params: { minShare: 0.8 } }],
    },
  ],
  hints: [
    "Ask the lock again and again, every 50 ms or so, from every node: the holder's request renews its lease, the others' take over as soon as it ends.",
    "Note `node.now()` before you send `acquire`: the lock started the lease after that, so your lease ends at most `lease_ms` after it. Counting from the answer's arrival counts the lock's 20–80 ms twice.",
    "Your clock may run 5% slow: 300 ms on it can be almost 316 ms of real time. Believe the lease for lease_ms × 0.95, minus a millisecond for rounding.",
    "Keep the lease's end as a time, and compare it with `node.now()` each time you answer role or take a write. A flag that a timer clears is still set when a paused node wakes to a queue of messages.",
    "Send the token with every write. A late write of a deposed leader is then refused by the store; answer the client error 11 and it will try the next node.",
  ],
});
