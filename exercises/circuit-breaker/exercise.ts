import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "circuit-breaker";
/** The fleet every task runs: 100 clients sharing 2000 requests/s, a downstream of 24 workers. */
const fleet = { clients: 100, slots: 24 };
const scenario = (name: string, options: Record<string, number | boolean>) =>
  componentScenario({ name, system, durationMs: 10_000, ratePerSec: 2000, options: { ...fleet, ...options } });

export default defineExercise({
  slug: "circuit-breaker",
  title: "Circuit breaker: retries that do not make things worse",
  lesson: "07-architectures/02-resilience-patterns",
  harness: "component",
  instructions: [
    "A fleet of 100 client services calls one downstream service for each of its requests. Write the policy around those calls: default-export a factory returning a `CallPolicy`; each client calls the factory once and keeps its own policy (keep its state inside, as separate processes would). Before each attempt the client asks `allow()` (return false to fail the request at once); after it, `onResult(ok, latencyMs)`; after a failed attempt, `retryDelayMs(attempt)` says how long to wait before trying again, or −1 to give up.",
    "",
    "The downstream has 24 workers and fails some calls at random; in the later tasks it goes down: calls to it get no answer, and each attempt ends at its 200 ms timeout. Each attempt is real load on it: a policy that retries hard turns a short outage into a retry storm, and retries that all wait the same time after a shared failure come back as one wave. Requests are graded from the time they were sent; a request has 2 s to succeed.",
  ].join("\n"),
  // Budgets: each is set from the spread of the correct solutions (.meta/solution.ts and the two in
  // .meta/alternatives/: a sliding-window breaker with decorrelated jitter, a transition-table breaker with
  // equal jitter and a retry budget) over seeds 1–30, with the wrong solution it must stop beside it.
  tasks: [
    {
      id: "retries",
      title: "Retry transient failures",
      description: "10% of calls fail at random: retry so that at most 0.5% of requests fail, and soon enough that the slowest 1% take at most 250 ms.",
      scenarios: [scenario("flaky", { failRate: 0.1 })],
      checks: [
        // correct solutions: 0–0.3% over seeds 1–30; no retry 10%, a breaker that opens on one failure 51%.
        { name: "error-rate", params: { max: 0.005 } },
        // correct solutions: p99 73–202 ms over seeds 1–30 (decorrelated jitter the slowest); a backoff from 1 s: 940–970 ms.
        { name: "latency", params: { p99Max: 250 } },
      ],
    },
    {
      id: "jitter",
      title: "Retry apart",
      description: "At 5 s the downstream hangs for 100 ms, then comes back by resetting every call it held: about 200 calls, from all the clients, fail at the same instant. Their retries must not come back as one wave: in no 5 ms may the downstream get more than 6× its usual load.",
      scenarios: [scenario("reset", { failRate: 0.02, outageFromMs: 5000, outageToMs: 5100, resetAtEnd: true })],
      checks: [
        // correct solutions: 2.3–4.7× over seeds 1–30; backoff ±10%: 7.4–10.9×, no jitter: 13.7–19.4×.
        { name: "retry-sync", params: { maxPeakToMean: 6 } },
        // correct solutions: 0–0.8% over seeds 1–30 (a few clients' breakers open on the reset); a breaker that opens on one failure: 20%.
        { name: "error-rate", params: { max: 0.02 } },
      ],
    },
    {
      id: "outage",
      title: "No retry storm",
      description: "The downstream is down from 3 s to 6 s: while it is down, at most 1.5 calls per incoming request may reach it.",
      scenarios: [scenario("outage", { failRate: 0.02, outageFromMs: 3000, outageToMs: 6000 })],
      checks: [
        // correct solutions: 0.24–0.26× (485–529 calls/s) over seeds 1–30; backoff without a breaker 3.5×.
        { name: "retry-storm", params: { maxOfOffered: 1.5 } },
        // correct solutions: 99.2–100% over seeds 1–30; a breaker that never closes: 0%.
        { name: "recovery", params: { min: 0.98 } },
      ],
    },
    {
      id: "breaker",
      title: "Open the circuit",
      description: "The same outage: now at most 0.3 calls per request may reach the downstream while it is down (the calls already in flight when it failed count too); requests that fail must fail fast (75 ms on average, where a timeout takes 200, and 25 ms once their client's breaker has opened); and requests must succeed again within a second of its return.",
      scenarios: [scenario("outage-breaker", { failRate: 0.02, outageFromMs: 3000, outageToMs: 6000 })],
      checks: [
        // correct solutions: 49–61 ms on average, 10.6–15.8 ms once open, over seeds 1–30; a half-open state
        // that lets every request through: 77–82 and 42–47 ms; a retry budget without a breaker: 266 ms.
        { name: "fail-fast", params: { maxMeanMs: 75, maxMeanAfterOpenMs: 25 } },
        // correct solutions: 485–529 calls/s (0.24–0.26×) over seeds 1–30; the half-open flood: 792–823/s (0.40×).
        { name: "retry-storm", params: { maxOfOffered: 0.3 } },
        { name: "recovery", params: { min: 0.98 } },
        // correct solutions: 33–35% (the outage is 30% of the run) over seeds 1–30; a breaker that never closes: 70%.
        { name: "error-rate", params: { max: 0.4 } },
      ],
    },
  ],
  seeds: 10,
  hints: [
    "Retry a failed attempt a few times with exponential backoff (50, 100, 200 ms…), capped, and with jitter: wait a random time between 0 and the backoff, so requests that failed together do not retry together.",
    "Count failures in a row. After five, open the breaker: allow() returns false for a while, and retryDelayMs gives up.",
    "After the cool-down, let one trial call through (half-open): if it succeeds close the breaker, if it fails open it again.",
  ],
});
