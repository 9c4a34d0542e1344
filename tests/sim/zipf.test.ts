// The Zipf sampler's guide table finds the same rank as a binary search over the CDF (the first rank whose
// CDF exceeds u) for every u: random ones, bucket edges and the values next to them, 0 and just under 1.
import { describe, expect, it } from "vitest";
import { zipfCdf, zipfSampler } from "../../graders/sim/requests/distributions.ts";
import { createRng, type Rng } from "../../graders/sim/prng.ts";

function firstRankPast(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** u values a draw can take: random, every tenth bucket edge b/n and its neighbours, and the ends. */
function probes(n: number): number[] {
  const rng = createRng(n, "zipf-test");
  const us = [0, Number.MIN_VALUE, 1 - Number.EPSILON / 2, 0.5];
  for (let i = 0; i < 20_000; i++) us.push(rng.next());
  const step = Math.max(1, Math.floor(n / 2000));
  for (let b = 0; b < n; b += step) {
    const edge = b / n;
    for (const u of [edge, edge - Number.EPSILON * edge, edge + Number.EPSILON * edge, edge - 1e-16, edge + 1e-16]) if (u >= 0 && u < 1) us.push(u);
  }
  return us;
}

describe("zipf sampler", () => {
  it.each([1, 2, 3, 10, 997, 100_000])("gives a binary search's rank for every u, n = %i", (n) => {
    for (const skew of [0.5, 0.99, 1.2]) {
      const cdf = zipfCdf(n, skew);
      const us = probes(n);
      let at = 0;
      const feed = { next: () => us[at++]! } as unknown as Rng;
      const draw = zipfSampler(n, skew, feed);
      const got = us.map(() => draw());
      expect(got).toEqual(us.map((u) => firstRankPast(cdf, u)));
      expect(new Set(got).size).toBeGreaterThan(Math.min(n, 50) / 2);
    }
  });
});
