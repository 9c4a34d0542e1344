// fails: limit
import type { RateLimiter, RateLimiterFactory } from "clusterlab";

interface Bucket {
  tokens: number;
  /** When the last request was admitted. */
  lastMs: number;
}

/**
 * A token bucket per client that refills on every call but moves lastMs only when it admits: after a
 * refusal the next call adds the same stretch of time again, so a client that keeps asking refills faster.
 */
const createLimiter: RateLimiterFactory = ({ ratePerSec, burst }) => {
  const buckets = new Map<string, Bucket>();
  const limiter: RateLimiter = {
    allow(client) {
      const now = Date.now();
      let b = buckets.get(client);
      if (!b) buckets.set(client, (b = { tokens: burst, lastMs: now }));
      b.tokens = Math.min(burst, b.tokens + ((now - b.lastMs) * ratePerSec) / 1000);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      b.lastMs = now;
      return true;
    },
  };
  return limiter;
};

export default createLimiter;
