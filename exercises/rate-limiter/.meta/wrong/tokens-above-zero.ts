// fails: limit
import type { RateLimiter, RateLimiterFactory } from "clusterlab";

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** A token bucket per client that admits while any fraction of a token is left: it runs up to one token into debt. */
const createLimiter: RateLimiterFactory = ({ ratePerSec, burst }) => {
  const buckets = new Map<string, Bucket>();
  const limiter: RateLimiter = {
    allow(client) {
      const now = Date.now();
      let b = buckets.get(client);
      if (!b) buckets.set(client, (b = { tokens: burst, lastMs: now }));
      b.tokens = Math.min(burst, b.tokens + ((now - b.lastMs) * ratePerSec) / 1000);
      b.lastMs = now;
      if (b.tokens <= 0) return false;
      b.tokens -= 1;
      return true;
    },
  };
  return limiter;
};

export default createLimiter;
