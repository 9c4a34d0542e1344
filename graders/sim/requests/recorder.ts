/**
 * What a request-level run measures: each logical request's outcome and latency (from its intended send
 * time), the number of requests in the system over time (for Little's law), and a compact per-request
 * record whose hash identifies the run (same seed and solution ⇒ same hash).
 */
export const OK = 0;
export const ERROR = 1;
export const TIMEOUT = 2;
export const DROPPED = 3;
export type Outcome = typeof OK | typeof ERROR | typeof TIMEOUT | typeof DROPPED;

export interface RequestFigures {
  requests: number;
  ok: number;
  errors: number;
  timeouts: number;
  dropped: number;
  errorRate: number;
  /** Ok requests per simulated second. */
  throughputPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyP999Ms: number;
  latencyMaxMs: number;
  latencyMeanMs: number;
  /** Time-average number of requests in the system (L), arrival rate per ms (λ), mean time in system (W). */
  littleL: number;
  littleLambdaPerMs: number;
  littleWMs: number;
}

export class Recorder {
  private latencies = new Float64Array(4096);
  private count = 0;
  private readonly outcomes = [0, 0, 0, 0];
  private inSystem = 0;
  private lastChangeMs = 0;
  private areaMs = 0;
  private sojournMs = 0;
  private readonly record = new RecordHash();

  /** A request entered the system at `nowMs`. */
  enter(nowMs: number): void {
    this.areaMs += this.inSystem * (nowMs - this.lastChangeMs);
    this.lastChangeMs = nowMs;
    this.inSystem++;
  }

  /**
   * A request left the system: its outcome, latency from its intended send time, and a short tag for the
   * run's record (the server it went to, the answer it got…).
   */
  leave(nowMs: number, intendedMs: number, outcome: Outcome, tag = 0): void {
    this.areaMs += this.inSystem * (nowMs - this.lastChangeMs);
    this.lastChangeMs = nowMs;
    this.inSystem--;
    const latency = nowMs - intendedMs;
    this.sojournMs += latency;
    this.outcomes[outcome]!++;
    if (outcome === OK) {
      if (this.count === this.latencies.length) {
        const bigger = new Float64Array(this.count * 2);
        bigger.set(this.latencies);
        this.latencies = bigger;
      }
      this.latencies[this.count++] = latency;
    }
    this.record.add(outcome);
    this.record.add(tag);
    this.record.add(Math.round(latency * 1000));
  }

  /** When a request last entered or left. */
  get lastChangeAtMs(): number {
    return this.lastChangeMs;
  }

  get requestsInSystem(): number {
    return this.inSystem;
  }

  /** The run's figures over [0, endMs]. Requests still in the system at endMs count in L but not in W. */
  figures(endMs: number): RequestFigures {
    const area = this.areaMs + this.inSystem * (endMs - this.lastChangeMs);
    const values = this.latencies.slice(0, this.count);
    const [ok, errors, timeouts, dropped] = this.outcomes as [number, number, number, number];
    const finished = ok + errors + timeouts + dropped;
    const requests = finished + this.inSystem;
    const n = values.length;
    // Nearest rank, as checkers/stats.ts percentile().
    const rank = (q: number) => Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
    const pick = (q: number) => round1(n ? select(values, rank(q), n) : 0);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      sum += values[i]!;
      if (values[i]! > max) max = values[i]!;
    }
    const p999 = pick(0.999);
    const p99 = pick(0.99);
    const p50 = pick(0.5);
    return {
      requests,
      ok,
      errors,
      timeouts,
      dropped,
      errorRate: requests ? round3((requests - ok) / requests) : 0,
      throughputPerSec: endMs > 0 ? round1((ok / endMs) * 1000) : 0,
      latencyP50Ms: p50,
      latencyP99Ms: p99,
      latencyP999Ms: p999,
      latencyMaxMs: round1(max),
      latencyMeanMs: n ? round1(sum / n) : 0,
      littleL: endMs > 0 ? area / endMs : 0,
      littleLambdaPerMs: endMs > 0 ? requests / endMs : 0,
      littleWMs: finished ? this.sojournMs / finished : 0,
    };
  }

  /** Hash of the per-request record: outcome, tag and latency (µs) of every request, in finishing order. */
  recordHash(): string {
    return this.record.digest();
  }
}

/**
 * A hash over a stream of integers: two 32-bit multiply-xor lanes (FNV-1a's prime and MurmurHash2's),
 * the same in every JavaScript engine, with no string built per request.
 */
export class RecordHash {
  private h1 = 0x811c9dc5;
  private h2 = 0x9e3779b9;
  private count = 0;

  add(x: number): void {
    const v = x | 0;
    this.h1 = Math.imul(this.h1 ^ v, 0x01000193);
    let h2 = Math.imul(this.h2 ^ v, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    this.h2 = h2;
    this.count++;
  }

  digest(): string {
    const hex = (x: number) => (x >>> 0).toString(16).padStart(8, "0");
    return hex(Math.imul(this.h1 ^ this.count, 0x01000193)) + hex(this.h2);
  }
}

/**
 * The k-th smallest (0-based) of values[0…end) by Hoare's quickselect with median-of-three pivots:
 * O(n) where a sort is O(n log n), which showed in profiles at a million requests. Reorders `values`.
 */
export function select(values: Float64Array, k: number, end: number): number {
  let lo = 0;
  let hi = end - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = values[lo]!, b = values[mid]!, c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
