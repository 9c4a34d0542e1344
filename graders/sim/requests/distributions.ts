/**
 * Service-time distributions and Zipf key popularity for the request-level simulator. Each sampler is a
 * closure over one seeded stream (sim/prng.ts), so adding a sampler never shifts another's numbers.
 */
import type { Rng } from "../prng.ts";
import { cos, exp, ln, pow } from "../det-math.ts";

export type ServiceTimeSpec =
  | { dist: "constant"; ms: number }
  | { dist: "exponential"; meanMs: number }
  /** Lognormal by its median and the sigma of the underlying normal (σ ≥ 1 is a long tail). */
  | { dist: "lognormal"; medianMs: number; sigma: number }
  /** Pareto (heavy tail): at least minMs, tail index alpha (alpha ≤ 2 has infinite variance). */
  | { dist: "pareto"; minMs: number; alpha: number };

export type Sampler = () => number;

export function serviceSampler(spec: ServiceTimeSpec, rng: Rng): Sampler {
  const next = rng.next;
  switch (spec.dist) {
    case "constant":
      return () => spec.ms;
    case "exponential": {
      const mean = spec.meanMs;
      return () => -mean * ln(1 - next());
    }
    case "lognormal": {
      const mu = ln(spec.medianMs);
      const sigma = spec.sigma;
      return () => exp(mu + sigma * standardNormal(next));
    }
    case "pareto": {
      const { minMs, alpha } = spec;
      return () => minMs / pow(1 - next(), 1 / alpha);
    }
  }
}

/** The mean of a service-time distribution (Infinity when it has none). */
export function meanServiceMs(spec: ServiceTimeSpec): number {
  switch (spec.dist) {
    case "constant":
      return spec.ms;
    case "exponential":
      return spec.meanMs;
    case "lognormal":
      return spec.medianMs * exp((spec.sigma * spec.sigma) / 2);
    case "pareto":
      return spec.alpha > 1 ? (spec.alpha * spec.minMs) / (spec.alpha - 1) : Infinity;
  }
}

export function describeService(spec: ServiceTimeSpec): string {
  switch (spec.dist) {
    case "constant":
      return `${spec.ms} ms`;
    case "exponential":
      return `exponential mean ${spec.meanMs} ms`;
    case "lognormal":
      return `lognormal median ${spec.medianMs} ms σ ${spec.sigma}`;
    case "pareto":
      return `pareto ≥ ${spec.minMs} ms α ${spec.alpha}`;
  }
}

/** Box–Muller; one of the pair is thrown away so that each call uses exactly two draws (replayable). */
export function standardNormal(next: () => number): number {
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * ln(u)) * cos(2 * Math.PI * v);
}

/**
 * Zipf over ranks 0…n−1 with exponent `skew` (YCSB uses 0.99): rank r has weight 1/(r+1)^skew. The CDF is
 * built once (n ≤ 10⁶) and each draw is a binary search, so the cost per key is O(log n) and exact.
 */
export function zipfSampler(n: number, skew: number, rng: Rng): Sampler {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new Error(`zipf: n must be 1…1000000, got ${n}`);
  const cdf = sharedZipfCdf(n, skew);
  const next = rng.next;
  return () => {
    const u = next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * The CDFs built so far, by n and skew. A grade builds the same one for every run (lru-cache's 100 000 ranks:
 * a tenth of a Submit's time in the browser, where every run shares one realm). Only the samplers read it, and
 * none hands it out, so a run cannot change what a later run draws.
 */
const builtCdfs = new Map<string, Float64Array>();
const builtCdfsMax = 4;

function sharedZipfCdf(n: number, skew: number): Float64Array {
  const key = `${n}/${skew}`;
  let cdf = builtCdfs.get(key);
  if (!cdf) {
    cdf = zipfCdf(n, skew);
    if (builtCdfs.size >= builtCdfsMax) builtCdfs.delete(builtCdfs.keys().next().value!);
    builtCdfs.set(key, cdf);
  }
  return cdf;
}

export function zipfCdf(n: number, skew: number): Float64Array {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    cdf[r] = 1 / pow(r + 1, skew);
    total += cdf[r]!;
  }
  let acc = 0;
  for (let r = 0; r < n; r++) {
    acc += cdf[r]! / total;
    cdf[r] = acc;
  }
  cdf[n - 1] = 1;
  return cdf;
}
