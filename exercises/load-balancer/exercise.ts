import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "load-balancer";

export default defineExercise({
  slug: "load-balancer",
  title: "Load balancer: five ways to pick a server",
  lesson: "02-load-balancing/02-algorithms",
  harness: "component",
  instructions: [
    "Write the part of a load balancer that chooses a backend for each request. Export an object with five factories, one per strategy; each gets the list of servers (`index`, `name`, `weight`) and returns a `Balancer`:",
    "",
    "- `pick(client)` returns the index of the server for a request from `client` (a number, like an IP address);",
    "- `done(server, latencyMs, ok)` (optional) is called when that request finished;",
    "- `health(server, up)` (optional) is called when the health checker sees a server go down or come back. A request sent to a down server fails.",
    "",
    "The simulated system sends Poisson traffic from many clients to backends with one worker each, a queue and random service times; latency counts from when each request was meant to be sent. `Date.now()` is the simulated clock and `Math.random()` is seeded, so every run replays exactly. Each task grades one strategy: `roundRobin` must spread requests evenly, `weightedRoundRobin` in proportion to the weights, `leastConnections` must keep the tail short when one server is secretly slower, `roundRobin` again must route around a failed server, `ipHash` must keep each client on its server (and move only the clients of the servers that fail, a whole zone at once), and `powerOfTwo` must cope with a server that slows down mid-run and a client that sends 30% of the traffic.",
  ].join("\n"),
  tasks: [
    {
      id: "round-robin",
      title: "Round robin",
      description: "Four equal servers at 70% load: spread requests evenly (busiest server ≤ 1.02× the mean).",
      scenarios: [componentScenario({ name: "equal-servers", system, durationMs: 10_000, ratePerSec: 280, options: { strategy: "roundRobin", servers: 4, serviceMs: 10 } })],
      checks: [{ name: "imbalance", params: { max: 1.02 } }, { name: "error-rate", params: { max: 0 } }],
    },
    {
      id: "weighted",
      title: "Weighted round robin",
      description: "Servers of weight 1, 2 and 4 (and as fast): each gets load in proportion to its weight.",
      scenarios: [componentScenario({ name: "weights-1-2-4", system, durationMs: 10_000, ratePerSec: 490, options: { strategy: "weightedRoundRobin", servers: 3, weights: "1,2,4", serviceMs: 10 } })],
      checks: [{ name: "imbalance", params: { max: 1.03 } }, { name: "latency", params: { p99Max: 150 } }],
    },
    {
      id: "least-connections",
      title: "Least connections",
      description: "Four servers that claim equal weight, but one runs at 40% speed: send work where it gets done.",
      scenarios: [componentScenario({ name: "one-hidden-slow", system, durationMs: 10_000, ratePerSec: 240, options: { strategy: "leastConnections", servers: 4, speeds: "1,1,1,0.4", serviceMs: 10 } })],
      checks: [{ name: "latency", params: { p99Max: 250 } }, { name: "error-rate", params: { max: 0 } }],
    },
    {
      id: "failover",
      title: "Failover",
      description: "Round robin again; server 2 fails at 3 s and comes back at 6 s. Health checks run every 250 ms.",
      scenarios: [componentScenario({ name: "one-fails", system, durationMs: 10_000, ratePerSec: 200, options: { strategy: "roundRobin", servers: 4, serviceMs: 10, failServers: "1", failAtMs: 3000, recoverAtMs: 6000 } })],
      checks: [{ name: "failover", params: { max: 40 } }, { name: "imbalance", params: { max: 1.05 } }],
    },
    {
      id: "sticky",
      title: "Sticky clients (IP hash)",
      description: "1000 clients, 8 servers in four zones of two; one zone fails for 3 s: each client keeps its server, only the failed servers' clients move, and the load stays even.",
      scenarios: [componentScenario({ name: "sticky-failover", system, durationMs: 10_000, ratePerSec: 400, options: { strategy: "ipHash", servers: 8, clients: 1000, serviceMs: 10, failServers: "3,7", failAtMs: 4000, recoverAtMs: 7000 } })],
      checks: [{ name: "sticky", params: { min: 0.98 } }, { name: "imbalance", params: { max: 1.4 } }, { name: "failover", params: { max: 60 } }],
    },
    {
      id: "latency-aware",
      title: "Power of two choices",
      description: "Six servers; at 3 s one becomes 4× slower, and client 0 sends 30% of all requests. Keep the p99 low.",
      scenarios: [componentScenario({ name: "slow-server-hot-client", system, durationMs: 10_000, ratePerSec: 420, options: { strategy: "powerOfTwo", servers: 6, serviceMs: 10, clients: 200, hotShare: 0.3, slowServer: 2, slowAtMs: 3000, slowFactor: 4 } })],
      checks: [{ name: "latency", params: { p99Max: 180 } }, { name: "error-rate", params: { max: 0 } }],
    },
  ],
  seeds: 10,
  hints: [
    "Round robin: keep a counter and return counter++ % servers.length. Weighted: the smooth version adds each server's weight to a running score, picks the highest, and subtracts the total from it.",
    "Least connections and power of two need to know what is in flight: count up in pick() and down in done().",
    "Keep a list of which servers health() reported up and skip the others. For IP hash, hash (client, server) for every healthy server and take the highest score (rendezvous hashing): only the failed server's clients move.",
  ],
});
