/**
 * A node's local clock against the simulator's true time. A machine's clock and its timers run off the same
 * oscillator, so both keep the clock's rate: a node whose clock runs 2% slow also fires its timers 2% late
 * in true time, and a timer of `ms` fires when the node's own clock has moved on by `ms`. The runtime reads
 * the clock (node.now(), Date, performance.now()) with `localMsAt`; the simulator places timers with
 * `timerFiresAt`. With no drift both are what they were before drift reached timers: true time plus skew,
 * and a timer `ms` of true time later.
 */

// Taken when the module loads, before any learner code runs (the runtime reads the clock through these).
const { floor, max } = Math;
const { EPSILON } = Number;

/** A node's clock: `skewMs` ahead of true time at true time 0, running `driftPpm` parts per million fast. */
export interface ClockSpec {
  skewMs: number;
  driftPpm: number;
}

export const trueClock: ClockSpec = Object.freeze({ skewMs: 0, driftPpm: 0 });

/** Local ms per true ms. */
export function clockRate(clock: ClockSpec): number {
  return 1 + clock.driftPpm / 1e6;
}

/** What the node's clock reads at true instant `trueMs`, in whole ms (as node.now() gives it). */
export function localMsAt(clock: ClockSpec, trueMs: number): number {
  return floor(trueMs * clockRate(clock) + clock.skewMs);
}

/**
 * The true instant at which a timer armed at true `trueMs` for `delayMs` (whole ms, ≥ 1) of the node's clock
 * fires: `delayMs / rate` later, so that node.now() in the callback reads exactly `delayMs` more than when
 * the timer was armed.
 */
export function timerFiresAt(clock: ClockSpec, trueMs: number, delayMs: number): number {
  if (clock.driftPpm === 0) return trueMs + delayMs;
  let at = trueMs + delayMs / clockRate(clock);
  // The division rounds: never let the callback read the clock a millisecond short of what it asked for.
  const due = localMsAt(clock, trueMs) + delayMs;
  for (let i = 0; i < 8 && localMsAt(clock, at) < due; i++) at += max(1, at) * EPSILON * 2;
  return at;
}
