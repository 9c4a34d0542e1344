// fails: retry-sync
import type { CallPolicy, CallPolicyFactory } from "clusterlab";

const maxRetries = 3;
const baseDelayMs = 50;
const maxDelayMs = 400;
/** Consecutive failures that open the breaker, and how long it stays open before a trial call. */
const failuresToOpen = 5;
const openMs = 500;

/**
 * The reference policy with the jitter left out: exponential backoff (50, 100, 200 ms), capped, behind a
 * breaker. Each client on its own looks fine; but calls that fail at the same instant in many clients
 * all retry after the same 50 ms, and arrive together.
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
      return backoff;
    },
  };
  return policy;
};

export default createPolicy;
