import type { CallPolicy, CallPolicyFactory } from "clusterlab";

/** The breaker looks at the outcomes of the last `windowCalls` attempts… */
const windowCalls = 10;
/** …and opens when at least this many of them failed. */
const failuresToOpen = 6;
/** Open for a cool-down drawn between these, so that clients that opened together do not probe together. */
const coolDownMinMs = 400;
const coolDownMaxMs = 700;
const maxRetries = 3;
const baseDelayMs = 50;
const capDelayMs = 500;

/**
 * A breaker on the failure rate of a sliding window (the last ten attempts, as resilience4j's count-based
 * window), rather than failures in a row; retries with "decorrelated jitter": each wait is drawn between
 * the base and three times the previous wait, capped, so waits grow and stay spread.
 */
const createPolicy: CallPolicyFactory = () => {
  const outcomes: boolean[] = [];
  let failed = 0;
  let openUntil = -1;
  let probing = false;
  let lastDelayMs = baseDelayMs;

  const record = (ok: boolean) => {
    outcomes.push(ok);
    if (!ok) failed++;
    if (outcomes.length > windowCalls && !outcomes.shift()) failed--;
  };
  const open = () => {
    openUntil = Date.now() + coolDownMinMs + Math.random() * (coolDownMaxMs - coolDownMinMs);
    probing = false;
  };

  const policy: CallPolicy = {
    allow() {
      if (openUntil < 0) return true;
      if (Date.now() < openUntil || probing) return false;
      // Cool-down over: this call is the one trial.
      probing = true;
      return true;
    },
    onResult(ok) {
      if (openUntil >= 0) {
        // A result while open or probing: the trial's (or a straggler's). Success closes, failure re-opens.
        if (ok) {
          openUntil = -1;
          probing = false;
          outcomes.length = 0;
          failed = 0;
        } else open();
        return;
      }
      record(ok);
      if (failed >= failuresToOpen) open();
    },
    retryDelayMs(attempt) {
      if (attempt > maxRetries || openUntil >= 0) return -1;
      if (attempt === 1) lastDelayMs = baseDelayMs;
      lastDelayMs = Math.min(capDelayMs, baseDelayMs + Math.random() * (3 * lastDelayMs - baseDelayMs));
      return lastDelayMs;
    },
  };
  return policy;
};

export default createPolicy;
