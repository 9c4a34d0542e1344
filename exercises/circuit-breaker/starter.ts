import type { CallPolicy, CallPolicyFactory } from "clusterlab";

// Decide, around every call to the downstream service: whether to make it (allow), what to learn from its
// outcome (onResult), and whether and when to retry a failed attempt (retryDelayMs: ms to wait, or -1).
// Date.now() is the simulated clock; Math.random() is seeded.
const createPolicy: CallPolicyFactory = () => {
  const policy: CallPolicy = {
    allow() {
      return true;
    },
    onResult(ok, latencyMs) {},
    retryDelayMs(attempt) {
      return -1; // never retry
    },
  };
  return policy;
};

export default createPolicy;
