// fails: error-rate
import type { CallPolicy, CallPolicyFactory } from "clusterlab";

const maxRetries = 3;
const baseDelayMs = 50;
const maxDelayMs = 400;
/** Consecutive failures that open the breaker, and how long it stays open before a trial call. */
const failuresToOpen = 5;
const openMs = 500;

/**
 * Retries with capped exponential backoff and full jitter (a random wait between 0 and the backoff, so
 * callers that failed together do not retry together), behind a circuit breaker: closed → open after
 * `failuresToOpen` failures in a row → half-open after `openMs` (one trial call) → closed on success.
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
      // Never retries: every transient failure reaches the caller.
      return -1;
      if (attempt > maxRetries || state === "open") return -1;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      return Math.random() * backoff;
    },
  };
  return policy;
};

export default createPolicy;
