import type { CallPolicy, CallPolicyFactory } from "clusterlab";

type State = "closed" | "open" | "half-open";
type Event = "success" | "failure" | "trip" | "cool-down-over";

/** Every transition the breaker may make; anything else leaves the state as it is. */
const transitions: Record<State, Partial<Record<Event, State>>> = {
  closed: { trip: "open" },
  open: { "cool-down-over": "half-open" },
  "half-open": { success: "closed", failure: "open" },
};

const failuresInARowToTrip = 5;
const coolDownMs = 400;
/** Successful trials needed to close again. */
const trialsToClose = 2;
const maxRetries = 3;
const baseDelayMs = 80;
/** Retries may add at most half again the calls of the last second (a retry budget, as in Finagle). */
const retryShare = 0.5;

/**
 * The breaker as an explicit state machine over a transition table, with two successful trials to
 * close; retries with "equal jitter" (half the backoff fixed, half random) and a retry budget, so that
 * even before the breaker trips, retries cannot multiply the load.
 */
const createPolicy: CallPolicyFactory = () => {
  let state: State = "closed";
  let failuresInARow = 0;
  let openedAt = 0;
  let trialInFlight = false;
  let trialsOk = 0;
  const calls: number[] = [];
  const retries: number[] = [];

  const fire = (event: Event) => {
    const next = transitions[state][event];
    if (next === undefined) return;
    state = next;
    if (state === "open") openedAt = Date.now();
    if (state !== "closed") trialsOk = 0;
    trialInFlight = false;
    failuresInARow = 0;
  };
  const inLastSecond = (times: number[]) => {
    const now = Date.now();
    while (times.length && now - times[0]! > 1000) times.shift();
    return times.length;
  };

  const policy: CallPolicy = {
    allow() {
      if (state === "open" && Date.now() - openedAt >= coolDownMs) fire("cool-down-over");
      if (state === "open") return false;
      if (state === "half-open") {
        if (trialInFlight) return false;
        trialInFlight = true;
      }
      calls.push(Date.now());
      return true;
    },
    onResult(ok) {
      if (state === "half-open") {
        trialInFlight = false;
        if (!ok) return fire("failure");
        if (++trialsOk >= trialsToClose) fire("success");
        return;
      }
      if (state !== "closed") return;
      failuresInARow = ok ? 0 : failuresInARow + 1;
      if (failuresInARow >= failuresInARowToTrip) fire("trip");
    },
    retryDelayMs(attempt) {
      if (attempt > maxRetries || state !== "closed") return -1;
      if (inLastSecond(retries) >= retryShare * Math.max(10, inLastSecond(calls))) return -1;
      retries.push(Date.now());
      const backoff = baseDelayMs * 2 ** (attempt - 1);
      return backoff / 2 + Math.random() * (backoff / 2);
    },
  };
  return policy;
};

export default createPolicy;
