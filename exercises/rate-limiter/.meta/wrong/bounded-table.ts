// fails: limit
import type { RateLimiter, RateLimiterFactory } from "clusterlab";

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * A token bucket per client in a table bounded against memory growth: past 1000 clients it starts over.
 * Every restart hands the heavy client a full bucket again.
 */
const maxClients = 1000;

const createLimiter: RateLimiterFactory = ({ ratePerSec, burst }) => {
  let buckets = new Map<string, Bucket>();
  const limiter: RateLimiter = {
    allow(client) {
      const now = Date.now();
      let b = buckets.get(client);
      if (!b) {
        if (buckets.size >= maxClients) buckets = new Map();
        buckets.set(client, (b = { tokens: burst, lastMs: now }));
      }
      b.tokens = Math.min(burst, b.tokens + ((now - b.lastMs) * ratePerSec) / 1000);
      b.lastMs = now;
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
  return limiter;
};

export default createLimiter;
