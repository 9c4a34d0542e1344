// fails: limit
import type { RateLimiter, RateLimiterFactory } from "clusterlab";

/**
 * ratePerSec requests per client per calendar second, counted in a window that resets on the second. It
 * never admits more than the rate in any second it counts, yet a second's allowance can go right after
 * the previous one's: around a boundary twice the rate gets through.
 */
const createLimiter: RateLimiterFactory = ({ ratePerSec }) => {
  const windows = new Map<string, { second: number; count: number }>();
  const limiter: RateLimiter = {
    allow(client) {
      const second = Math.floor(Date.now() / 1000);
      let w = windows.get(client);
      if (!w || w.second !== second) windows.set(client, (w = { second, count: 0 }));
      if (w.count >= ratePerSec) return false;
      w.count++;
      return true;
    },
  };
  return limiter;
};

export default createLimiter;
