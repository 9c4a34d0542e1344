// fails: retry-sync
import type { CallPolicy, CallPolicyFactory } from "clusterlab";

const maxRetries = 3;
const baseDelayMs = 50;
const maxDelayMs = 400;
/** Consecutive failures that open the breaker, and how long it stays open before a trial call. */
const failuresToOpen = 5;
const openMs = 500;

/**
 * The reference policy with "a little" jitter: each wait is the backoff ±10%. Calls that failed together
 * still come back within a few milliseconds of each other, one wave a few ms wide.
 */
const createPolicy: CallPolicyFactory = () => {
  let state: "closed" | "open" | "half-open" = "closed";
  let failures = 0;
  let openedAt = 0;
  let trialInFlight = false;

  const policy: CallPolicy = {
    allow() {
      if (state === "open" && Date.now() - openedAt >= openMs) {
        state = "half-open";
        trialInFlight = false;
      }
      if (state === "open") return false;
      if (state === "half-open") {
        if (trialInFlight) return false;
        trialInFlight = true;
      }
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
      return backoff * (0.9 + 0.2 * Math.random());
    },
  };
  return policy;
};

export default createPolicy;
