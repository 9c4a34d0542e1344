/**
 * The circuit-breaker system: a fleet of client services calls one downstream service for each incoming
 * request, each client through its own instance of the learner's CallPolicy (allow / onResult /
 * retryDelayMs): the factory is called once per client, as each process of a fleet would run its own.
 * The downstream has a pool of workers and a queue, fails some calls at random, and goes down for a
 * while (calls to it hang: no answer, so each attempt ends at its timeout, the way a dead host behind a
 * load balancer often looks). With `resetAtEnd` it comes back by resetting every call it left hanging:
 * they all fail at the same instant, the shared failure after which retries that wait a fixed time
 * arrive together. Retries are real load: every attempt goes to the downstream, so a retry storm and a
 * synchronised wave of retries both show in what it receives.
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
import { PhaseLatencies } from "./phases.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentRunData, ComponentSystem, Options, SystemOutcome } from "./types.ts";

const ALLOW = "allow|";
const RESULT = "onResult|bn";
const DELAY = "retryDelayMs|n";

/**
 * Arrivals at the downstream are counted in windows this long: about one service time (8 ms), the scale
 * at which a wave of retries queues up. Ten milliseconds blur a wave spread over 10 ms (±10% of a 50 ms
 * backoff) into the same window as one that is not spread at all.
 */
const windowMs = 5;
/** …for this long after the outage, where retries of calls that failed together would come back. */
const burstSpanMs = 1000;

function config(options: Options) {
  return {
    /** Client services, each with its own policy instance. */
    clients: numberOption(options, "clients", 1),
    failRate: numberOption(options, "failRate", 0),
    outageFromMs: numberOption(options, "outageFromMs", Infinity),
    outageToMs: numberOption(options, "outageToMs", Infinity),
    /** At the outage's end the downstream resets every call it left hanging: they fail at once. */
    resetAtEnd: options.resetAtEnd === true,
    slots: numberOption(options, "slots", 4),
    serviceMs: numberOption(options, "serviceMs", 8),
    attemptTimeoutMs: numberOption(options, "attemptTimeoutMs", 200),
    /** A request that has not succeeded this long after it was sent fails (its caller gave up). */
    deadlineMs: numberOption(options, "deadlineMs", 2000),
    /** Measure recovery on requests sent from this long after the outage ends. */
    recoveryAfterMs: numberOption(options, "recoveryAfterMs", 1000),
  };
}

/** Answers a policy gave that the client cannot act on: counted, the first kept, reported once. */
class Unreadable {
  count = 0;
  first = "";
  firstAtMs = 0;
  note(atMs: number, text: () => string): void {
    if (this.count++ > 0) return;
    this.first = text();
    this.firstAtMs = atMs;
  }
}

export const circuitBreaker: ComponentSystem = {
  name: "circuit-breaker",
  summary: "requests from a fleet of clients → each client's CallPolicy (allow, onResult, retryDelayMs) → a downstream with a pool of workers that fails at random and goes down for a while",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {});
    const fleet = c.clients > 1 ? `${c.clients} clients (a policy each) sending ${scenario.workload.rate} requests/s in all` : `${scenario.workload.rate} requests/s`;
    const lines = [
      `${fleet}; downstream ${c.slots} workers, service exponential mean ${c.serviceMs} ms, ${Math.round(c.failRate * 100)}% of calls fail; attempts time out after ${c.attemptTimeoutMs} ms, requests after ${formatMs(c.deadlineMs)}`,
    ];
    if (Number.isFinite(c.outageFromMs)) {
      const how = c.resetAtEnd ? `calls get no answer; then it comes back and resets every call still hanging, which all fail at once` : `calls get no answer, so each attempt ends at its timeout`;
      lines.push(`downstream down from ${formatMs(c.outageFromMs)} to ${formatMs(c.outageToMs)} (${how})`);
    }
    return lines;
  },
  run(ctx): SystemOutcome {
    const c = config(ctx.options);
    const { port } = ctx;
    const durationMs = ctx.scenario.durationMs;
    const loop = new RequestLoop();
    const recorder = new Recorder();
    const policies: number[] = [];
    for (let i = 0; i < c.clients; i++) {
      const made = port.create(undefined, {});
      if (made === undefined) return { figures: {}, series: {}, recordHash: hashText("no policy"), events: 0, simulatedMs: 0 };
      policies.push(made);
    }
    const requests = new JobTable("client", "attempts");
    // try: the attempt's index, 0 for the first
    const attempts = new JobTable("request", "try");
    const failRng = ctx.rng.fork("failures");
    const clientRng = ctx.rng.fork("clients");
    const hasOutage = Number.isFinite(c.outageFromMs);
    const down = () => loop.nowMs >= c.outageFromMs && loop.nowMs < c.outageToMs;
    const inOutage = (t: number) => t >= c.outageFromMs && t < c.outageToMs;
    const phaseLatency = new PhaseLatencies(c.outageFromMs, c.outageToMs);

    let attemptsTotal = 0, outageAttempts = 0, failFastCount = 0;
    let outageFailed = 0, outageFailedMs = 0, outageSlowFails = 0, outageSlowAfterOpen = 0;
    /** Requests of the outage sent after their client's policy had first refused one: how they failed. */
    let afterOpenFailed = 0, afterOpenFailedMs = 0;
    let outageAttemptsAfterOpen = 0;
    let recoveryOk = 0, recoveryAll = 0, recoveryFailFast = 0;
    /** Per client: when its policy last refused a request during the outage (−1: not yet). */
    const refusedInOutageAt = new Float64Array(c.clients).fill(-1);
    /** Per request: whether it failed fast (allow() said no). */
    let lastFailFast = false;
    /** When each attempt reached the downstream, and whether it was a retry: the burst figures read them. */
    const arrivalMs: number[] = [];
    const arrivalRetry: number[] = [];
    /** Attempts left hanging by the outage, in the order they were sent. */
    const hanging: number[] = [];
    /** While the reset runs: the retry waits the policies choose for the calls that failed together. */
    let resetting = false;
    const resetDelays: number[] = [];
    let resetCalls = 0;
    const badAllow = new Unreadable();
    const badDelay = new Unreadable();

    const finish = (req: number, ok: boolean): void => {
      if (requests.state[req] !== 0) return;
      requests.state[req] = 1;
      const sent = requests.intendedMs[req]!;
      recorder.leave(loop.nowMs, sent, ok ? OK : ERROR, requests.col.attempts[req]!);
      if (ok) phaseLatency.add(sent, loop.nowMs - sent);
      if (!ok && inOutage(sent)) {
        outageFailed++;
        outageFailedMs += loop.nowMs - sent;
        const openedAt = refusedInOutageAt[requests.col.client[req]!]!;
        const afterOpen = openedAt >= 0 && openedAt < sent;
        if (afterOpen) {
          afterOpenFailed++;
          afterOpenFailedMs += loop.nowMs - sent;
        }
        if (!lastFailFast) {
          outageSlowFails++;
          if (afterOpen) outageSlowAfterOpen++;
        }
      }
      if (sent >= c.outageToMs + c.recoveryAfterMs && sent < durationMs - c.deadlineMs) {
        recoveryAll++;
        if (ok) recoveryOk++;
        else if (lastFailFast) recoveryFailFast++;
      }
    };
    const fail = (req: number, fast: boolean): void => {
      lastFailFast = fast;
      finish(req, false);
      lastFailFast = false;
    };
    const attemptDone = (job: number, ok: boolean): void => {
      if (attempts.state[job] !== 0) return;
      attempts.state[job] = 1;
      const req = attempts.col.request[job]!;
      const k = attempts.col.try[job]!;
      const policy = policies[requests.col.client[req]!]!;
      port.nowMs = loop.nowMs;
      port.call(policy, RESULT, ok ? 1 : 0, loop.nowMs - attempts.intendedMs[job]!);
      if (requests.state[req] !== 0) return;
      if (ok) return finish(req, true);
      const delay = port.call(policy, DELAY, k + 1);
      const usable = typeof delay === "number" && (delay >= 0 || delay === -1);
      if (!usable) badDelay.note(loop.nowMs, () => `retryDelayMs(${k + 1}) returned ${typeof delay === "number" ? String(delay) : JSON.stringify(delay) ?? "nothing"}: it must return a wait in ms (0 or more) or −1 to give up`);
      if (!usable || delay < 0) return fail(req, false);
      if (resetting) resetDelays.push(delay);
      if (loop.nowMs + delay >= requests.intendedMs[req]! + c.deadlineMs) return fail(req, false);
      loop.at(loop.nowMs + delay, attemptKind, req, k + 1);
    };
    const downstream = new Station(0, { slots: c.slots, queueMax: 500, service: serviceSampler({ dist: "exponential", meanMs: c.serviceMs }, ctx.rng.fork("service")) }, loop, {
      served: (job) => attemptDone(job, !failRng.chance(c.failRate)),
      failed: (job) => attemptDone(job, false),
    });
    const attemptTimeouts = new DeadlineQueue(loop, (job) => attemptDone(job, false), (job) => attempts.state[job] === 0);
    const attemptKind = loop.on((req, k) => {
      if (requests.state[req] !== 0) return;
      port.nowMs = loop.nowMs;
      const client = requests.col.client[req]!;
      const allowed = port.call(policies[client]!, ALLOW);
      if (allowed !== true) {
        if (allowed !== false) badAllow.note(loop.nowMs, () => `allow() returned ${JSON.stringify(allowed) ?? "nothing"}: it must return true or false (the request failed as if refused)`);
        failFastCount++;
        if (down() && refusedInOutageAt[client]! < 0) refusedInOutageAt[client] = loop.nowMs;
        return fail(req, true);
      }
      requests.col.attempts[req] = k + 1;
      attemptsTotal++;
      arrivalMs.push(loop.nowMs);
      arrivalRetry.push(k > 0 ? 1 : 0);
      const job = attempts.add(loop.nowMs, req, k);
      attemptTimeouts.add(job, loop.nowMs + c.attemptTimeoutMs);
      if (down()) {
        outageAttempts++;
        if (refusedInOutageAt[client]! >= 0) outageAttemptsAfterOpen++;
        // While it is down the call gets no answer at all: only its timeout (or the reset) ends it.
        hanging.push(job);
      } else downstream.submit(job);
    });
    if (hasOutage && c.resetAtEnd) {
      loop.at(c.outageToMs, loop.on(() => {
        resetting = true;
        for (const job of hanging) {
          if (attempts.state[job] !== 0) continue;
          resetCalls++;
          attemptDone(job, false);
        }
        resetting = false;
      }));
    }
    const arrivals = createArrivals({ ratePerSec: ctx.scenario.workload.rate }, durationMs, ctx.rng.fork("arrivals"));
    const arriveKind = loop.on(() => {
      const req = requests.add(loop.nowMs, c.clients > 1 ? clientRng.int(c.clients) : 0);
      recorder.enter(loop.nowMs);
      deadlines.add(req, loop.nowMs + c.deadlineMs);
      loop.at(loop.nowMs, attemptKind, req, 0);
      const next = arrivals.next();
      if (next !== Infinity) loop.at(next, arriveKind);
    });
    const deadlines = new DeadlineQueue(loop, (req) => fail(req, false), (req) => requests.state[req] === 0);
    const first = arrivals.next();
    if (first !== Infinity) loop.at(first, arriveKind);
    loop.run();

    // Each at the time of its first occurrence, earlier first, so the report reads in time order.
    const bad = [
      { u: badAllow, what: "answers of allow() were neither true nor false" },
      { u: badDelay, what: "answers of retryDelayMs() were not a wait" },
    ].filter((b) => b.u.count > 0).sort((x, y) => x.u.firstAtMs - y.u.firstAtMs);
    for (const { u, what } of bad) {
      port.nowMs = u.firstAtMs;
      port.complain(`${u.count} ${what}; the first: ${u.first}`);
    }

    const endMs = Math.max(durationMs, recorder.lastChangeAtMs);
    const outageSec = hasOutage ? (Math.min(c.outageToMs, durationMs) - c.outageFromMs) / 1000 : 0;
    const figures: Record<string, number> = {
      ...recorder.figures(endMs),
      clients: c.clients,
      attemptsPerRequest: round3(attemptsTotal / Math.max(1, requests.size)),
      offeredPerSec: ctx.scenario.workload.rate,
      failedFast: failFastCount,
    };
    if (outageSec > 0) {
      figures.outageFromMs = c.outageFromMs;
      figures.outageToMs = c.outageToMs;
      figures.outageAttemptsPerSec = round1(outageAttempts / outageSec);
      figures.outageAttemptsAfterOpenPerSec = round1(outageAttemptsAfterOpen / outageSec);
      figures.outageFailMeanMs = round1(outageFailed ? outageFailedMs / outageFailed : 0);
      figures.outageFailed = outageFailed;
      // Where no policy ever refused, no breaker opened: every failed request of the outage counts.
      figures.outageFailMeanAfterOpenMs = round1(afterOpenFailed ? afterOpenFailedMs / afterOpenFailed : outageFailed ? outageFailedMs / outageFailed : 0);
      figures.outageSlowFails = outageSlowFails;
      figures.outageSlowAfterOpen = outageSlowAfterOpen;
      figures.recoveryOkRatio = round3(recoveryAll ? recoveryOk / recoveryAll : 1);
      figures.recoveryFailed = recoveryAll - recoveryOk;
      figures.recoveryFailFast = recoveryFailFast;
      figures.recoveryAfterMs = c.recoveryAfterMs;
      Object.assign(figures, burstFigures(arrivalMs, arrivalRetry, c.outageFromMs, c.outageToMs, durationMs), phaseLatency.figures());
    }
    if (c.resetAtEnd && outageSec > 0) {
      figures.resetCalls = resetCalls;
      figures.resetRetries = resetDelays.length;
      figures.resetDelayDistinct = new Set(resetDelays.map((d) => Math.round(d * 1000))).size;
      figures.resetDelayMinMs = round1(resetDelays.length ? Math.min(...resetDelays) : 0);
      figures.resetDelayMaxMs = round1(resetDelays.length ? Math.max(...resetDelays) : 0);
    }
    // When each attempt reached the downstream: the harness counts them per second (the load it took during the outage).
    return requestOutcome(loop, recorder, endMs, figures, { attemptsAtMs: arrivalMs });
  },
  checks: {
    ...requestChecks,
    /** Calls reaching the downstream while it is down. Param: maxOfOffered (× the request rate). */
    "retry-storm"(run, params) {
      const f = outageFigures(run, "retry-storm");
      const max = (params.maxOfOffered ?? 1) * f.offeredPerSec!;
      const text = `while the downstream was down (${formatMs(f.outageFromMs!)} to ${formatMs(f.outageToMs!)}) it got ${f.outageAttemptsPerSec} calls/s (requests arrive at ${f.offeredPerSec}/s; ${f.attemptsPerRequest} attempts per request over the run)`;
      if (f.outageAttemptsPerSec! <= max) return { ok: true, message: text };
      let cause: string;
      if (f.failedFast === 0) cause = `No request was ever refused: allow() always said yes, so every request called, and retried, a service that could not answer. Cap the retries, back off, and open a breaker after repeated failures.`;
      else if (f.outageAttemptsAfterOpenPerSec! > 0.5 * f.outageAttemptsPerSec!) cause = `${f.outageAttemptsAfterOpenPerSec} calls/s came from clients whose breaker had already refused a request: once it is open, a breaker lets one trial call through at a time (half-open), not every request.`;
      else cause = `Breakers did open, but late: most calls went out before they did. Open after fewer failures, and do not retry a call that failed while the breaker is open.`;
      return { ok: false, message: `${text}; at most ${round1(max)}/s may reach it. ${cause}` };
    },
    /**
     * Requests that fail during the outage fail fast: on average over the outage (which includes the
     * failures that opened the breakers) and once a client's breaker has opened (where only trial calls
     * should still wait for a timeout). Params: maxMeanMs, maxMeanAfterOpenMs.
     */
    "fail-fast"(run, params) {
      const f = outageFigures(run, "fail-fast");
      const maxAll = params.maxMeanMs ?? Infinity;
      const maxAfterOpen = params.maxMeanAfterOpenMs ?? Infinity;
      const text = `requests that failed during the outage took ${f.outageFailMeanMs} ms on average to fail, and ${f.outageFailMeanAfterOpenMs} ms once their client's breaker had opened (${f.outageFailed! - f.outageSlowFails!} of ${f.outageFailed} were refused at once; ${f.outageSlowFails} waited for a timeout or their deadline, ${f.outageSlowAfterOpen} of them after their breaker had opened)`;
      const over = [f.outageFailMeanMs! > maxAll ? `${maxAll} ms on average` : "", f.outageFailMeanAfterOpenMs! > maxAfterOpen ? `${maxAfterOpen} ms once the breaker is open` : ""].filter(Boolean);
      if (over.length === 0) return { ok: true, message: text };
      let cause: string;
      if (f.failedFast === 0) cause = `allow() never refused a request, so each waited for its call to time out: once failures pile up, a breaker opens and allow() returns false at once.`;
      else if (f.outageSlowAfterOpen! > 0.5 * f.outageSlowFails!) cause = `Most slow ones were sent after their client's breaker had opened: while half-open, let one trial call through and refuse the rest until it succeeds.`;
      else cause = `Most slow failures came before the breakers opened: open after fewer failures in a row.`;
      return { ok: false, message: `${text}; they should fail within ${over.join(" and within ")}. ${cause}` };
    },
    /** Requests succeed again soon after the downstream is back. Param: min (0…1). */
    recovery(run, params) {
      const f = outageFigures(run, "recovery");
      const min = params.min ?? 0.99;
      const text = `the downstream came back at ${formatMs(f.outageToMs!)}; of the requests sent from ${formatMs(f.outageToMs! + f.recoveryAfterMs!)} on (${formatMs(f.recoveryAfterMs!)} later), ${(f.recoveryOkRatio! * 100).toFixed(1)}% succeeded`;
      if (f.recoveryOkRatio! >= min) return { ok: true, message: text };
      const cause =
        f.recoveryFailFast! > 0.5 * f.recoveryFailed!
          ? `${f.recoveryFailFast} of the ${f.recoveryFailed} that failed were refused by the policy although the downstream was up: an open breaker must let a trial call through after a cool-down (half-open) and close when it succeeds.`
          : `${f.recoveryFailed} failed at the downstream itself: give up later, or retry once more, so that its random failures do not end requests.`;
      return { ok: false, message: `${text}; need ${(min * 100).toFixed(0)}%. ${cause}` };
    },
    /**
     * Whether retries of calls that failed together come back together: the busiest 5 ms at the
     * downstream in the second after the outage, over its usual load per 5 ms. Param: maxPeakToMean.
     */
    "retry-sync"(run, params) {
      const f = outageFigures(run, "retry-sync");
      const max = params.maxPeakToMean ?? Infinity;
      const reset = f.resetCalls !== undefined ? `at ${formatMs(f.outageToMs!)} the downstream came back and reset the ${f.resetCalls} calls it had left hanging, which failed at that instant; in the ${formatMs(burstSpanMs)} that followed` : `in the ${formatMs(burstSpanMs)} after the downstream came back at ${formatMs(f.outageToMs!)}`;
      const text = `${reset}, its busiest ${windowMs} ms (from ${formatMs(f.burstPeakAtMs!)}) brought ${f.burstPeakCount} calls, ${f.burstPeakRetries} of them retries: ${f.burstPeakToMean}× its usual ${f.burstBaselinePerWindow} calls per ${windowMs} ms`;
      if (!(f.burstPeakToMean! > max)) return { ok: true, message: text };
      let cause = `Retries that wait the same time after a shared failure arrive together, and a wave of them can knock the service over again.`;
      if (f.resetRetries) {
        const spread = f.resetDelayDistinct! <= Math.max(3, 0.05 * f.resetRetries!) ? `they waited only ${f.resetDelayDistinct} different times (${f.resetDelayMinMs} to ${f.resetDelayMaxMs} ms)` : `their waits spread over only ${f.resetDelayMinMs} to ${f.resetDelayMaxMs} ms`;
        cause = `The ${f.resetRetries} retries of the reset calls were scheduled together and ${spread}.`;
      }
      return { ok: false, message: `${text}; at most ${max}× may. ${cause} Wait a random share of the backoff (jitter: a wait drawn between 0 and the backoff), so that calls which failed together retry apart.` };
    },
  },
};

/** The figures of a run with an outage; a check about one in a scenario without it is the author's mistake. */
function outageFigures(run: ComponentRunData, check: string): Record<string, number> {
  const f = run.components.figures;
  if (f.outageToMs === undefined) throw new Error(`${check} judges an outage, and this scenario has none (give it outageFromMs and outageToMs)`);
  return f;
}

/**
 * The downstream's arrivals per 5 ms window in the second after the outage: the busiest window, its
 * retries, and the usual load per window (the mean over the run outside the outage and that second).
 */
function burstFigures(arrivalMs: readonly number[], arrivalRetry: readonly number[], fromMs: number, toMs: number, durationMs: number): Record<string, number> {
  const windows = new Int32Array(Math.ceil(burstSpanMs / windowMs));
  const retries = new Int32Array(windows.length);
  let usual = 0;
  for (let i = 0; i < arrivalMs.length; i++) {
    const t = arrivalMs[i]!;
    if (t >= toMs && t < toMs + burstSpanMs) {
      const w = Math.floor((t - toMs) / windowMs);
      windows[w]!++;
      retries[w]! += arrivalRetry[i]!;
    } else if (t < fromMs || (t >= toMs + burstSpanMs && t < durationMs)) usual++;
  }
  const usualMs = Math.max(windowMs, fromMs + Math.max(0, durationMs - toMs - burstSpanMs));
  const perWindow = (usual / usualMs) * windowMs;
  let peak = 0;
  for (let w = 1; w < windows.length; w++) if (windows[w]! > windows[peak]!) peak = w;
  return {
    burstPeakCount: windows[peak]!,
    burstPeakRetries: retries[peak]!,
    burstPeakAtMs: toMs + peak * windowMs,
    burstBaselinePerWindow: round1(perWindow),
    burstPeakToMean: round3(perWindow > 0 ? windows[peak]! / perWindow : 0),
  };
}
