// fails: fail-fast
import type { CallPolicy, CallPolicyFactory } from "clusterlab";

/**
 * Retries with backoff and jitter, limited by a retry budget (retries may add at most 20% to the calls of
 * the last second), but no breaker: the budget stops a retry storm, yet during an outage every request
 * still waits for its call to time out before it fails.
 */
const createPolicy: CallPolicyFactory = () => {
  const calls: number[] = [];
  const retries: number[] = [];
  const recent = (times: number[]) => {
    const now = Date.now();
    while (times.length && now - times[0]! > 1000) times.shift();
    return times.length;
  };
  const policy: CallPolicy = {
    allow() {
      calls.push(Date.now());
      return true;
    },
    onResult() {},
    retryDelayMs(attempt) {
      if (attempt > 3 || recent(retries) >= 0.2 * recent(calls)) return -1;
      retries.push(Date.now());
      return Math.random() * Math.min(400, 50 * 2 ** (attempt - 1));
    },
  };
  return policy;
};

export default createPolicy;
