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
 * built once (n ≤ 10⁶); a draw is the first rank whose CDF exceeds a uniform u, so it is exact. A guide
 * table (per bucket of u of width 1/n, the first rank past the bucket's start) finds it in a step or two
 * instead of a binary search's seventeen; the rank is the same either way.
 */
export function zipfSampler(n: number, skew: number, rng: Rng): Sampler {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new Error(`zipf: n must be 1…1000000, got ${n}`);
  const { cdf, guide } = sharedZipfTable(n, skew);
  const next = rng.next;
  return () => {
    const u = next();
    let r = guide[Math.min(n - 1, Math.floor(u * n))]!;
    // u·n rounded may land one bucket past u's own: step back, then on to the first rank past u.
    while (r > 0 && cdf[r - 1]! > u) r--;
    while (r < n - 1 && cdf[r]! <= u) r++;
    return r;
  };
}

interface ZipfTable {
  cdf: Float64Array;
  /** Per bucket b of u (b/n ≤ u < (b+1)/n), the first rank whose CDF exceeds b/n. */
  guide: Int32Array;
}

/**
 * The tables built so far, by n and skew. A grade builds the same one for every run (lru-cache's 100 000 ranks:
 * a tenth of a Submit's time in the browser, where every run shares one realm). Only the samplers read them,
 * and none hands them out, so a run cannot change what a later run draws.
 */
const builtTables = new Map<string, ZipfTable>();
const builtTablesMax = 4;

function sharedZipfTable(n: number, skew: number): ZipfTable {
  const key = `${n}/${skew}`;
  let table = builtTables.get(key);
  if (!table) {
    const cdf = zipfCdf(n, skew);
    const guide = new Int32Array(n);
    for (let b = 0, r = 0; b < n; b++) {
      while (r < n - 1 && cdf[r]! <= b / n) r++;
      guide[b] = r;
    }
    table = { cdf, guide };
    if (builtTables.size >= builtTablesMax) builtTables.delete(builtTables.keys().next().value!);
    builtTables.set(key, table);
  }
  return table;
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
