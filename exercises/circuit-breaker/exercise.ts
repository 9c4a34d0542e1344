import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "circuit-breaker";

export default defineExercise({
  slug: "circuit-breaker",
  title: "Circuit breaker: retries that do not make things worse",
  lesson: "07-architectures/02-resilience-patterns",
  harness: "component",
  instructions: [
    "Your service calls a downstream service for each of its requests. Write the policy around those calls: default-export a factory returning a `CallPolicy`. Before each attempt the client asks `allow()` (return false to fail the request at once); after it, `onResult(ok, latencyMs)`; after a failed attempt, `retryDelayMs(attempt)` says how long to wait before trying again, or −1 to give up.",
    "",
    "The downstream has four workers and fails some calls at random; in the later tasks it goes down for three seconds: calls to it get no answer, and each attempt ends at its 200 ms timeout. Each attempt is real load on it: a policy that retries hard turns a short outage into a retry storm. Requests are graded from the time they were sent; a request has 2 s to succeed.",
  ].join("\n"),
  tasks: [
    {
      id: "retries",
      title: "Retry transient failures",
      description: "10% of calls fail at random: retry so that at most 0.5% of requests fail.",
      scenarios: [componentScenario({ name: "flaky", system, durationMs: 10_000, ratePerSec: 300, options: { failRate: 0.1 } })],
      checks: [{ name: "error-rate", params: { max: 0.005 } }, { name: "latency", params: { p99Max: 150 } }],
    },
    {
      id: "outage",
      title: "No retry storm",
      description: "The downstream is down from 3 s to 6 s: while it is down, at most 1.5 calls per incoming request may reach it.",
      scenarios: [componentScenario({ name: "outage", system, durationMs: 10_000, ratePerSec: 300, options: { failRate: 0.02, outageFromMs: 3000, outageToMs: 6000 } })],
      checks: [{ name: "retry-storm", params: { maxOfOffered: 1.5 } }, { name: "recovery", params: { min: 0.99 } }],
    },
    {
      id: "breaker",
      title: "Open the circuit",
      description: "The same outage: now at most 0.15 calls per request may reach the downstream while it is down (the calls already in flight when it failed count too), requests that fail must fail fast (50 ms on average, where a timeout takes 200), and requests must succeed again within a second of its return.",
      scenarios: [componentScenario({ name: "outage-breaker", system, durationMs: 10_000, ratePerSec: 300, options: { failRate: 0.02, outageFromMs: 3000, outageToMs: 6000 } })],
      checks: [{ name: "fail-fast", params: { maxMeanMs: 50 } }, { name: "retry-storm", params: { maxOfOffered: 0.15 } }, { name: "recovery", params: { min: 0.99 } }, { name: "error-rate", params: { max: 0.4 } }],
    },
  ],
  seeds: 10,
  hints: [
    "Retry a failed attempt a few times with exponential backoff (10, 20, 40 ms…), capped, and with jitter: wait a random time between 0 and the backoff, so requests that failed together do not retry together.",
    "Count failures in a row. After five, open the breaker: allow() returns false for a while, and retryDelayMs gives up.",
    "After the cool-down, let one trial call through (half-open): if it succeeds close the breaker, if it fails open it again.",
  ],
});
