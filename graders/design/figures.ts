/**
 * What a design run measures of its users' requests, per request type and per phase (before, during and
 * after the fault, by each request's intended send time): latency percentiles from the intended send
 * time (a user's retries included, so no coordinated omission), availability (the share that succeeded),
 * throughput; per-second series; and the RTO: the time from the fault's start to the first 5-second
 * window from which on every window succeeds at 99% or more.
 */
import { select } from "../sim/requests/recorder.ts";

export const phases = ["before", "during", "after"] as const;
export type Phase = (typeof phases)[number];

const rtoWindowMs = 5000;
/** The report's time series have at most this many windows (a window is a whole number of seconds). */
const seriesWindowsMax = 60;
const rtoTarget = 0.99;

class Latencies {
  values = new Float64Array(1024);
  count = 0;
  add(x: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.count * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = x;
  }
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return 0;
    const copy = this.values.slice(0, n);
    return Math.round(select(copy, Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1)), n) * 10) / 10;
  }
}

class Tally {
  sent = 0;
  ok = 0;
  errors = 0;
  timeouts = 0;
  readonly latencies = new Latencies();
}

export class RunFigures {
  private readonly types: readonly string[];
  private readonly durationMs: number;
  private readonly fault: { fromMs: number; toMs: number } | undefined;
  /** [type][phase] */
  private readonly tallies: Tally[][];
  private readonly all: Tally[];
  private readonly retries: number[];
  private readonly okPerSec: number[][];
  private readonly sentPerSec: number[][];
  /** The report's series: per window, each type's successful latencies, and each component's largest backlog seen. */
  readonly windowMs: number;
  private readonly windowLatencies: Latencies[][];
  private readonly backlogs = new Map<string, number[]>();
  private edgeHits = 0;
  private edgeMisses = 0;
  private readonly bytes = { "cross-zone": 0, "cross-region": 0, zone: 0 };
  private responses = 0;

  constructor(types: readonly string[], durationMs: number, fault: { fromMs: number; toMs: number } | undefined) {
    this.types = types;
    this.durationMs = durationMs;
    this.fault = fault;
    this.tallies = types.map(() => phases.map(() => new Tally()));
    this.all = types.map(() => new Tally());
    this.retries = types.map(() => 0);
    const seconds = Math.ceil(durationMs / 1000);
    this.okPerSec = types.map(() => new Array<number>(seconds).fill(0));
    this.sentPerSec = types.map(() => new Array<number>(seconds).fill(0));
    this.windowMs = Math.max(1, Math.ceil(seconds / seriesWindowsMax)) * 1000;
    const windows = Math.ceil(durationMs / this.windowMs);
    this.windowLatencies = types.map(() => Array.from({ length: windows }, () => new Latencies()));
  }

  phaseOf(ms: number): Phase {
    if (!this.fault || ms < this.fault.fromMs) return "before";
    return ms < this.fault.toMs ? "during" : "after";
  }

  sent(type: number, _ms: number): void {
    this.all[type]!.sent++;
  }

  userRetry(type: number): void {
    this.retries[type]!++;
  }

  /** outcome 0 ok, 1 error, 2 timeout. */
  finished(type: number, intendedMs: number, outcome: 0 | 1 | 2, latencyMs: number, responseBytes: number): void {
    const tallies = [this.tallies[type]![phases.indexOf(this.phaseOf(intendedMs))]!, this.all[type]!];
    tallies[0]!.sent++;
    for (const t of tallies) {
      if (outcome === 0) {
        t.ok++;
        t.latencies.add(latencyMs);
      } else if (outcome === 1) t.errors++;
      else t.timeouts++;
    }
    if (outcome === 0) this.responses += responseBytes;
    const second = Math.floor(intendedMs / 1000);
    if (second < this.sentPerSec[type]!.length) {
      this.sentPerSec[type]![second]!++;
      if (outcome === 0) this.okPerSec[type]![second]!++;
    }
    if (outcome === 0) this.windowLatencies[type]![Math.floor(intendedMs / this.windowMs)]?.add(latencyMs);
  }

  /** Requests or messages waiting at a component at `ms` (sampled): each window keeps the largest. */
  backlog(component: string, ms: number, waiting: number): void {
    let list = this.backlogs.get(component);
    if (!list) this.backlogs.set(component, (list = new Array<number>(this.windowLatencies[0]?.length ?? 0).fill(0)));
    const w = Math.floor(ms / this.windowMs);
    if (w < list.length && waiting > list[w]!) list[w] = waiting;
  }

  edge(hit: boolean): void {
    if (hit) this.edgeHits++;
    else this.edgeMisses++;
  }

  edgeHitRatio(): number {
    const n = this.edgeHits + this.edgeMisses;
    return n ? this.edgeHits / n : 0;
  }

  edgeRequests(): number {
    return this.edgeHits + this.edgeMisses;
  }

  transfer(link: "zone" | "cross-zone" | "cross-region", bytes: number): void {
    this.bytes[link] += bytes;
  }

  transferBytes(): { crossZone: number; crossRegion: number } {
    return { crossZone: this.bytes["cross-zone"], crossRegion: this.bytes["cross-region"] };
  }

  /** Response bytes sent to users over the run (simulated requests, not scaled). */
  responseBytes(): number {
    return this.responses;
  }

  /** The time from the fault to lasting recovery (99% in every 5 s window from then on), in s; Infinity if never. */
  rtoSec(): number {
    if (!this.fault) return 0;
    const windows = Math.ceil((this.durationMs - this.fault.fromMs) / rtoWindowMs);
    let recoveredAt = -1;
    for (let w = windows - 1; w >= 0; w--) {
      let sent = 0, ok = 0;
      const from = Math.floor((this.fault.fromMs + w * rtoWindowMs) / 1000);
      const to = Math.min(Math.floor((this.fault.fromMs + (w + 1) * rtoWindowMs) / 1000), Math.ceil(this.durationMs / 1000));
      for (let t = 0; t < this.types.length; t++) {
        for (let s = from; s < to; s++) {
          sent += this.sentPerSec[t]![s] ?? 0;
          ok += this.okPerSec[t]![s] ?? 0;
        }
      }
      if (sent > 0 && ok / sent < rtoTarget) break;
      recoveredAt = w;
    }
    return recoveredAt < 0 ? Infinity : (recoveredAt * rtoWindowMs) / 1000;
  }

  summary(_nowMs: number): Record<string, number> {
    const out: Record<string, number> = {};
    let requests = 0, ok = 0, errors = 0, timeouts = 0;
    const everyOk = new Latencies();
    this.types.forEach((name, t) => {
      const all = this.all[t]!;
      requests += all.sent;
      ok += all.ok;
      errors += all.errors;
      timeouts += all.timeouts;
      for (let i = 0; i < all.latencies.count; i++) everyOk.add(all.latencies.values[i]!);
      const done = all.ok + all.errors + all.timeouts;
      out[`${name}.requests`] = all.sent;
      out[`${name}.availability`] = done ? round4(all.ok / done) : 1;
      out[`${name}.p50Ms`] = all.latencies.quantile(0.5);
      out[`${name}.p99Ms`] = all.latencies.quantile(0.99);
      out[`${name}.p999Ms`] = all.latencies.quantile(0.999);
      out[`${name}.userRetries`] = this.retries[t]!;
      if (this.fault) {
        phases.forEach((phase, p) => {
          const tally = this.tallies[t]![p]!;
          const n = tally.ok + tally.errors + tally.timeouts;
          out[`${name}.${phase}.availability`] = n ? round4(tally.ok / n) : 1;
          out[`${name}.${phase}.p99Ms`] = tally.latencies.quantile(0.99);
        });
      }
    });
    const done = ok + errors + timeouts;
    out.requests = requests;
    out.ok = ok;
    out.errors = errors;
    out.timeouts = timeouts;
    out.errorRate = done ? round4((done - ok) / done) : 0;
    out.throughputPerSec = Math.round((ok / this.durationMs) * 1000 * 10) / 10;
    out.latencyP50Ms = everyOk.quantile(0.5);
    out.latencyP99Ms = everyOk.quantile(0.99);
    out.latencyP999Ms = everyOk.quantile(0.999);
    const rto = this.rtoSec();
    out.rtoSec = Number.isFinite(rto) ? rto : -1;
    return out;
  }

  /**
   * For the report's charts, per window of `windowMs` (by intended send time): requests sent and
   * succeeded (all types), each type's p99 latency, and the largest backlog seen at each component that
   * ever had one. Few series of at most 60 values, so they fit the results' cap whatever the prompt.
   */
  series(): Record<string, number[]> {
    const windows = this.windowLatencies[0]?.length ?? 0;
    const perSecond = this.windowMs / 1000;
    const sum = (lists: number[][]) =>
      Array.from({ length: windows }, (_, w) => {
        let n = 0;
        for (const list of lists) for (let s = w * perSecond; s < Math.min(list.length, (w + 1) * perSecond); s++) n += list[s]!;
        return n;
      });
    const out: Record<string, number[]> = { sent: sum(this.sentPerSec), ok: sum(this.okPerSec) };
    this.types.forEach((name, t) => {
      out[`p99Ms.${name}`] = this.windowLatencies[t]!.map((l) => l.quantile(0.99));
    });
    for (const [name, list] of this.backlogs) if (list.some((n) => n > 0)) out[`backlog.${name}`] = list;
    return out;
  }
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
