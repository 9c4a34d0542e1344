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
