// fails: limit
import type { RateLimiter, RateLimiterFactory } from "clusterlab";

/** A counter per client per calendar second: a burst at the end of one second and another at the start of the next get twice the rate through. */
const createLimiter: RateLimiterFactory = ({ ratePerSec, burst }) => {
  const windows = new Map<string, { second: number; count: number }>();
  const limiter: RateLimiter = {
    allow(client) {
      const second = Math.floor(Date.now() / 1000);
      let w = windows.get(client);
      if (!w || w.second !== second) {
        w = { second, count: 0 };
        windows.set(client, w);
      }
      if (w.count >= ratePerSec + burst) return false;
      w.count++;
      return true;
    },
  };
  return limiter;
};

export default createLimiter;
