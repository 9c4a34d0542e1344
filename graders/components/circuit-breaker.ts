/**
 * The circuit-breaker system: a client service calls a downstream service for each incoming request,
 * through the learner's CallPolicy (allow / onResult / retryDelayMs). The downstream has a few workers
 * and a queue, fails some calls at random, and goes down for a while (calls to it hang: no answer, so
 * each attempt ends at its timeout, the way a dead host behind a load balancer often looks). Retries
 * are real load: every attempt goes to the downstream, so a retry storm shows in its figures.
 */
import { hashText } from "../report/hash.ts";
import { formatMs } from "../report/format.ts";
import { createArrivals } from "../sim/requests/arrivals.ts";
import { serviceSampler } from "../sim/requests/distributions.ts";
import { DeadlineQueue, RequestLoop } from "../sim/requests/engine.ts";
import { JobTable } from "../sim/requests/jobs.ts";
import { ERROR, OK, Recorder, round1, round3 } from "../sim/requests/recorder.ts";
import { Station } from "../sim/requests/station.ts";
import { requestChecks } from "./checks.ts";
import { requestOutcome } from "./outcome.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

const ALLOW = "allow|";
const RESULT = "onResult|bn";
const DELAY = "retryDelayMs|n";

function config(options: Options) {
  return {
    failRate: numberOption(options, "failRate", 0),
    outageFromMs: numberOption(options, "outageFromMs", Infinity),
    outageToMs: numberOption(options, "outageToMs", Infinity),
    slots: numberOption(options, "slots", 4),
    serviceMs: numberOption(options, "serviceMs", 8),
    attemptTimeoutMs: numberOption(options, "attemptTimeoutMs", 200),
    /** A request that has not succeeded this long after it was sent fails (its caller gave up). */
    deadlineMs: numberOption(options, "deadlineMs", 2000),
    /** Measure recovery on requests sent from this long after the outage ends. */
    recoveryAfterMs: numberOption(options, "recoveryAfterMs", 1000),
  };
}

export const circuitBreaker: ComponentSystem = {
  name: "circuit-breaker",
  summary: "requests → your CallPolicy (allow, onResult, retryDelayMs) → a downstream with a few workers that fails at random and goes down for a while",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {});
    const lines = [
      `${scenario.workload.rate} requests/s; downstream ${c.slots} workers, service exponential mean ${c.serviceMs} ms, ${Math.round(c.failRate * 100)}% of calls fail; attempts time out after ${c.attemptTimeoutMs} ms, requests after ${formatMs(c.deadlineMs)}`,
    ];
    if (Number.isFinite(c.outageFromMs)) lines.push(`downstream down from ${formatMs(c.outageFromMs)} to ${formatMs(c.outageToMs)} (calls get no answer and time out)`);
    return lines;
  },
  run(ctx): SystemOutcome {
    const c = config(ctx.options);
    const { port } = ctx;
    const durationMs = ctx.scenario.durationMs;
    const loop = new RequestLoop();
    const recorder = new Recorder();
    const policy = port.create(undefined, {});
    if (policy === undefined) return { figures: {}, series: {}, recordHash: hashText("no policy"), events: 0, simulatedMs: 0 };
    const requests = new JobTable();
    const attempts = new JobTable();
    const failRng = ctx.rng.fork("failures");
    let attemptsTotal = 0;
    let outageAttempts = 0;
    let failFastCount = 0;
    let outageFailed = 0;
    let outageFailedMs = 0;
    let recoveryOk = 0;
    let recoveryAll = 0;
    const down = () => loop.nowMs >= c.outageFromMs && loop.nowMs < c.outageToMs;
    const inOutage = (t: number) => t >= c.outageFromMs && t < c.outageToMs;

    const finish = (req: number, ok: boolean): void => {
      if (requests.state[req] !== 0) return;
      requests.state[req] = 1;
      const sent = requests.intendedMs[req]!;
      recorder.leave(loop.nowMs, sent, ok ? OK : ERROR, requests.b[req]!);
      if (!ok && inOutage(sent)) {
        outageFailed++;
        outageFailedMs += loop.nowMs - sent;
      }
      if (sent >= c.outageToMs + c.recoveryAfterMs && sent < durationMs - c.deadlineMs) {
        recoveryAll++;
        if (ok) recoveryOk++;
      }
    };
    const attemptDone = (job: number, ok: boolean): void => {
      if (attempts.state[job] !== 0) return;
      attempts.state[job] = 1;
      const req = attempts.a[job]!;
      const k = attempts.b[job]!;
      port.nowMs = loop.nowMs;
      port.call(policy, RESULT, ok ? 1 : 0, loop.nowMs - attempts.intendedMs[job]!);
      if (requests.state[req] !== 0) return;
      if (ok) return finish(req, true);
      const delay = port.call(policy, DELAY, k + 1);
      const retryAt = loop.nowMs + (typeof delay === "number" && Number.isFinite(delay) ? delay : -1);
      if (typeof delay !== "number" || !(delay >= 0) || retryAt >= requests.intendedMs[req]! + c.deadlineMs) return finish(req, false);
      loop.at(retryAt, attemptKind, req, k + 1);
    };
    const downstream = new Station(0, { slots: c.slots, queueMax: 500, service: serviceSampler({ dist: "exponential", meanMs: c.serviceMs }, ctx.rng.fork("service")) }, loop, {
      served: (job) => attemptDone(job, !failRng.chance(c.failRate)),
      failed: (job) => attemptDone(job, false),
    });
    const attemptTimeouts = new DeadlineQueue(loop, (job) => attemptDone(job, false), (job) => attempts.state[job] === 0);
    const attemptKind = loop.on((req, k) => {
      if (requests.state[req] !== 0) return;
      port.nowMs = loop.nowMs;
      const allowed = port.call(policy, ALLOW);
      if (allowed !== true) {
        if (allowed !== false) port.complain(`allow() returned ${JSON.stringify(allowed)}: it must return true or false`);
        failFastCount++;
        return finish(req, false);
      }
      requests.b[req] = k + 1;
      attemptsTotal++;
      if (down()) outageAttempts++;
      const job = attempts.add(loop.nowMs, req, k);
      attemptTimeouts.add(job, loop.nowMs + c.attemptTimeoutMs);
      // While it is down the call gets no answer at all: only the timeout ends it.
      if (!down()) downstream.submit(job);
    });
    const arrivals = createArrivals({ ratePerSec: ctx.scenario.workload.rate }, durationMs, ctx.rng.fork("arrivals"));
    const arriveKind = loop.on(() => {
      const req = requests.add(loop.nowMs);
      recorder.enter(loop.nowMs);
      deadlines.add(req, loop.nowMs + c.deadlineMs);
      loop.at(loop.nowMs, attemptKind, req, 0);
      const next = arrivals.next();
      if (next !== Infinity) loop.at(next, arriveKind);
    });
    const deadlines = new DeadlineQueue(loop, (req) => finish(req, false), (req) => requests.state[req] === 0);
    const first = arrivals.next();
    if (first !== Infinity) loop.at(first, arriveKind);
    loop.run();
    const endMs = Math.max(durationMs, recorder.lastChangeAtMs);
    const outageSec = Number.isFinite(c.outageFromMs) ? (Math.min(c.outageToMs, durationMs) - c.outageFromMs) / 1000 : 0;
    const figures: Record<string, number> = {
      ...recorder.figures(endMs),
      attemptsPerRequest: round3(attemptsTotal / Math.max(1, requests.size)),
      offeredPerSec: ctx.scenario.workload.rate,
      failedFast: failFastCount,
    };
    if (outageSec > 0) {
      figures.outageAttemptsPerSec = round1(outageAttempts / outageSec);
      figures.outageFailMeanMs = round1(outageFailed ? outageFailedMs / outageFailed : 0);
      figures.recoveryOkRatio = round3(recoveryAll ? recoveryOk / recoveryAll : 1);
    }
    return requestOutcome(loop, recorder, endMs, figures);
  },
  checks: {
    ...requestChecks,
    /** Calls reaching the downstream while it is down. Param: maxOfOffered (× the request rate). */
    "retry-storm"(run, params) {
      const f = run.components.figures;
      const max = (params.maxOfOffered ?? 1) * f.offeredPerSec!;
      const text = `while the downstream was down it got ${f.outageAttemptsPerSec} calls/s (requests arrive at ${f.offeredPerSec}/s; ${f.attemptsPerRequest} attempts per request over the run)`;
      if (f.outageAttemptsPerSec! > max) return { ok: false, message: `${text}; at most ${max}/s may reach it. Every retry is load on a service that is already failing: cap the retries, back off, and stop calling while the breaker is open.` };
      return { ok: true, message: text };
    },
    /** Requests that fail during the outage fail fast. Param: maxMeanMs. */
    "fail-fast"(run, params) {
      const f = run.components.figures;
      const text = `requests that failed during the outage took ${f.outageFailMeanMs} ms on average to fail`;
      if (f.outageFailMeanMs! > (params.maxMeanMs ?? Infinity)) return { ok: false, message: `${text}; they should fail within ${params.maxMeanMs} ms. Waiting for each call to time out is what a breaker avoids: once it is open, allow() returns false at once.` };
      return { ok: true, message: text };
    },
    /** Requests succeed again soon after the downstream is back. Param: min (0…1). */
    recovery(run, params) {
      const f = run.components.figures;
      const min = params.min ?? 0.99;
      const text = `${(f.recoveryOkRatio! * 100).toFixed(1)}% of requests sent from 1 s after the outage succeeded`;
      if (f.recoveryOkRatio! < min) return { ok: false, message: `${text}; need ${(min * 100).toFixed(0)}%. An open breaker must let a trial call through after a cool-down (half-open) and close when it succeeds.` };
      return { ok: true, message: text };
    },
  },
};
