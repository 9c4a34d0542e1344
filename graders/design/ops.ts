/**
 * The operations `ctx.call` offers on each kind of component, with the arguments each takes: one table
 * for the realm's runtime (which refuses a bad call where the learner made it) and the engine (which
 * serves it). "s" a string, "k" a list of keys (1 to `keysPerCallMax` strings), "n" a number of seconds, "i" a
 * position (a whole number ≥ 0), "o" an options object, "j" any JSON value; a trailing "?" marks an optional argument.
 */
import type { ComponentKind } from "./spec.ts";

export type ArgSig = "s" | "k" | "n" | "i" | "o" | "j" | "n?" | "o?" | "s?";

export const componentOps: Readonly<Record<ComponentKind, Readonly<Record<string, readonly ArgSig[]>> | undefined>> = {
  cache: { get: ["s"], set: ["s", "s", "n?"], delete: ["s"], increment: ["s", "n?"], add: ["s", "s", "n?"] },
  sql: { get: ["s", "o?"], put: ["s", "s"], insert: ["s", "s"], delete: ["s"], increment: ["s"], append: ["s", "s"], range: ["s", "i", "o?"], rangeMany: ["k", "i", "o?"] },
  kv: { get: ["s", "o?"], put: ["s", "s"], insert: ["s", "s"], delete: ["s"], increment: ["s"], append: ["s", "s"], range: ["s", "i", "o?"], rangeMany: ["k", "i", "o?"] },
  queue: { publish: ["s"] },
  objectStore: { get: ["s"], put: ["s", "s"] },
  provider: { send: ["s", "s", "s?"] },
  // A pool's ops are its handlers: each takes one JSON request.
  pool: undefined,
  // Requests pass through these; nothing calls them.
  lb: undefined,
  cdn: undefined,
};

/** Longest key and value a call may pass, in characters. */
export const keyCharsMax = 256;
/** Keys one multi-key read (`rangeMany`) may name. */
export const keysPerCallMax = 1000;
export const valueCharsMax = 10_000;
/** Calls one request may make (its handler and every continuation of it): a loop of calls is a bug. */
export const callsPerRequestMax = 1000;
