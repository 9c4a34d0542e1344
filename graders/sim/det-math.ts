/**
 * Elementary functions that give the same bits in every JavaScript engine. `Math.log`, `Math.exp`,
 * `Math.sin` and `Math.cos` are not specified to the last bit, and V8 itself changed them: Node 24 and
 * Chromium 156 disagree on about one input in a few thousand (measured), which was enough to change a
 * simulated latency and so a history. These use only + − × ÷ and exact bit operations, which IEEE 754
 * rounds the same way everywhere. Accuracy is within a few ulps, plenty for sampling distributions.
 */
const LN2 = 0.6931471805599453;
// ln 2 in two parts (Cody and Waite): k·LN2_HI is exact for |k| < 2^11, so x − k·ln 2 loses no bits.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT1_2 = 0.7071067811865476;
const TWO_PI = 6.283185307179586;

const view = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in the normal range, built from its bits (exact). */
function pow2(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** Splits a positive finite x into m · 2^k with m in [√½, √2): exact. */
function split(x: number): [m: number, k: number] {
  let scaled = x;
  let bias = 0;
  if (scaled < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first (multiplying by a power of two is exact).
    scaled *= 18014398509481984; // 2^54
    bias = -54;
  }
  view.setFloat64(0, scaled);
  const hi = view.getUint32(0);
  let k = ((hi >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (hi & 0x800fffff) | (1023 << 20));
  let m = view.getFloat64(0);
  if (m >= 2 * SQRT1_2) {
    m /= 2;
    k += 1;
  }
  return [m, k + bias];
}

export function ln(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const [m, k] = split(x);
  // ln m = 2·atanh(s) with s = (m−1)/(m+1), |s| ≤ 0.172: the series converges to 1e-17 in 11 terms.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = s;
  for (let n = 3; n <= 23; n += 2) {
    term *= s2;
    sum += term / n;
  }
  return k * LN2 + 2 * sum;
}

export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.78) return Infinity;
  if (x < -745.2) return 0;
  // x = k·ln2 + r with |r| ≤ ln2/2; e^r from its Taylor series, then scaled by 2^k.
  const k = Math.round(x / LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 20; n++) {
    term *= r / n;
    sum += term;
  }
  // Split the scaling so that neither factor leaves the normal range.
  const half = Math.trunc(k / 2);
  return sum * pow2(half) * pow2(k - half);
}

/** a^b for a > 0. */
export function pow(a: number, b: number): number {
  if (b === 0) return 1;
  if (a === 0) return b > 0 ? 0 : Infinity;
  return exp(b * ln(a));
}

function reduce(x: number): number {
  // Into [−π, π]; fine for the moderate arguments a simulation uses (phases of a day, Box–Muller angles).
  return x - TWO_PI * Math.round(x / TWO_PI);
}

export function sin(x: number): number {
  const r = reduce(x);
  const r2 = r * r;
  let term = r;
  let sum = r;
  for (let n = 2; n <= 30; n += 2) {
    term *= -r2 / (n * (n + 1));
    sum += term;
  }
  return sum;
}

export function cos(x: number): number {
  const r = reduce(x);
  const r2 = r * r;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 30; n += 2) {
    term *= -r2 / (n * (n + 1));
    sum += term;
  }
  return sum;
}
