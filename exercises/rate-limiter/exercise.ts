import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "rate-limiter";

// Budgets below were set from the spread of three correct limiters (the reference's lazy token bucket,
// .meta/alternatives/gcra.ts and .meta/alternatives/replicated-bucket.ts) over seeds 1–30. On one gateway
// a token bucket is exact: each of them admits 99.9–100.1% of what the system's exact bucket admits, and
// every request it admits finds a token when replayed through a bucket of the limit (tolerance 1).

export default defineExercise({
  slug: "rate-limiter",
  title: "Rate limiter: token buckets, alone and across gateways",
  lesson: "07-architectures/02-resilience-patterns",
  harness: "component",
  instructions: [
    "Write the rate limiter of an API gateway. Default-export a factory that takes `{ ratePerSec, burst, gateways, gateway }` and returns a `RateLimiter` whose `allow(client)` says whether a request from `client` may go through now (`Date.now()` is the simulated clock, in whole milliseconds). Each client has a token bucket: it starts full with `burst` tokens, gains `ratePerSec` tokens a second up to `burst`, and a request goes through if it can take a whole token. So a client may make `ratePerSec` requests a second on average and up to `burst` at once after a quiet spell; in any stretch of t seconds at most `burst + ratePerSec × t` of its requests may go through.",
    "",
    "On one gateway there is exactly one right answer for every request, and the grader knows it: it replays what you admitted through a bucket of the limit (each admitted request must find a token there) and compares what you admitted with what an exact bucket admits. In the last task the limit is shared by four gateways. Each has its own limiter, in its own sandbox realm (they share no memory), and most of the traffic goes to one of them. Every 100 ms the grader calls each gateway's `state()` and delivers the string, 10 ms later, to every other gateway's `merge(state)`: that is the only way they can learn about each other, so there the limit holds within 10%.",
  ].join("\n"),
  tasks: [
    {
      id: "token-bucket",
      title: "A token bucket",
      description: "One client at 3× the limit of 100/s (burst 20): admit what a token bucket admits, no request more, and (nearly) no request fewer.",
      scenarios: [componentScenario({ name: "one-greedy-client", system, durationMs: 10_000, options: { ratePerSec: 100, burst: 20, rates: "300" } })],
      // throughput: correct 0.999–1.001 of the exact bucket's admissions (seeds 1–30, all three); a bucket
      // without its burst gets 0.62–0.77. 0.99 leaves room for arithmetic that breaks exact ties otherwise.
      checks: [{ name: "limit" }, { name: "throughput", params: { min: 0.99 } }],
    },
    {
      id: "bursts",
      title: "Bursty traffic",
      description: "The client's traffic now comes in bursts of 10× its mean, and another client, quiet until 5 s, sends 20 requests at once: all 20 go through.",
      scenarios: [componentScenario({ name: "bursts", system, durationMs: 10_000, options: { ratePerSec: 100, burst: 20, rates: "150,0", burstFactor: 10, spikeAtMs: 5000, spikeSize: 20, spikeClient: 1 } })],
      // throughput: correct 0.999–1.001 (seeds 1–30, all three).
      checks: [{ name: "limit" }, { name: "burst" }, { name: "throughput", params: { min: 0.99 } }],
    },
    {
      id: "fairness",
      title: "Fair to every client",
      description: "One client floods at 10× the limit while two others stay at half of it, and 2000 more clients send a request every few seconds each: theirs must all go through, and the heavy one still gets no more than its limit.",
      scenarios: [componentScenario({ name: "one-heavy-many-light", system, durationMs: 10_000, options: { ratePerSec: 100, burst: 20, rates: "1000,50,50", crowd: 2000, crowdRatePerSec: 0.2 } })],
      // fairness and throughput: correct exactly 1 (seeds 1–30, all three); one bucket for all gives the
      // light clients 0. The crowd of 2000 clients is there so that a table of buckets bounded below it fails.
      checks: [{ name: "fairness", params: { min: 0.99 } }, { name: "limit" }, { name: "throughput", params: { min: 0.99 } }],
    },
    {
      id: "gateways",
      title: "Shared across four gateways",
      description: "Four gateways take 85%, 5%, 5% and 5% of every client's requests. Together they must hold the limit (within 10%) and still admit nearly what one exact bucket would to a client that asks for twice as much.",
      scenarios: [componentScenario({ name: "four-gateways", system, durationMs: 10_000, realms: 4, options: { ratePerSec: 100, burst: 20, rates: "200,50", shares: "0.85,0.05,0.05,0.05" } })],
      checks: [
        // limit: the tolerance correct limiters need, the smallest that passes them, is 1.000–1.052
        // (seeds 1–30: reference 1.021–1.052, gcra 1.023–1.051, replicated bucket 1.000); gateways that
        // each enforce the whole limit alone need 1.27–1.44.
        { name: "limit", params: { max: 1.1 } },
        // throughput: correct 0.989–1.043 of the exact bucket; a fixed quarter per gateway 0.52–0.57.
        { name: "throughput", params: { min: 0.95 } },
        // fairness: correct 0.990–1 for the light client; a fixed quarter per gateway 0.61–0.69.
        { name: "fairness", params: { min: 0.97 } },
      ],
    },
  ],
  seeds: 10,
  hints: [
    "A token bucket per client: it starts full with `burst` tokens, gains `ratePerSec` tokens a second (compute the refill from the time since the last call, no timers, and never above `burst`), and a request takes one whole token (tokens ≥ 1) or is refused.",
    "Keep the buckets in a Map keyed by client, one each: one bucket for everyone lets a heavy client spend the light clients' tokens, and a bucket you forget and create again starts full.",
    "Across gateways, give each gateway a share of each client's rate. A fixed quarter wastes what idle gateways do not use; count each client's requests per gateway, exchange the counts in state()/merge(), and set each gateway's share to its part of the client's traffic.",
  ],
});
