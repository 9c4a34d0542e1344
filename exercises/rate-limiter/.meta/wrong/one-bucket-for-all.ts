// fails: fairness
import type { RateLimiter, RateLimiterFactory } from "clusterlab";

interface Bucket {
  tokens: number;
  lastMs: number;
}

/**
 * One token bucket per client. With several gateways, each refills at its share of the limit: the
 * fraction of the client's recent requests that came to this gateway, learned by exchanging per-client
 * request rates every sync period. Shares add up to about 1 across gateways, so together they admit the
 * limit wherever the traffic goes. Rates are smoothed over several periods, and a share never drops to
 * zero: a gateway that sees a client rarely still admits it.
 */
const createLimiter: RateLimiterFactory = ({ ratePerSec, burst, gateways, gateway }) => {
  const buckets = new Map<string, Bucket>();
  /** Requests per client since the last state(); the smoothed rate here; each other gateway's. */
  let counting = new Map<string, number>();
  const smoothed = new Map<string, number>();
  const fromOthers = new Map<number, Map<string, number>>();
  const minShare = 0.25 / gateways;

  const share = (client: string): number => {
    if (gateways === 1) return 1;
    const here = smoothed.get(client) ?? 0;
    let total = here;
    for (const counts of fromOthers.values()) total += counts.get(client) ?? 0;
    return total === 0 ? 1 / gateways : Math.max(minShare, here / total);
  };

  const limiter: RateLimiter = {
    allow(client) {
      counting.set(client, (counting.get(client) ?? 0) + 1);
      const now = Date.now();
      const s = share(client);
      // A small share still gets room for a few requests at once, or Poisson arrivals at a quiet gateway
      // would be refused while the client is well under its limit.
      const capacity = Math.max(burst / gateways, burst * s, 1);
      // One bucket for every client: a heavy client spends everyone's tokens.
      let bucket = buckets.get("everyone");
      if (!bucket) {
        bucket = { tokens: capacity, lastMs: now };
        buckets.set("everyone", bucket);
      }
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.lastMs) * ratePerSec * s) / 1000);
      bucket.lastMs = now;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    state() {
      for (const client of new Set([...smoothed.keys(), ...counting.keys()])) {
        smoothed.set(client, 0.8 * (smoothed.get(client) ?? 0) + 0.2 * (counting.get(client) ?? 0));
      }
      counting = new Map();
      return JSON.stringify({ from: gateway, counts: [...smoothed] });
    },
    merge(state) {
      const { from, counts } = JSON.parse(state) as { from: number; counts: Array<[string, number]> };
      fromOthers.set(from, new Map(counts));
    },
  };
  return limiter;
};

export default createLimiter;
