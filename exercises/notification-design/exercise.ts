import { defineExercise, type CheckSpec } from "../../graders/index.ts";
import { designScenario, type DesignScenarioSpec } from "../../graders/design/scenario.ts";
import { referenceFigures } from "./reference-figures.ts";

const prompt = "notifications";
/**
 * A sample of 1 notification a second at the day's peak (each standing for 1,000 real ones): a blast
 * multiplies that by 50 for its minute (3,000 simulated notifications), and the sample keeps a seed's run
 * of the blast task near a second (the golden tests grade some 150 runs). Tasks last four to ten simulated
 * minutes: long enough for a blast to drain and for several per-user minutes to be judged.
 */
const sampledPeakPerSec = 1;
const scenario = (spec: Omit<DesignScenarioSpec, "prompt" | "reference" | "sampledPeakPerSec">) => designScenario({ prompt, sampledPeakPerSec, reference: referenceFigures[spec.name], ...spec });

/** What every task holds the design to: each notification once, none accepted and lost, the per-user limit. */
const correctness: CheckSpec[] = [{ name: "duplicates" }, { name: "lost" }, { name: "per-user-limit" }];
const blast = { atMin: 0.1, forMin: 1, factor: 50 };
/**
 * Cost budget (launch), from what correct designs cost: the reference $4,006–4,577 a month on seeds 1–20
 * (kv requests, 132 queue partitions, six and six instances, pushes at $0.50 a million). The budget leaves
 * the dearest correct design about a third of headroom. (The blast task's cost is reported, not gated: a
 * month extrapolated from a run with a blast in it is a month of blasts, $13,500–14,300.) Correct designs'
 * notify p99 is 6–12 ms at launch and in the blast (SLO 100 ms); transactional deliveries 62–81 ms at
 * p99 through the blast (gate 5 s), the blast delivered within 311–417 s (gate 600 s).
 */
const launchBudget = 6000;

export default defineExercise({
  slug: "notification-design",
  title: "Design a notification system",
  lesson: "11-practice/12-notification-system",
  harness: "design",
  instructions: [
    "Design the service that delivers the company's push notifications, and have it graded under load and faults. Default-export `design({ … })` (import the building blocks from \"clusterlab\"): its components, the timeout and retries of each call, the async `notify` handler, and the internal handlers your queues' consumers run.",
    "",
    "Other services call `notify` with `{ notificationId, user, kind, at, text }`: 1,000 a second at the day's peak, transactional (a sign-in code, a payment: wanted within seconds). Answer `{ accepted: true }` once the system has the notification for good. Delivery goes through a `provider({ channel: \"push\" })`: a third party over the internet (about 40 ms a send, and one send in 200 answered only after seconds though delivered at once), allowing 10,000 sends a second per account and answering 429 above that, billed per delivered send. `ctx.call(\"push\", \"send\", user, text, idempotencyKey)`: a provider delivers a key it has already seen only once; another provider does not know it. Callers give up after 2 s and send the same notification again (and one answer in 1,000 is lost on its way back).",
    "",
    "Graded on what the providers delivered: no user gets the same notification twice (`duplicates`); nothing you accepted is lost (`lost`); no user gets more than 3 notifications made in the same minute of `at` (`per-user-limit`: drop the rest; what the limit drops is not lost); delivery delay from `at` (`delivery-delay`). A blast of marketing notifications (50× the peak for a minute) must not hold up transactional ones; a provider's outage must lose nothing. Each task also gates on the SLOs, and the first on a cost budget (graders/design/prices.ts); your figures are reported beside the reference design's on the same seed.",
  ].join("\n"),
  tasks: [
    {
      id: "launch",
      title: "Deliver each notification once",
      description: "1,000 notifications/s at the peak: answer notify within 100 ms at p99, deliver transactional ones within 2 s at p99, each exactly once, at most 3 per user a minute, for at most $6,000 a month.",
      scenarios: [scenario({ name: "launch", durationMin: 4 })],
      checks: [{ name: "latency", params: { notifyP99Max: 100 } }, { name: "availability", params: { min: 0.999 } }, ...correctness, { name: "delivery-delay", params: { transactionalP99MaxMs: 2000 } }, { name: "cost", params: { maxUsdPerMonth: launchBudget } }],
    },
    {
      id: "burst",
      title: "A marketing blast",
      description: "At 0:06 a campaign sends one marketing notification to each of three million users in a minute (50× the peak). Accept them all as fast as ever, deliver them within 10 minutes, and keep transactional notifications within 5 s at p99 meanwhile.",
      scenarios: [scenario({ name: "burst", durationMin: 10, surge: blast })],
      checks: [{ name: "latency", params: { notifyP99Max: 100 } }, { name: "availability", params: { min: 0.999 } }, ...correctness, { name: "delivery-delay", params: { transactionalP99MaxMs: 5000, marketingMaxMs: 600_000 } }],
    },
    {
      id: "provider-outage",
      title: "The provider goes down",
      description: "At 1:00 the provider that has delivered the most answers 503 to every send for two minutes. Lose nothing you accepted: fail over to another provider, or hold the notifications and deliver them when it is back, all within 3 minutes of their event; and do not hammer it with retries meanwhile.",
      scenarios: [scenario({ name: "provider-outage", durationMin: 5, fault: { kind: "provider-outage", atMin: 1, forMin: 2 } })],
      checks: [{ name: "availability", params: { min: 0.999 } }, ...correctness, { name: "delivery-delay", params: { maxMs: 180_000 } }, { name: "retry-storm", params: { maxAmplification: 2 } }],
    },
    {
      id: "zone-outage",
      title: "A zone goes down",
      description: "At 1:00 a zone of us-east-1 fails for two minutes with everything in it (instances, queue brokers, store replicas: only timeouts tell). Consumers there die in the middle of their messages: the queue hands them to live consumers after its 10 s session timeout, and they must not reach a user twice. Keep 99% of requests answered and recover within 30 s.",
      scenarios: [scenario({ name: "zone-outage", durationMin: 4, fault: { kind: "zone-outage", atMin: 1, forMin: 2 } })],
      checks: [{ name: "availability", params: { min: 0.99 } }, { name: "rto", params: { maxSec: 30 } }, ...correctness, { name: "delivery-delay", params: { transactionalP99MaxMs: 15_000 } }],
    },
  ],
  seeds: 5,
  hints: [
    "Accept by publishing to a queue (`queue({ partitions, consumer: { pool, handler, inFlight } })`) and answer once the publish is acknowledged; the consumer sends. A send in the request path waits on a third party and on its rate limit.",
    "Send every attempt with the notification's id as the idempotency key, and let a failed message stay in the queue (throw) rather than catching the error: the queue delivers it again. Fail over to a second provider only when the first refused (429, 503), never after a timeout.",
    "Count per user and minute once per notification: a retry or a redelivery is the same notification. A list per user-minute (append the id, read the list, keep the first three distinct ids) gives the same answer however often you ask.",
    "A blast in the same queue as the transactional notifications puts minutes of backlog in front of every sign-in code; and its consumers' partitions × inFlight set how fast it hits the provider.",
  ],
});
