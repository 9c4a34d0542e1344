import { componentScenario, defineExercise } from "../../graders/index.ts";

const system = "canary-rollout";

/** Every task: 60 rollouts, stages 5% → 25% → 50% → the fleet, a step of 10,000 requests. */

// Bounds set from the spread of three correct controllers over seeds 1–30 (the reference's stratified
// z-tests with a promotion bound, .meta/alternatives/sprt.ts and credible-intervals.ts), per task:
// good versions rolled back 0–7.4% (bound 10%); good versions promoted in at most 17, 18 and 22 steps
// (bound 25); the costliest bad version spoiled as many requests as 3.0, 17.2 and 11.1 steps at the
// first stage would (bound 20). Against them: fixed thresholds roll back 76–92% of good versions once
// baselines differ; "looks worse this step" 74–100%; a z-test per step alone 7–42%; promoting on a timer
// lets bad versions spoil 630+ first-stage steps' worth; ignoring latency 647 in the last task; ten steps
// per stage promotes in 30.
const plan = { rollouts: 60, stepRequests: 10_000, stages: "5,25,50", stepsMax: 40, horizonSteps: 30 };

export default defineExercise({
  slug: "canary-rollout",
  title: "Canary rollout: promote, hold or roll back",
  lesson: "10-best-practices/01-design-principles-and-operations",
  harness: "component",
  instructions: [
    "Write the controller of a deployment pipeline. Default-export a factory that takes a rollout's plan `{ stages, stepRequests }` and returns a `RolloutController`. For each rollout of a new version the pipeline makes a fresh controller; the new version (the canary) serves `stages[0]`% of the traffic, the old version (the baseline) the rest. After every step (a minute of traffic, `stepRequests` requests in all) the pipeline calls `observe(\"canary\", requests, errors, p99Ms)` and `observe(\"baseline\", …)` with that step's figures, then `decide()`: `\"promote\"` moves the canary to the next stage (after the last one, to the whole fleet: the rollout is over), `\"hold\"` keeps it where it is for another step, `\"rollback\"` rejects the version.",
    "",
    "Half of the new versions are as good as the old one; the others fail more often or are slower. The grader knows which, and charges you for every request a bad version spoils (fails, or answers slower than the SLO) beyond what the old version would have spoiled: while it serves canary traffic, and for 30 steps of the whole fleet if you promote it. Good versions must reach the fleet within a bound of steps, and must not be rolled back by chance. The baseline's own error rate and latency differ between rollouts and move from step to step, and at 5% the canary serves only 500 requests a step: compare the two groups, and tell a real difference from noise.",
  ].join("\n"),
  tasks: [
    {
      id: "steady",
      title: "Catch a clearly worse version",
      description: "Every service fails 1% of its requests; a bad version fails 3–6 times as often. Roll bad versions back before they spoil as many requests as 20 steps at the first stage would, promote good ones within 25 steps, and roll back at most 1 in 10 good ones.",
      scenarios: [componentScenario({ name: "steady", system, durationMs: 60_000, options: { ...plan, baseErrors: "0.01,0.01", errorFactor: "3,6" } })],
      checks: [{ name: "bad-caught", params: { firstStageSteps: 20 } }, { name: "good-promoted", params: { stepsMax: 25 } }, { name: "false-rollbacks", params: { max: 0.1 } }],
    },
    {
      id: "baseline",
      title: "Against the baseline, not a number",
      description: "Each service has its own error rate, 0.5–4%, and it drifts from step to step for both groups at once; a bad version fails 2–4 times as often as its baseline. The same bounds.",
      scenarios: [componentScenario({ name: "noisy-baseline", system, durationMs: 60_000, options: { ...plan, baseErrors: "0.005,0.04", errorFactor: "2,4", drift: 0.3 } })],
      checks: [{ name: "bad-caught", params: { firstStageSteps: 20 } }, { name: "good-promoted", params: { stepsMax: 25 } }, { name: "false-rollbacks", params: { max: 0.1 } }],
    },
    {
      id: "latency",
      title: "Slower is worse too",
      description: "Now 4 in 10 bad versions fail no more often than the old one but answer 1.5–2.5 times slower; every request slower than 3× the old version's median misses the SLO. Same bounds.",
      scenarios: [componentScenario({ name: "slow-versions", system, durationMs: 60_000, options: { ...plan, baseErrors: "0.005,0.04", errorFactor: "2,4", drift: 0.3, slowShare: 0.4, slowFactor: "1.5,2.5", medianMs: "40,200" } })],
      checks: [{ name: "bad-caught", params: { firstStageSteps: 20 } }, { name: "good-promoted", params: { stepsMax: 25 } }, { name: "false-rollbacks", params: { max: 0.1 } }],
    },
  ],
  seeds: 10,
  hints: [
    "Keep running totals for the rollout: the canary's and the baseline's requests and errors. Both groups see the same drift in the same step, so compare them with each other, never with a fixed threshold.",
    "Roll back when the canary's error rate is higher than the baseline's by more than chance explains: with p the pooled rate, the difference has a standard error of √(p(1−p)(1/n₁ + 1/n₂)); three standard errors is rarely noise.",
    "Promote after a step or two at each stage without a significant difference: waiting for certainty stalls good releases, and a bad version serving 5% costs little per step.",
    "For latency, compare the canary's p99 with the baseline's p99 of the same step (a ratio), and average the log of that ratio over the steps: one step's p99 of 100 requests is noisy.",
  ],
});
