/**
 * What every learner realm shares, whatever its harness: the globals its runtime puts in place of the
 * realm's own timers, clock and console (each harness's runtime makes them, the sandboxes install them), and
 * the unhooked `then`.
 */
/** What learner code sees in place of its realm's timers, clock and console (Date and Math.random are the lockdown's). */
export interface RealmGlobals {
  performance: { now(): number };
  setTimeout: (fn: () => void, ms?: number) => number;
  setInterval: (fn: () => void, ms?: number) => number;
  clearTimeout: (id: number) => void;
  clearInterval: (id: number) => void;
  console: Pick<Console, "log" | "info" | "warn" | "error" | "debug">;
  queueMicrotask: (fn: () => void) => void;
  /** The realm's Promise, with resolvers that ask for a flush when called (marking-promise.ts says why). */
  Promise?: PromiseConstructor;
  /** The `clusterlab` module's run-time values, where a harness has any (a design's building blocks). */
  require?: (name: string) => unknown;
}

/** The unhooked `then`, taken when the realm's code loads: the sandboxes hook Promise.prototype.then to notice continuations, never this. */
export const originalThen = Promise.prototype.then;

const freeze = Object.freeze;

/**
 * The globals of a realm without timers (a component, a design, an estimate: the engine calls the learner's
 * code and keeps the time itself). Every timer and queueMicrotask throws with the harness's reason, so a
 * solution that schedules work learns why at the line that tried; the clears do nothing, as clearing nothing
 * is harmless. `now` is the realm's clock as the harness keeps it. The caller freezes what it shares.
 */
export function timerlessGlobals(noTimers: () => never, now: () => number, console: RealmGlobals["console"]): RealmGlobals {
  return {
    performance: freeze({ now }),
    setTimeout: noTimers,
    setInterval: noTimers,
    clearTimeout: () => undefined,
    clearInterval: () => undefined,
    console,
    queueMicrotask: noTimers,
  };
}
