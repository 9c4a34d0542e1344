/**
 * The canary-rollout system: a deployment pipeline rolls out one new version after another. For each
 * rollout the learner's controller is made afresh; the new version (the canary) serves a growing share of
 * the traffic, stage by stage, and the rest goes to the old one (the baseline). After every step (a minute
 * of traffic) the controller is shown both groups' figures — requests, errors, p99 latency — and says
 * "promote" (next stage; after the last, the whole fleet), "hold" or "rollback".
 *
 * What makes it a statistics problem rather than a threshold: the baseline's own error rate and latency
 * differ from rollout to rollout (0.3–4% errors) and move from step to step (a shared drift: traffic mix,
 * time of day), so a number that is fine for one service is an alarm for another; and at a 5% stage the
 * canary serves a hundred requests a minute, where one error more or less is noise. Some new versions are
 * as good as the old, some fail more often, some are only slower.
 *
 * The grader knows each version's true behaviour, so it judges the controller by what its decisions cost:
 * the *burn* of a rollout is the expected number of requests made bad (failed, or slower than the SLO) by
 * the canary beyond what the baseline would have made bad, counted while the canary serves and, once a
 * bad version is promoted, for the fleet's next `horizonSteps` steps. A good version has no burn; the
 * question for it is how many steps it took to promote and whether noise rolled it back.
 */
import { hashText } from "../report/hash.ts";
import { formatMs } from "../report/format.ts";
import { exp, ln } from "../sim/det-math.ts";
import { standardNormal } from "../sim/requests/distributions.ts";
import type { Rng } from "../sim/prng.ts";
import { RecordHash, round1, round3 } from "../sim/requests/recorder.ts";
import { componentErrorsCheck } from "./checks.ts";
import { listOption, numberOption } from "./scenario.ts";
import type { ComponentRunData, ComponentSystem, Options, SystemOutcome } from "./types.ts";

const OBSERVE = "observe|snnn";
const DECIDE = "decide|";

/** What a rollout's new version truly is: the grader's secret, the controller's question. */
export const VersionKind = { Good: 0, MoreErrors: 1, Slower: 2 } as const;
/** How a rollout ended. */
export const RolloutEnd = { Promoted: 0, RolledBack: 1, Undecided: 2 } as const;

/** A "min,max" option (or one number for both), or `fallback` when the scenario leaves it out. */
function range(options: Options, name: string, fallback: [number, number]): [number, number] {
  if (options[name] === undefined) return fallback;
  const [min, max] = listOption(options, name, 2, NaN);
  return [min!, max!];
}

function config(options: Options) {
  const stages = typeof options.stages === "string" ? options.stages.split(",").map(Number) : [5, 25, 50];
  return {
    rollouts: numberOption(options, "rollouts", 60),
    /** Requests per step (a minute of traffic), canary and baseline together. */
    stepRequests: numberOption(options, "stepRequests", 10_000),
    /** The canary's share of traffic at each stage, in percent; promoting after the last finishes. */
    stages,
    /** A rollout the controller has not finished after this many steps ends undecided. */
    stepsMax: numberOption(options, "stepsMax", 40),
    /** Share of rollouts whose version is bad, and of those, the share that is slower rather than failing. */
    badShare: numberOption(options, "badShare", 0.5),
    slowShare: numberOption(options, "slowShare", 0),
    /** The baseline's error rate, drawn per rollout uniformly in this range. */
    baseErrors: range(options, "baseErrors", [0.01, 0.01]),
    /** A failing version's error rate over the baseline's, drawn per bad rollout. */
    errorFactor: range(options, "errorFactor", [3, 6]),
    /** A slow version's latency over the baseline's (every request scaled), drawn per slow rollout. */
    slowFactor: range(options, "slowFactor", [1.5, 2.5]),
    /** The baseline's median latency, drawn per rollout, and the spread of its lognormal. */
    medianMs: range(options, "medianMs", [80, 80]),
    sigma: numberOption(options, "sigma", 0.5),
    /** A request slower than this many times the baseline's median misses the SLO. */
    sloFactor: numberOption(options, "sloFactor", 3),
    /** The sigma of the shared drift: each step both groups' error rate and latency are scaled by exp(N(0, drift)). */
    drift: numberOption(options, "drift", 0),
    /** After a bad version is promoted, its burn is counted over this many steps of the whole fleet. */
    horizonSteps: numberOption(options, "horizonSteps", 30),
  };
}

type Config = ReturnType<typeof config>;

/** Φ(x), the standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; absolute error below 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

interface Version {
  kind: number;
  /** Error rate and median latency at drift 1. */
  errorRate: number;
  medianMs: number;
  /** The factor that made it bad (1 for a good version). */
  factor: number;
}

/** The chance a request of this version is bad (it fails, or succeeds slower than the SLO), at drift 1. */
function badChance(v: Version, sloMs: number, sigma: number): number {
  const slow = 1 - normalCdf(ln(sloMs / v.medianMs) / sigma);
  return v.errorRate + (1 - v.errorRate) * slow;
}

/** z of the 99th percentile of a standard normal, and the normal density there. */
const z99 = 2.326348;
const density99 = 0.026652;

/**
 * A binomial draw: exact by inversion (walking the probabilities up from 0) while the mean is small, the
 * normal approximation beyond, where it is within a fraction of an error of exact and inversion would
 * start from (1 − p)^n below the smallest double.
 */
function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean > 100) return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * standardNormal(rng.next))));
  const ratio = p / (1 - p);
  let k = 0;
  let pk = exp(n * ln(1 - p));
  let cumulative = pk;
  const u = rng.next();
  while (u > cumulative && k < n) {
    pk *= (ratio * (n - k)) / (k + 1);
    k++;
    cumulative += pk;
  }
  return k;
}

/**
 * One group's step: its errors, and the p99 latency of its `ok` successful requests. Latencies are
 * lognormal; the sample p99 of `ok` of them is drawn from its large-sample distribution (normal in log
 * space around the true p99, with the standard error of a quantile: √(q(1−q)/n) / φ(z_q) in z units),
 * which is what a minute of a few hundred or thousand requests gives, without drawing each one.
 */
function serve(rng: Rng, v: Version, n: number, drift: number, sigma: number): { errors: number; p99Ms: number } {
  const errors = binomial(rng, n, Math.min(1, v.errorRate * drift));
  const ok = n - errors;
  if (ok === 0) return { errors, p99Ms: 0 };
  const spread = Math.sqrt((0.99 * 0.01) / ok) / density99;
  const p99Ms = round1(exp(ln(v.medianMs * drift) + sigma * (z99 + spread * standardNormal(rng.next))));
  return { errors, p99Ms };
}

function drawVersions(c: Config, rng: Rng): Array<{ base: Version; canary: Version }> {
  const out: Array<{ base: Version; canary: Version }> = [];
  for (let r = 0; r < c.rollouts; r++) {
    const base: Version = {
      kind: VersionKind.Good,
      errorRate: rng.uniform(c.baseErrors[0], c.baseErrors[1] + 1e-12),
      medianMs: rng.uniform(c.medianMs[0], c.medianMs[1] + 1e-12),
      factor: 1,
    };
    let canary: Version = { ...base };
    if (rng.chance(c.badShare)) {
      if (rng.chance(c.slowShare)) {
        const factor = rng.uniform(c.slowFactor[0], c.slowFactor[1] + 1e-12);
        canary = { kind: VersionKind.Slower, errorRate: base.errorRate, medianMs: base.medianMs * factor, factor };
      } else {
        const factor = rng.uniform(c.errorFactor[0], c.errorFactor[1] + 1e-12);
        canary = { kind: VersionKind.MoreErrors, errorRate: Math.min(1, base.errorRate * factor), medianMs: base.medianMs, factor };
      }
    }
    out.push({ base, canary });
  }
  return out;
}

export const canaryRollout: ComponentSystem = {
  name: "canary-rollout",
  summary: "rollouts of new versions → the learner's RolloutController (observe the canary's and the baseline's figures each step, decide promote / hold / rollback) → the grader counts the requests bad versions spoiled",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {});
    const pct = (x: number) => `${round3(x * 100)}%`;
    const base = c.baseErrors[0] === c.baseErrors[1] ? pct(c.baseErrors[0]) : `${pct(c.baseErrors[0])}–${pct(c.baseErrors[1])} (per rollout)`;
    const lines = [
      `${c.rollouts} rollouts, stages ${c.stages.map((s) => `${s}%`).join(" → ")} → 100%; a step is ${c.stepRequests} requests; a rollout not finished in ${c.stepsMax} steps ends undecided`,
      `baseline: ${base} errors, median latency ${formatMs(c.medianMs[0])}${c.medianMs[0] === c.medianMs[1] ? "" : `–${formatMs(c.medianMs[1])}`}, SLO ${c.sloFactor}× the median${c.drift > 0 ? `; both groups drift together from step to step (σ ${c.drift})` : ""}`,
      `${Math.round(c.badShare * 100)}% of new versions are bad: ${c.slowShare < 1 ? `errors ×${c.errorFactor[0]}–${c.errorFactor[1]}` : ""}${c.slowShare > 0 && c.slowShare < 1 ? ", or " : ""}${c.slowShare > 0 ? `latency ×${c.slowFactor[0]}–${c.slowFactor[1]}` : ""}${c.slowShare > 0 && c.slowShare < 1 ? ` (${Math.round(c.slowShare * 100)}% of the bad ones)` : ""}`,
    ];
    return lines;
  },
  run(ctx): SystemOutcome {
    const c = config(ctx.options);
    const { port } = ctx;
    const versions = drawVersions(c, ctx.rng.fork("versions"));
    const hash = new RecordHash();
    const kind: number[] = [], end: number[] = [], steps: number[] = [], burn: number[] = [], factor: number[] = [], baseErrors: number[] = [];
    /** Per rollout: what one step at the first stage spoils (the least a controller that watches must pay). */
    const firstStepBurn: number[] = [];
    /** Per step of every rollout, in order: the canary's share (%) and what the controller answered (0 promote, 1 hold, 2 rollback, 3 unreadable). */
    const stepShare: number[] = [], stepAnswer: number[] = [];
    let unreadable = 0;
    let firstUnreadable = "";
    let events = 0;
    let simulatedMs = 0;
    const stepMs = 60_000;

    for (let r = 0; r < versions.length; r++) {
      const { base, canary } = versions[r]!;
      const made = port.create(undefined, { stages: c.stages, stepRequests: c.stepRequests });
      if (made === undefined) return { figures: {}, series: {}, recordHash: hashText("no controller"), events, simulatedMs };
      const rng = ctx.rng.fork(`rollout:${r}`);
      const sloMs = c.sloFactor * base.medianMs;
      const excess = Math.max(0, badChance(canary, sloMs, c.sigma) - badChance(base, sloMs, c.sigma));
      let stage = 0;
      let spent = 0;
      let outcome: number = RolloutEnd.Undecided;
      let step = 0;
      while (step < c.stepsMax) {
        step++;
        const share = c.stages[stage]! / 100;
        const canaryN = Math.round(c.stepRequests * share);
        const baseN = c.stepRequests - canaryN;
        const drift = c.drift > 0 ? exp(c.drift * standardNormal(rng.next)) : 1;
        const canaryStep = serve(rng, canary, canaryN, drift, c.sigma);
        const baseStep = serve(rng, base, baseN, drift, c.sigma);
        spent += canaryN * excess;
        port.nowMs = simulatedMs + step * stepMs;
        port.call(made, OBSERVE, canaryN, canaryStep.errors, canaryStep.p99Ms, "canary");
        port.call(made, OBSERVE, baseN, baseStep.errors, baseStep.p99Ms, "baseline");
        const answer = port.call(made, DECIDE);
        events += 3;
        const code = answer === "promote" ? 0 : answer === "hold" ? 1 : answer === "rollback" ? 2 : 3;
        if (code === 3) {
          unreadable++;
          if (!firstUnreadable) firstUnreadable = `rollout ${r + 1}, step ${step}: decide() returned ${JSON.stringify(answer) ?? String(answer)}`;
        }
        stepShare.push(c.stages[stage]!);
        stepAnswer.push(code);
        hash.add(canaryStep.errors);
        hash.add(baseStep.errors);
        hash.add(code);
        if (code === 2) {
          outcome = RolloutEnd.RolledBack;
          break;
        }
        if (code === 0) {
          stage++;
          if (stage === c.stages.length) {
            outcome = RolloutEnd.Promoted;
            spent += c.horizonSteps * c.stepRequests * excess;
            break;
          }
        }
      }
      simulatedMs += step * stepMs;
      kind.push(canary.kind);
      end.push(outcome);
      steps.push(step);
      burn.push(round1(spent));
      firstStepBurn.push(round1(Math.round(c.stepRequests * (c.stages[0]! / 100)) * excess));
      factor.push(round3(canary.factor));
      baseErrors.push(round3(base.errorRate * 100));
      hash.add(outcome);
      hash.add(step);
    }
    port.nowMs = simulatedMs;
    if (unreadable > 0) port.complain(`${unreadable} answers of decide() were not "promote", "hold" or "rollback" and count as "hold"; first: ${firstUnreadable}`);

    const good = kind.filter((k) => k === VersionKind.Good).length;
    const bad = kind.length - good;
    const count = (pred: (i: number) => boolean) => kind.reduce((n, _k, i) => n + (pred(i) ? 1 : 0), 0);
    const figures: Record<string, number> = {
      rollouts: kind.length,
      goodVersions: good,
      badVersions: bad,
      goodPromoted: count((i) => kind[i] === VersionKind.Good && end[i] === RolloutEnd.Promoted),
      goodRolledBack: count((i) => kind[i] === VersionKind.Good && end[i] === RolloutEnd.RolledBack),
      badRolledBack: count((i) => kind[i] !== VersionKind.Good && end[i] === RolloutEnd.RolledBack),
      badPromoted: count((i) => kind[i] !== VersionKind.Good && end[i] === RolloutEnd.Promoted),
      undecided: count((i) => end[i] === RolloutEnd.Undecided),
      stepsMax: c.stepsMax,
      stageCount: c.stages.length,
      horizonSteps: c.horizonSteps,
      stepRequests: c.stepRequests,
      unreadableAnswers: unreadable,
    };
    return {
      figures,
      series: { kind, end, steps, burn, firstStepBurn, factor, baseErrorsPct: baseErrors, stepShare, stepAnswer },
      recordHash: hash.digest(),
      events,
      simulatedMs,
    };
  },
  checks: {
    "no-errors": componentErrorsCheck((e) => `the controller at ${formatMs(e.timeMs)} of the rollouts`),
    /**
     * Every bad version rolled back before it spoiled more requests than `firstStageSteps` steps at the
     * first stage would (param firstStageSteps): a controller must see a bad version to judge it, so the
     * bound is in units of what watching it costs, whatever its size of regression.
     */
    "bad-caught"(run, params) {
      const { kind, end, steps, burn, firstStepBurn, factor, baseErrorsPct } = series(run);
      const allowedSteps = params.firstStageSteps ?? 8;
      const over: number[] = [];
      let worst = 0;
      for (let i = 0; i < kind.length; i++) {
        if (kind[i] === VersionKind.Good || firstStepBurn[i]! <= 0) continue;
        const inSteps = burn[i]! / firstStepBurn[i]!;
        worst = Math.max(worst, inSteps);
        if (inSteps > allowedSteps) over.push(i);
      }
      const f = run.components.figures;
      const summary = `${f.badRolledBack} of ${f.badVersions} bad versions rolled back, ${f.badPromoted} promoted; the worst spoiled as many requests as ${round1(worst)} steps at the first stage would`;
      if (over.length === 0) return { ok: true, message: `${summary} (at most ${allowedSteps} allowed)` };
      const i = over.reduce((a, b) => (burn[b]! / firstStepBurn[b]! > burn[a]! / firstStepBurn[a]! ? b : a));
      const what = kind[i] === VersionKind.Slower ? `was ${factor[i]}× slower than the old version` : `failed ${factor[i]}× as often as the old version's ${baseErrorsPct[i]}%`;
      const how =
        end[i] === RolloutEnd.Promoted
          ? `it was promoted to the whole fleet after ${steps[i]} steps, where it spoils requests until someone notices (${f.horizonSteps} steps counted)`
          : end[i] === RolloutEnd.Undecided
            ? `it was still serving canary traffic when the rollout ran out of steps (${steps[i]})`
            : `it was rolled back only after ${steps[i]} steps`;
      return {
        ok: false,
        message: `${over.length} bad versions spoiled more requests than ${allowedSteps} steps at the first stage would (${summary}). The worst, rollout ${i + 1}, ${what}: ${how}, ${burn[i]} requests spoiled where ${round1(allowedSteps * firstStepBurn[i]!)} were allowed. Compare the canary with the baseline of the same step, not with a fixed number${kind[i] === VersionKind.Slower ? ", and watch latency as well as errors" : ""}, and do not widen the canary while it looks worse.`,
      };
    },
    /** Every good version that was not rolled back promoted within `stepsMax` steps (param stepsMax). */
    "good-promoted"(run, params) {
      const { kind, end, steps } = series(run);
      const stepsMax = params.stepsMax ?? 12;
      const late: number[] = [];
      const promotedSteps: number[] = [];
      for (let i = 0; i < kind.length; i++) {
        if (kind[i] !== VersionKind.Good || end[i] === RolloutEnd.RolledBack) continue;
        if (end[i] === RolloutEnd.Promoted) promotedSteps.push(steps[i]!);
        if (end[i] !== RolloutEnd.Promoted || steps[i]! > stepsMax) late.push(i);
      }
      promotedSteps.sort((a, b) => a - b);
      const median = promotedSteps.length ? promotedSteps[Math.floor((promotedSteps.length - 1) / 2)]! : 0;
      const summary = `good versions promoted in a median of ${median} steps, at most ${promotedSteps.at(-1) ?? 0} (${run.components.figures.stageCount} stages, so ${run.components.figures.stageCount} at the least)`;
      if (late.length === 0) return { ok: true, message: `${summary}; within ${stepsMax} every time` };
      const i = late[0]!;
      const why = end[i] === RolloutEnd.Promoted ? `took ${steps[i]} steps` : `was never promoted in ${steps[i]} steps`;
      return { ok: false, message: `${late.length} good versions were not promoted within ${stepsMax} steps (${summary}); the first, rollout ${i + 1}, ${why}. A version as good as the old one should move on once the evidence says so: a controller that waits for certainty, or promotes only after a fixed long time, stalls every release.` };
    },
    /** At most `max` (a share) of good versions rolled back (param max). */
    "false-rollbacks"(run, params) {
      const { kind, end, baseErrorsPct } = series(run);
      const max = params.max ?? 0.05;
      const f = run.components.figures;
      const rate = f.goodVersions ? f.goodRolledBack! / f.goodVersions : 0;
      const summary = `${f.goodRolledBack} of ${f.goodVersions} good versions rolled back (${(rate * 100).toFixed(1)}%)`;
      if (rate <= max) return { ok: true, message: `${summary}, at most ${(max * 100).toFixed(1)}% allowed` };
      const i = kind.findIndex((k, j) => k === VersionKind.Good && end[j] === RolloutEnd.RolledBack);
      return {
        ok: false,
        message: `${summary}, more than the ${(max * 100).toFixed(1)}% allowed: the first, rollout ${i + 1}, was as good as the old version (whose error rate was ${baseErrorsPct[i]}%). At a small stage the canary serves few requests, so its error rate and p99 jump by chance: roll back when the difference from the baseline is larger than noise can explain, not when the canary merely looks worse once.`,
      };
    },
  },
};

function series(run: ComponentRunData) {
  const s = run.components.series;
  return { kind: s.kind!, end: s.end!, steps: s.steps!, burn: s.burn!, firstStepBurn: s.firstStepBurn!, factor: s.factor!, baseErrorsPct: s.baseErrorsPct! };
}
