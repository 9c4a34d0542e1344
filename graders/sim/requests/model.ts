/**
 * A plain queueing model built from the simulator's parts: clients (open loop, or closed loop with think
 * time) send requests to one station of `slots` workers with a bounded queue; a client gives up after
 * `timeoutMs` (the server still does the work: a timeout does not cancel it). Used to check the simulator
 * against queueing theory (M/M/c and Erlang C, Little's law, saturation) and to measure its speed.
 */
import { createRng } from "../prng.ts";
import { createArrivals, type ArrivalSpec } from "./arrivals.ts";
import { serviceSampler, type ServiceTimeSpec } from "./distributions.ts";
import { DeadlineQueue, RequestLoop } from "./engine.ts";
import { JobTable } from "./jobs.ts";
import { DROPPED, ERROR, OK, Recorder, TIMEOUT, type RequestFigures } from "./recorder.ts";
import { Station } from "./station.ts";

export interface QueueModelSpec {
  seed: number;
  /** Open loop at a rate, or `clients` closed-loop clients that each wait `thinkMs` between requests. */
  load: { open: ArrivalSpec } | { closed: { clients: number; thinkMs: number } };
  /** Requests are sent during [0, durationMs); with `drain` the run goes on until the last one finishes. */
  durationMs: number;
  drain?: boolean;
  slots: number;
  queueMax?: number;
  service: ServiceTimeSpec;
  timeoutMs?: number;
  /** Record the number of requests in the system every this many ms. */
  sampleEveryMs?: number;
}

export interface QueueModelResult extends RequestFigures {
  /** Each ok request's wait for a slot, in ms. */
  waitsMs: Float64Array;
  /** Requests in the system at each sample time. */
  backlog: number[];
  endMs: number;
  events: number;
  utilisation: number;
  recordHash: string;
}

export function runQueueModel(spec: QueueModelSpec): QueueModelResult {
  const loop = new RequestLoop();
  const rng = createRng(spec.seed, "queue-model");
  const jobs = new JobTable("client");
  const recorder = new Recorder();
  const waits: number[] = [];
  const backlog: number[] = [];
  const closed = "closed" in spec.load ? spec.load.closed : undefined;
  const think = rng.fork("think");

  const finish = (job: number, outcome: typeof OK | typeof ERROR | typeof TIMEOUT | typeof DROPPED) => {
    if (jobs.state[job] !== 0) return;
    jobs.state[job] = 1;
    recorder.leave(loop.nowMs, jobs.intendedMs[job]!, outcome);
    if (outcome === OK) waits.push(jobs.startMs[job]! - jobs.intendedMs[job]!);
    // A closed-loop client sends its next request after thinking (only while the run is sending).
    if (closed) {
      const next = loop.nowMs + think.exponential(closed.thinkMs);
      if (next < spec.durationMs) loop.at(next, arriveKind, jobs.col.client[job]!);
    }
  };
  const station = new Station(0, { slots: spec.slots, queueMax: spec.queueMax ?? 1_000_000, service: serviceSampler(spec.service, rng.fork("service")) }, loop, {
    served: (job) => finish(job, OK),
    failed: (job, _s, why) => finish(job, why === "full" ? DROPPED : ERROR),
    started: (job) => void (jobs.startMs[job] = loop.nowMs),
  });
  const timeouts = new DeadlineQueue(loop, (job) => finish(job, TIMEOUT), (job) => jobs.state[job] === 0);
  const arrive = (client: number) => {
    const job = jobs.add(loop.nowMs, client);
    recorder.enter(loop.nowMs);
    if (spec.timeoutMs !== undefined) timeouts.add(job, loop.nowMs + spec.timeoutMs);
    station.submit(job);
  };
  const arriveKind = loop.on((client) => arrive(client));
  if (closed) {
    for (let c = 0; c < closed.clients; c++) loop.at(think.exponential(closed.thinkMs), arriveKind, c);
  } else {
    const open = (spec.load as { open: ArrivalSpec }).open;
    const source = createArrivals(open, spec.durationMs, rng.fork("arrivals"));
    // One pending arrival at a time: the next is drawn when this one fires.
    const openKind = loop.on(() => {
      arrive(0);
      const t = source.next();
      if (t !== Infinity) loop.at(t, openKind);
    });
    const first = source.next();
    if (first !== Infinity) loop.at(first, openKind);
  }
  if (spec.sampleEveryMs) {
    const sampleKind = loop.on(() => {
      backlog.push(recorder.requestsInSystem);
      if (loop.nowMs + spec.sampleEveryMs! <= spec.durationMs) loop.at(loop.nowMs + spec.sampleEveryMs!, sampleKind);
    });
    loop.at(spec.sampleEveryMs, sampleKind);
  }
  loop.run(spec.drain ? Infinity : spec.durationMs);
  if (loop.stopped) throw new Error(loop.stopped);
  const endMs = Math.max(loop.nowMs, spec.durationMs);
  return {
    ...recorder.figures(endMs),
    waitsMs: Float64Array.from(waits),
    backlog,
    endMs,
    events: loop.events,
    utilisation: station.busyMs / (spec.slots * endMs),
    recordHash: recorder.recordHash(),
  };
}
