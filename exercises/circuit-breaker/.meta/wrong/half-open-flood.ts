// fails: fail-fast
import type { CallPolicy, CallPolicyFactory } from "clusterlab";

const maxRetries = 3;
const baseDelayMs = 50;
const maxDelayMs = 400;
/** Consecutive failures that open the breaker, and how long it stays open before a trial call. */
const failuresToOpen = 5;
const openMs = 500;

/**
 * The reference policy with a half-open state that lets every request through instead of one trial:
 * after each cool-down, all requests of the next 200 ms call the dead downstream and wait for their
 * timeouts before the first failure opens the breaker again.
 */
const createPolicy: CallPolicyFactory = () => {
  let state: "closed" | "open" | "half-open" = "closed";
  let failures = 0;
  let openedAt = 0;

  const policy: CallPolicy = {
    allow() {
      if (state === "open" && Date.now() - openedAt >= openMs) {
        state = "half-open";
      }
      if (state === "open") return false;
      return true;
    },
    onResult(ok) {
      if (ok) {
        failures = 0;
        state = "closed";
        return;
      }
      failures++;
      if (state === "half-open" || failures >= failuresToOpen) {
        state = "open";
        openedAt = Date.now();
      }
    },
    retryDelayMs(attempt) {
      if (attempt > maxRetries || state === "open") return -1;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      return Math.random() * backoff;
    },
  };
  return policy;
};

export default createPolicy;
