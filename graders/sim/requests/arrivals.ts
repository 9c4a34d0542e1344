/**
 * Open-loop arrivals: requests come when they come, whether or not earlier ones were answered (as real
 * users do), so latency counts from each request's intended send time and a slow system cannot slow its
 * own load down (no coordinated omission). A Poisson process, optionally with a daily cycle and bursts,
 * drawn by thinning a Poisson process at the peak rate.
 */
import type { Rng } from "../prng.ts";
import { ln, sin } from "../det-math.ts";

export interface ArrivalSpec {
  /** Mean requests per second (before the cycle and bursts). */
  ratePerSec: number;
  /** A daily cycle compressed into `periodMs`: the rate swings ±amplitude (0…1) around the mean. */
  diurnal?: { periodMs: number; amplitude: number };
  /** Bursts: one starts every `everyMs` on average, lasts `lengthMs`, and multiplies the rate by `factor`. */
  bursts?: { everyMs: number; lengthMs: number; factor: number };
}

export interface Burst {
  startMs: number;
  endMs: number;
}

/** The burst windows a seed draws for a run (also printed with the knobs). */
export function drawBursts(spec: ArrivalSpec, durationMs: number, rng: Rng): Burst[] {
  const b = spec.bursts;
  if (!b) return [];
  const out: Burst[] = [];
  let t = rng.uniform(0.2, 1) * b.everyMs;
  while (t < durationMs && out.length < 10_000) {
    out.push({ startMs: t, endMs: Math.min(durationMs, t + b.lengthMs) });
    t += b.lengthMs + rng.exponential(b.everyMs);
  }
  return out;
}

/** The rate (per ms) at a virtual time. */
export function rateAt(spec: ArrivalSpec, bursts: readonly Burst[], timeMs: number): number {
  let rate = spec.ratePerSec / 1000;
  if (spec.diurnal) rate *= 1 + spec.diurnal.amplitude * sin((2 * Math.PI * timeMs) / spec.diurnal.periodMs);
  if (bursts.length && spec.bursts) {
    // Bursts are few and sorted: a linear scan from a cached index would be faster, but this is not hot
    // unless bursts are configured.
    for (const burst of bursts) {
      if (burst.startMs > timeMs) break;
      if (timeMs < burst.endMs) return rate * spec.bursts.factor;
    }
  }
  return rate;
}

/**
 * The arrival times of one open-loop source, in order, up to `durationMs`; `next()` returns Infinity when
 * the source is exhausted.
 */
export function createArrivals(spec: ArrivalSpec, durationMs: number, rng: Rng, bursts: readonly Burst[] = drawBursts(spec, durationMs, rng.fork("bursts"))): { next(): number } {
  if (!(spec.ratePerSec > 0)) throw new Error("arrivals: ratePerSec must be > 0");
  const draw = rng.fork("gaps");
  const thin = rng.fork("thinning");
  const constant = !spec.diurnal && bursts.length === 0;
  const peakPerMs = (spec.ratePerSec / 1000) * (1 + (spec.diurnal?.amplitude ?? 0)) * Math.max(1, spec.bursts?.factor ?? 1);
  let t = 0;
  return {
    next() {
      for (;;) {
        t += -ln(1 - draw.next()) / peakPerMs;
        if (t >= durationMs) return Infinity;
        if (constant || thin.next() * peakPerMs < rateAt(spec, bursts, t)) return t;
      }
    },
  };
}
