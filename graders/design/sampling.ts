/**
 * Lognormal draws as lookups: a table of a lognormal's values at 1024 evenly spaced quantiles, one drawn
 * uniformly per sample. A run draws a few hundred thousand service times and network delays; an ln, a
 * cos and an exp each (det-math, the same bits everywhere) cost more than the rest of the event. The
 * table's largest value is the 99.95th percentile, so tails are bounded a little above the p999 (as a
 * datacentre's are, more or less: timeouts and retries, not the sampler, make the long tail).
 */
import type { Rng } from "../sim/prng.ts";
import { exp, ln } from "../sim/det-math.ts";

const size = 1024;
/**
 * By median, then σ: number keys, since a draw looks its table up each time and a string key (two numbers
 * formatted and joined) cost more than the draw itself.
 */
const tables = new Map<number, Map<number, Float64Array>>();

/** The standard normal's quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * ln(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** median · exp(σ·z) at the midpoints of 1024 equal slices of probability. */
export function lognormalTable(median: number, sigma: number): Float64Array {
  let bySigma = tables.get(median);
  if (!bySigma) tables.set(median, (bySigma = new Map()));
  let table = bySigma.get(sigma);
  if (!table) {
    table = new Float64Array(size);
    for (let i = 0; i < size; i++) table[i] = median * exp(sigma * normalQuantile((i + 0.5) / size));
    bySigma.set(sigma, table);
  }
  return table;
}

/** A draw from lognormal(median, σ). */
export function lognormalDraw(rng: Rng, median: number, sigma: number): number {
  return lognormalTable(median, sigma)[(rng.next() * size) | 0]!;
}
