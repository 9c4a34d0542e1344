import { defineExercise } from "../../graders/index.ts";
import { designScenario, type DesignScenarioSpec } from "../../graders/design/scenario.ts";
import { referenceFigures } from "./reference-figures.ts";

const prompt = "url-shortener";
/** Every task runs ten simulated minutes: the busy half of a day around its peak, with bursts. */
const durationMin = 10;
const scenario = (spec: Omit<DesignScenarioSpec, "prompt" | "durationMin" | "reference">) => designScenario({ prompt, durationMin, reference: referenceFigures[spec.name], ...spec });

/** What every task holds the design to: links are unique, and a resolve returns what was stored. */
const correctness = [{ name: "unique-codes" }, { name: "idempotency" }, { name: "correct-reads" }, { name: "stale-reads", params: { maxRatio: 0.001 } }];
const slo = { resolveP99Max: 25, shortenP99Max: 60 };
/**
 * Cost budgets, from what correct designs cost per month (the reference on seeds 1–20, the alternatives on
 * the default seeds 1–5):
 * - launch: cache-kv $1,304–1,355 (a managed store paid per request is cheap at 4,000 requests/s), the
 *   reference $3,150–3,186, write-through $3,299–3,322 → budget $3,500 (6% above the dearest correct design);
 * - 10× growth: write-through $7,365–7,816, the reference $7,390–7,838, cache-kv $8,022–8,750 (its requests
 *   now cost more than instances would) → budget $10,000 (14% above the dearest).
 * Sized for ten times the launch on day one (wrong/over-budget), a design costs $59,800 at launch and
 * $63,600 at 10×. The SLOs beside them: correct designs' p99 is 8.3–12.1 ms (resolve SLO 25 ms).
 */

export default defineExercise({
  slug: "url-shortener",
  title: "Design a URL shortener",
  lesson: "11-practice/02-url-shortener",
  harness: "design",
  instructions: [
    "Design the whole service, as an interviewer would ask for it, and have it graded under load and faults. Default-export `design({ … })` (import the building blocks from \"clusterlab\"): the regions and zones it runs in, its components (a balancer, a pool of service instances, caches, SQL or key-value stores, queues, a CDN), the timeout, retries and retry budget of each call, and one async handler per request type, which says how a request flows: `const url = await ctx.call(\"cache\", \"get\", req.code)`.",
    "",
    "The users: at launch 4,000 requests a second at the day's peak, 97.5% of them `resolve` (a click: return the long URL stored for the code, or `undefined`), 2% `shorten` (return a new unique code for a URL; a user who gets no answer retries with the same idempotency key, and must get the same code back), 0.5% `update` (an owner changes a link's URL: within 60 s every resolve must return the new one). 100 million links exist already, keyed by their code in the store (`get(code)` finds them), and their popularity is Zipf: a few links get most clicks. Requests are graded from the moment the user sent them, retries included.",
    "",
    "Each task runs ten simulated minutes of a sample of the users (each simulated request stands for many real ones: the report says how many) and gates on the SLOs (resolve p99 ≤ 25 ms, shorten p99 ≤ 60 ms, availability), correctness, recovery (RTO), lost writes (RPO) and a cost budget in dollars per month from the price table (graders/design/prices.ts). Your figures are reported beside the reference design's on the same seed (`costRatio`, `p99Ratio`).",
  ].join("\n"),
  tasks: [
    {
      id: "launch",
      title: "Launch traffic",
      description: "4,000 requests/s at the peak, no faults: meet the SLOs, keep codes unique and reads correct, for at most $3,500 a month.",
      scenarios: [scenario({ name: "launch" })],
      checks: [{ name: "latency", params: slo }, { name: "availability", params: { min: 0.999 } }, ...correctness, { name: "cost", params: { maxUsdPerMonth: 3500 } }],
    },
    {
      id: "growth",
      title: "10× growth within budget",
      description: "Ten times the users (40,000 requests/s at the peak) and ten times the links: the same SLOs for at most $10,000 a month, and no shard hotter than twice the mean.",
      scenarios: [scenario({ name: "growth", growth: 10 })],
      checks: [{ name: "latency", params: slo }, { name: "availability", params: { min: 0.999 } }, { name: "hot-shard", params: { maxRatio: 2 } }, ...correctness, { name: "cost", params: { maxUsdPerMonth: 10_000 } }],
    },
    {
      id: "zone-outage",
      title: "A zone goes down, at scale",
      description: "At 10× traffic, at 3:00 a zone holding a database primary fails for four minutes, with every instance, cache node and database copy in it (they stop answering: only timeouts tell). Keep serving (99.5% of resolves, 99% of new links, 97% of updates), be back at 99% success within 60 s, and do not turn the outage into a retry storm (at most 1.5 attempts per call to any component while it lasts). When the zone returns, its cache node is empty.",
      scenarios: [scenario({ name: "zone-outage", growth: 10, fault: { kind: "zone-outage", atMin: 3, forMin: 4 } })],
      checks: [{ name: "availability", params: { resolveMin: 0.995, shortenMin: 0.99, updateMin: 0.97 } }, { name: "rto", params: { maxSec: 60 } }, { name: "retry-storm", params: { maxAmplification: 1.5 } }, ...correctness],
    },
    {
      id: "viral-key",
      title: "The viral link",
      description: "At 10× traffic, a link from the long tail goes viral at 3:00: for four minutes it takes 30% of all resolves (12,000 a second on one key). The SLOs still hold.",
      scenarios: [scenario({ name: "viral-key", growth: 10, fault: { kind: "viral-key", atMin: 3, forMin: 4, share: 0.3 } })],
      checks: [{ name: "latency", params: slo }, { name: "availability", params: { min: 0.999 } }, ...correctness],
    },
    {
      id: "primary-failure",
      title: "The primary fails, and no acknowledged write is lost",
      description: "At 10× traffic the primary of the store's first shard fails at 3:00 and stays down. Fail over within 60 s, keep serving, and lose no write the service acknowledged (RPO 0).",
      scenarios: [scenario({ name: "primary-failure", growth: 10, fault: { kind: "primary-failure", atMin: 3, forMin: 7 } })],
      checks: [{ name: "rpo", params: { maxLostWrites: 0 } }, { name: "rto", params: { maxSec: 60 } }, { name: "availability", params: { resolveMin: 0.999, shortenMin: 0.99, updateMin: 0.97 } }, ...correctness],
    },
  ],
  seeds: 5,
  hints: [
    "Start from the read path: resolves are 97.5% of traffic. A cache in front of the store (cache-aside: get, on a miss read the store and set) takes most of them; size its memory for the hot links and give entries a TTL, or delete a link's key when it is updated, so an update shows within 60 s.",
    "Spread everything over at least two zones (`zones: [\"a\", \"b\", \"c\"]`) and give each database shard a replica in another zone: a zone outage then costs a failover, not the service. While a primary fails over, a read can go to the replica (`{ from: \"replica\" }`) and a new code can go to another shard.",
    "For 10× growth, autoscale the pool and shard the store by hash of the code; for RPO 0, replicate synchronously to a replica in the same region (another zone), never across regions, which would put a continent's round trip on every write. Retries need a budget (`retryBudget: 0.1`): without one, a brief overload turns into a retry storm that outlives it.",
  ],
});
