// fails: latency
import type { CallPolicy, CallPolicyFactory } from "clusterlab";

const maxRetries = 3;
/** A backoff sized for batch jobs: a second, then two. A request here has 2 s in all. */
const baseDelayMs = 1000;
const failuresToOpen = 5;
const openMs = 500;

/**
 * The reference breaker with a backoff that starts at a second (with full jitter). Nothing fails that
 * would not: retries still fit in the request's 2 s. But every request whose first call failed waits
 * about half a second for its retry, and the slowest percent of requests takes that long.
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
      return Math.random() * baseDelayMs * 2 ** (attempt - 1);
    },
  };
  return policy;
};

export default createPolicy;
