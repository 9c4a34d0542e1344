import { defineExercise, type CheckSpec } from "../../graders/index.ts";
import { designScenario, type DesignScenarioSpec } from "../../graders/design/scenario.ts";
import { referenceFigures } from "./reference-figures.ts";

const prompt = "rate-limiter";
/**
 * Every task runs six simulated minutes around the day's peak, with bursts, of a sample of 30 checks a
 * second at the peak: a check makes three or more calls, and the sample and the length keep a seed's run
 * near half a second (the golden tests grade 130 of them).
 */
const durationMin = 6;
const sampledPeakPerSec = 30;
const scenario = (spec: Omit<DesignScenarioSpec, "prompt" | "durationMin" | "reference" | "sampledPeakPerSec">) => designScenario({ prompt, durationMin, sampledPeakPerSec, reference: referenceFigures[spec.name], ...spec });

/** What every task holds the design to: one limit per key for the world, and no key refused what it is owed. */
const correctness: CheckSpec[] = [{ name: "within-limit", params: { tolerance: 0.1 } }, { name: "fair-admission", params: { maxRatio: 0.005 } }];
const slo = { checkP99Max: 15 };
/**
 * Cost budgets, from what correct designs cost (the reference on seeds 1–20, the alternatives on seed 1):
 * launch: the reference $4,130–4,400 a month, sliding-window $4,790, g-counter $5,140 → budget $7,000;
 * 3× growth: the reference $8,400–9,110, sliding-window $9,990, g-counter $11,070 → budget $15,000. The
 * budgets leave the dearest correct design a third of headroom and refuse what no correct design needs:
 * counters in a managed key-value store paid per write cost $71,000 at launch. Correct designs' p99 is
 * 2.4–10.5 ms (SLO 15 ms).
 */

export default defineExercise({
  slug: "rate-limiter-design",
  title: "Design a global rate limiter",
  lesson: "11-practice/10-rate-limiter",
  harness: "design",
  instructions: [
    "Design the rate limiter service an API's gateways call on every request, and have it graded under load and faults. Default-export `design({ … })` (import the building blocks from \"clusterlab\"): the regions it runs in, its components, the timeout and retries of each call, and the async `check` handler: `const n = await ctx.call(\"counters\", \"increment\", key, 120)`.",
    "",
    "The gateways: 30,000 checks a second at the day's peak, from three regions (us-east-1 50%, eu-west-1 30%, us-west-2 20%). A check is `{ key, limit }`: the request's API key, and the most checks of that key to allow per minute of the clock for the WHOLE WORLD (windows start at each whole minute of `ctx.now()`; the limit is in the run's sample of checks, so compare your count with it as it is). Answer `{ allowed: true }` or `{ allowed: false }`. A few keys send three times their limit, each from its own mix of regions (one only from Europe, one from all three); some send up to half of it; most send a few checks a minute.",
    "",
    "Graded per key and minute: a key is admitted at most its limit plus 10% (`within-limit`, in every minute no fault touched), and is refused at most 0.5% of what it is owed, min(checks, limit) (`fair-admission`, faults included). When the limiter's own state cannot answer, it must FAIL OPEN: allow, so that the API keeps serving (a limiter that fails closed takes the API down with it). A check must answer fast: the gateway waits for it on every request (p99 ≤ 15 ms, counted from the gateway, which may be an ocean away from your pool). Each task gates on the SLOs, correctness, recovery (RTO) and a cost budget (graders/design/prices.ts); your figures are reported beside the reference design's on the same seed.",
  ].join("\n"),
  tasks: [
    {
      id: "launch",
      title: "One limit, three regions",
      description: "30,000 checks/s at the peak from three regions: keep every key within its one global limit, refuse nobody what they are owed, answer in 15 ms at p99, for at most $7,000 a month.",
      scenarios: [scenario({ name: "launch" })],
      checks: [{ name: "latency", params: slo }, { name: "availability", params: { min: 0.999 } }, ...correctness, { name: "cost", params: { maxUsdPerMonth: 7000 } }],
    },
    {
      id: "growth",
      title: "3× growth within budget",
      description: "Three times the checks (90,000/s at the peak): the same SLOs and limits for at most $15,000 a month.",
      scenarios: [scenario({ name: "growth", growth: 3 })],
      checks: [{ name: "latency", params: slo }, { name: "availability", params: { min: 0.999 } }, ...correctness, { name: "cost", params: { maxUsdPerMonth: 15_000 } }],
    },
    {
      id: "zone-outage",
      title: "A zone goes down",
      description: "At 3× traffic, at 2:00 a zone of us-east-1 fails for three minutes with everything in it (its instances and its cache node stop answering: only timeouts tell). Keep answering (99% of checks: the balancer takes 10 s to stop sending to the dead zone) and be back at 99% within 30 s; keys stay within their limits outside the fault's minutes.",
      scenarios: [scenario({ name: "zone-outage", growth: 3, fault: { kind: "zone-outage", atMin: 2, forMin: 3 } })],
      checks: [{ name: "availability", params: { min: 0.99 } }, { name: "rto", params: { maxSec: 30 } }, ...correctness],
    },
    {
      id: "limiter-outage",
      title: "The limiter's own state fails: fail open",
      description: "At 3× traffic, at 2:00 every cache and database of us-east-1 stops answering for two minutes (a bad deploy of the data tier), then comes back empty. The prompt says fail open: the gateways must keep serving, at the same p99, and nobody may be refused what they are owed.",
      scenarios: [scenario({ name: "limiter-outage", growth: 3, fault: { kind: "storage-outage", atMin: 2, forMin: 2 } })],
      checks: [{ name: "latency", params: slo }, { name: "availability", params: { min: 0.999 } }, { name: "rto", params: { maxSec: 30 } }, ...correctness],
    },
  ],
  seeds: 5,
  hints: [
    "Put a pool in each region and route each region's gateways to it (`lb({ target, byRegion: { \"eu-west-1\": \"api-eu\" } })`): a check that crosses an ocean costs 70 ms or more, five times the SLO.",
    "Count in a cache (`increment(key, ttlSec)`, with the minute in the key so that each window starts at 0). A counter per region alone lets every region admit the whole limit; a single counter for the world in one region puts an ocean on the hot path. Between the two: count locally, and tell the other regions without waiting for them (a call you do not await still happens); each region's count is then the world's, a fraction of a second late.",
    "Give the counter calls a short timeout (a few ms) and answer `{ allowed: true }` when they fail: failing open is the prompt's rule, and a check that waits a second for a dead cache is a failed check.",
  ],
});
