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
    "- `pick(client)` returns the index of the server for a request from `client` (a number that identifies it, like an IPv4 address);",
    "- `done(server, latencyMs, ok)` (optional) is called once for every request you picked a server for, when it finished: `ok` is false for an error, a timeout, or a refusal by a down server;",
    "- `health(server, up)` (optional) is called when the health checker sees a server go down or come back. A request sent to a down server fails.",
    "",
    "The simulated system sends Poisson traffic from many clients to backends with one worker each, a queue and random service times; latency counts from when each request was meant to be sent. `Date.now()` is the simulated clock and `Math.random()` is seeded, so every run replays exactly. Each task grades one strategy: `roundRobin` must spread requests evenly, `weightedRoundRobin` in proportion to the weights, `leastConnections` must keep the tail short when one server is secretly slower, `roundRobin` again must route around a failed server, `ipHash` must keep each client on its server (and move only the clients of the servers that fail, a whole zone at once), and `powerOfTwo` must cope with a server that slows down mid-run and a client that sends 30% of the traffic. Where a task has a failure, the load is measured over the run, during the outage and after the recovery: each must be even. In the least-connections and power-of-two tasks servers also answer some requests with errors and some replies are lost (the client times out): no balancer can avoid those, but it must count them out like any other answer.",
  ].join("\n"),
  tasks: [
    {
      id: "round-robin",
      title: "Round robin",
      description: "Four equal servers at 70% load: spread requests evenly (busiest server ≤ 1.02× the mean).",
      scenarios: [componentScenario({ name: "equal-servers", system, durationMs: 10_000, ratePerSec: 280, options: { strategy: "roundRobin", servers: 4, serviceMs: 10 } })],
      // imbalance: correct 1.000–1.001 (seeds 1–30: reference, heap-and-ring, interleave-and-median); random picks 1.004–1.135.
      checks: [{ name: "imbalance", params: { max: 1.02 } }, { name: "error-rate", params: { max: 0 } }],
    },
    {
      id: "weighted",
      title: "Weighted round robin",
      description: "Servers of weight 1, 2 and 4 (and as fast): each gets load in proportion to its weight, also while the weight-2 server is down from 3 s to 6 s.",
      scenarios: [componentScenario({ name: "weights-1-2-4", system, durationMs: 10_000, ratePerSec: 350, options: { strategy: "weightedRoundRobin", servers: 3, weights: "1,2,4", serviceMs: 10, failServers: "1", failAtMs: 3000, recoverAtMs: 6000 } })],
      checks: [
        // imbalance over the run, during the outage and after it: correct 1.000–1.004 (seeds 1–30, all three);
        // plain round robin 1.6, a stride scheduler that lets a returning server catch up 1.53–1.73 after the recovery.
        { name: "imbalance", params: { max: 1.03 } },
        // latency p99: correct 36.7–80 ms; the catching-up burst 686–1213 ms.
        { name: "latency", params: { p99Max: 150 } },
        // failover: correct 1–26 requests lost (the health checker's phase is the seed's: up to 250 ms of refusals).
        { name: "failover", params: { max: 40 } },
      ],
    },
    {
      id: "least-connections",
      title: "Least connections",
      description: "Four servers that claim equal weight, but one runs at 40% speed: send work where it gets done. Servers answer 3% of requests with an error, 1% of replies are lost (a timeout), and server 1 is down from 4 s to 6 s: every request must leave the count it entered.",
      scenarios: [componentScenario({ name: "one-hidden-slow", system, durationMs: 10_000, ratePerSec: 200, options: { strategy: "leastConnections", servers: 4, speeds: "1,1,1,0.4", serviceMs: 10, errorShares: "0.02,0.02,0.3,0.02", lostShare: 0.01, failServers: "0", failAtMs: 4000, recoverAtMs: 6000 } })],
      checks: [
        // latency p99: correct 92.9–240.2 ms (seeds 1–30: reference 107.5–230.5, heap 115.6–238.6, scan 92.9–240.2);
        // counting requests out only on success 467–1158 ms, round robin 1561–1980 ms.
        { name: "latency", params: { p99Max: 260 } },
        // error-rate beyond the injected errors and lost replies: correct 0–2.3% (refusals before the health
        // checker reports the outage: a down server answers at once, so it looks idle).
        { name: "error-rate", params: { max: 0.03 } },
      ],
    },
    {
      id: "failover",
      title: "Failover",
      description: "Round robin again; server 2 fails at 3 s and comes back at 6 s. Health checks run every 250 ms.",
      scenarios: [componentScenario({ name: "one-fails", system, durationMs: 10_000, ratePerSec: 200, options: { strategy: "roundRobin", servers: 4, serviceMs: 10, failServers: "1", failAtMs: 3000, recoverAtMs: 6000 } })],
      checks: [
        // failover: correct 1–14 requests lost (seeds 1–30, all three); ignoring health 138–169.
        { name: "failover", params: { max: 25 } },
        // imbalance, all three windows: correct 1.000–1.004; a down server's turn to its neighbour 1.49–1.51 during
        // the outage, a server never taken back 1.333 after the recovery.
        { name: "imbalance", params: { max: 1.05 } },
      ],
    },
    {
      id: "sticky",
      title: "Sticky clients (IP hash)",
      description: "10 000 clients, 8 servers in four zones of two; one zone fails for 6 s: each client keeps its server, only the failed servers' clients move, and the load stays even, also during the outage.",
      scenarios: [componentScenario({ name: "sticky-failover", system, durationMs: 20_000, ratePerSec: 400, options: { strategy: "ipHash", servers: 8, clients: 10_000, serviceMs: 10, failServers: "3,7", failAtMs: 5000, recoverAtMs: 11_000 } })],
      checks: [
        // sticky: correct 0.998–1 (seeds 1–30, all three); hash mod the healthy servers 0.89–0.91.
        { name: "sticky", params: { min: 0.98 } },
        // imbalance: correct 1.012–1.156 over the run and 1.016–1.181 in the windows (rendezvous, a ring of 400
        // points per server, modulo with rendezvous failover); the failed servers' clients all on their
        // neighbours 1.46–1.60 during the outage.
        { name: "imbalance", params: { max: 1.25, windowMax: 1.3 } },
        // failover: correct 1–35.
        { name: "failover", params: { max: 50 } },
      ],
    },
    {
      id: "latency-aware",
      title: "Power of two choices",
      description: "Six servers; at 3 s one becomes 4× slower, and one client sends 30% of all requests; servers answer 3% of requests with an error, 1% of replies are lost, and server 6 is down from 1 s to 2.5 s. Keep the p99 low.",
      scenarios: [componentScenario({ name: "slow-server-hot-client", system, durationMs: 10_000, ratePerSec: 360, options: { strategy: "powerOfTwo", servers: 6, serviceMs: 10, clients: 200, hotShare: 0.3, slowServer: 2, slowAtMs: 3000, slowFactor: 4, errorShares: "0.02,0.02,0.02,0.3,0.02,0.02", lostShare: 0.01, failServers: "5", failAtMs: 1000, recoverAtMs: 2500 } })],
      checks: [
        // latency p99: correct 89.4–197.2 ms (seeds 1–30: reference 98.2–197.2, time-decayed estimate 89.4–137.9,
        // windowed median 105.1–164.6); in flight alone 195–372 ms, counting out only successes 182–499 ms,
        // timeouts taken as latency 266–706 ms.
        { name: "latency", params: { p99Max: 200 } },
        // error-rate beyond the injected ones: correct 0–1.0%.
        { name: "error-rate", params: { max: 0.02 } },
      ],
    },
  ],
  seeds: 10,
  hints: [
    "Round robin: keep a counter and return counter++ % servers.length, skipping the servers that are down in the rotation itself (giving a down server's turn to its neighbour doubles the neighbour's share). Weighted: the smooth version adds each server's weight to a running score, picks the highest, and subtracts the total from it.",
    "Least connections and power of two need to know what is in flight: count up in pick() and down in done(), for every outcome. An error, a timeout or a refusal ends a request as surely as a success; a latency estimate, though, should learn only from answers that came back ok (a timeout measures the client's patience, not the server).",
    "Keep a list of which servers health() reported up, skip the others, and take a server back when it comes up again. For IP hash, hash (client, server) for every healthy server and take the highest score (rendezvous hashing): only the failed server's clients move, and they spread over all the others.",
  ],
});
