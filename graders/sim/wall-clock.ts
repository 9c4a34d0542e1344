/**
 * Real elapsed time in ms, for the engine's own timing (a component's speed task, an explanation's time
 * budget, a run's wall budget), never for anything a run's history depends on.
 *
 * Taken when this module loads, before any lockdown: the one-realm sandbox (the browser's Worker, and
 * `--sandbox browser` in an isolate) later removes the host's `performance` and makes `Date` the running
 * node's virtual clock, which reads 0 outside a node. A timing read through them then would be virtual:
 * lru-cache's speed task measured every cache at 0 µs per call there, so a cache that scans passed.
 */
const { now: dateNow } = Date;

export const wallNow: () => number = typeof performance !== "undefined" && typeof performance.now === "function" ? performance.now.bind(performance) : () => dateNow();
