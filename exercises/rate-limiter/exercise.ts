import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "rate-limiter";

export default defineExercise({
  slug: "rate-limiter",
  title: "Rate limiter: token buckets, alone and across gateways",
  lesson: "07-architectures/02-resilience-patterns",
  harness: "component",
  instructions: [
    "Write the rate limiter of an API gateway. Default-export a factory that takes `{ ratePerSec, burst, gateways, gateway }` and returns a `RateLimiter` whose `allow(client)` says whether a request from `client` may go through now (`Date.now()` is the simulated clock). Each client may make `ratePerSec` requests per second on average, and up to `burst` at once after a quiet spell: in any one second, at most `ratePerSec + burst` of a client's requests may be admitted, and a client asking for more should get close to that.",
    "",
    "In the last task the limit is shared by four gateways. Each has its own limiter, in its own sandbox realm (they share no memory), and most of the traffic goes to one of them. Every 100 ms the grader calls each gateway's `state()` and delivers the string, 10 ms later, to every other gateway's `merge(state)`: that is the only way they can learn about each other.",
  ].join("\n"),
  tasks: [
    {
      id: "token-bucket",
      title: "A token bucket",
      description: "One client at 3× the limit of 100/s (burst 20): admit about 100/s, never more than 120 in a second.",
      scenarios: [componentScenario({ name: "one-greedy-client", system, durationMs: 10_000, options: { ratePerSec: 100, burst: 20, rates: "300" } })],
      checks: [{ name: "limit" }, { name: "throughput", params: { min: 0.95 } }],
    },
    {
      id: "bursts",
      title: "Bursty traffic",
      description: "The client's traffic now comes in bursts of 10× its mean, and another client, quiet until 5 s, sends 20 requests at once.",
      scenarios: [componentScenario({ name: "bursts", system, durationMs: 10_000, options: { ratePerSec: 100, burst: 20, rates: "150,0", burstFactor: 10, spikeAtMs: 5000, spikeSize: 20, spikeClient: 1 } })],
      checks: [{ name: "limit" }, { name: "burst" }],
    },
    {
      id: "fairness",
      title: "Fair to every client",
      description: "One client floods at 10× the limit while two others stay at half of it: theirs must all go through.",
      scenarios: [componentScenario({ name: "one-heavy-two-light", system, durationMs: 10_000, options: { ratePerSec: 100, burst: 20, rates: "1000,50,50" } })],
      checks: [{ name: "fairness", params: { min: 0.99 } }, { name: "limit" }, { name: "throughput", params: { min: 0.95 } }],
    },
    {
      id: "gateways",
      title: "Shared across four gateways",
      description: "Four gateways take 85%, 5%, 5% and 5% of every client's requests. Together they must hold the limit (within 10%) and still admit at least 85% of it to a client that asks for twice as much.",
      scenarios: [componentScenario({ name: "four-gateways", system, durationMs: 10_000, realms: 4, options: { ratePerSec: 100, burst: 20, rates: "200,50", shares: "0.85,0.05,0.05,0.05" } })],
      checks: [{ name: "limit", params: { max: 1.1 } }, { name: "throughput", params: { min: 0.85 } }, { name: "fairness", params: { min: 0.97 } }],
    },
  ],
  seeds: 10,
  hints: [
    "A token bucket per client: it holds up to `burst` tokens, gains `ratePerSec` tokens a second (compute the refill from the time since its last request, no timers), and a request takes one token or is refused.",
    "Keep the buckets in a Map keyed by client: one bucket for everyone lets a heavy client spend the light clients' tokens.",
    "Across gateways, give each gateway a share of each client's rate. A fixed quarter wastes what idle gateways do not use; count each client's requests per gateway, exchange the counts in state()/merge(), and set each gateway's share to its part of the client's traffic.",
  ],
});
