import type { RateLimiter, RateLimiterFactory } from "clusterlab";

// Admit each client's requests at up to `ratePerSec` on average, with bursts of up to `burst` at once.
// Date.now() is the simulated clock. state() and merge() matter only in the last task (several gateways).
const createLimiter: RateLimiterFactory = ({ ratePerSec, burst, gateways, gateway }) => {
  const limiter: RateLimiter = {
    allow(client) {
      return true; // TODO: a token bucket per client
    },
  };
  return limiter;
};

export default createLimiter;
