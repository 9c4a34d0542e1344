import type { RateLimiter, RateLimiterFactory } from "clusterlab";

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * One token bucket per client, kept as a replica at every gateway: each refills the client's whole rate,
 * takes a token for what it admits itself, and when another gateway tells it what it admitted since its
 * last report, takes those tokens too (the bucket may go into debt, which later refills pay back). Every
 * replica thus counts every admission, only some of them a sync period late.
 */
const createLimiter: RateLimiterFactory = ({ ratePerSec, burst, gateways }) => {
  const buckets = new Map<string, Bucket>();
  /** Admitted here since the last state(), per client. */
  let admittedHere = new Map<string, number>();
  // A replica cannot see the others' admissions of the last period: it keeps back part of the burst for them.
  const size = gateways === 1 ? burst : Math.max(1, burst / 2);

  const bucket = (client: string, now: number): Bucket => {
    let b = buckets.get(client);
    if (!b) buckets.set(client, (b = { tokens: size, lastMs: now }));
    b.tokens = Math.min(size, b.tokens + ((now - b.lastMs) * ratePerSec) / 1000);
    b.lastMs = now;
    return b;
  };

  return {
    allow(client) {
      const b = bucket(client, Date.now());
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      admittedHere.set(client, (admittedHere.get(client) ?? 0) + 1);
      return true;
    },
    state() {
      const report = JSON.stringify([...admittedHere]);
      admittedHere = new Map();
      return report;
    },
    merge(state) {
      const now = Date.now();
      for (const [client, n] of JSON.parse(state) as Array<[string, number]>) bucket(client, now).tokens -= n;
    },
  } satisfies RateLimiter;
};

export default createLimiter;
