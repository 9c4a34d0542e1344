import { defineExercise } from "../../graders/index.ts";

const latency = { dist: "exponential", minMs: 1, meanMs: 4 } as const;
// Four clients resolve 40 times a second in all ("api" 3 times in 4, "auth" otherwise); three "api" and two
// "auth" instances heartbeat every 100 ms, one crashes every 700 ms on average and is replaced 200 ms later
// at a new address, and two more "api" instances start at 1.5 s. One
// beat in twenty is 120 ms late (the instance paused), so a TTL that only just outlasts one interval flaps.
// Registry nodes' clocks are off by up to half a second and drift: a time from another node means nothing here.
const clocks = { clockSkewMsMax: 500, clockDriftPpmMax: 1000 } as const;
const workload = { name: "service-discovery", rate: 40, clients: 4, timeoutMs: 200, options: { lateBeatShare: 0.05 } } as const;
const checks = [
  // The reference (a TTL of 4 heartbeats) over seeds 1-20: stale entries at most 402 ms after the crash
  // (353 ms in the median run); a registry without a TTL keeps them for seconds.
  { name: "no-stale-instances", params: { maxMs: 600 } },
  // New instances show up in answers ~45 ms after they start (median run); 400 ms leaves room for a late
  // beat, a move to another registry node and a restarted node's warm-up.
  { name: "new-instances-visible", params: { maxMs: 400 } },
];

export default defineExercise({
  slug: "service-discovery",
  title: "A service registry with heartbeats and TTLs",
  lesson: "07-architectures/02-resilience-patterns",
  harness: "node",
  instructions: [
    'Your nodes are a service registry. Instances of the services "api" and "auth" send `{type: "register", service, instance, heartbeat_ms}` every `heartbeat_ms` (100) to one registry node; answer `{type: "register_ok"}`. An instance that gets no answer within 60 ms sends the heartbeat again to the next registry node, and its later ones too. Clients send `{type: "resolve", service}` to any registry node and call, round robin, one of the addresses you answer with: `{type: "resolve_ok", instances: [...]}`, the live instances of that service only; a client that gets no answer, or an error, within 60 ms asks the next node. Each instance\'s address is also reachable from your nodes: `{type: "ping"}` sent there gets `{type: "pong", service, instance}` while the instance is up, and nothing once it has crashed, should your registry want to check on an instance itself.',
    "",
    "Instances crash without a word (their heartbeats just stop) and are replaced at a NEW address; more start halfway through. Your answers must drop a crashed instance within 600 ms, and must list every instance that has been heartbeating for 400 ms. In the last task registry nodes crash too (memory lost, `node.storage` kept) and restart 500 ms later: resolution must keep working and no registration may be lost.",
  ].join("\n"),
  tasks: [
    {
      id: "ttl",
      title: "Heartbeats and a TTL",
      description: "One registry node. Keep each instance for a TTL after its last heartbeat: long enough that a live instance never drops out between two beats, short enough that a crashed one is gone within 600 ms.",
      scenarios: [{ name: "one-registry", nodes: 1, durationMs: 3000, network: { latency }, workload }],
      checks,
    },
    {
      id: "replicas",
      title: "Three registry nodes",
      description: "Three registry nodes; each instance heartbeats to one of them, clients ask any. Every node must know every instance, and forget the dead ones as fast as the others do. Their clocks are up to 500 ms apart.",
      scenarios: [{ name: "three-registries", nodes: 3, durationMs: 3000, network: { latency }, faults: clocks, workload }],
      checks,
    },
    {
      id: "registry-crashes",
      title: "A registry node crashes",
      description:
        "Now registry nodes crash every 800 ms or so and restart 500 ms later with an empty memory. Clients and instances move to another node; a restarted node must not answer from a table it has only half relearned.",
      scenarios: [{ name: "registry-crashes", nodes: 3, durationMs: 3000, network: { latency }, faults: { ...clocks, crashes: { everyMs: 800, downMs: 500 } }, workload }],
      checks: [...checks, { name: "resolution-available" }],
    },
  ],
  hints: [
    'Keep, per instance, the time its lease ends: `node.now() + ttl`, renewed by each heartbeat. Answer resolve with the instances whose lease has not ended.',
    "A TTL shorter than the heartbeat interval drops live instances between beats; take a few intervals, so that one late beat or a move to another registry node does not.",
    "The node that takes a heartbeat can pass it on to its peers: each renews the lease by its own clock (clocks are skewed, so send durations, never times).",
    "Copying whole tables between nodes is fine, but a copy that renews every lease it carries keeps dead instances alive for ever: carry how long each lease still has, not 'it is there'.",
    "A restarted node knows nothing. It can refuse resolve (error 11, temporarily unavailable) until every live instance has beaten once, ask a peer for its table, or keep the table in node.storage.",
  ],
});
