/**
 * A copy of plain data (plain objects, arrays, primitives), as structuredClone makes it, several times
 * quicker for a run's outcome: a volume run's history is ~150,000 small objects, which structuredClone
 * serializes and reads back one by one (~0.5 s in V8 for one unique-ids run, a fifth of the run itself).
 * Shared and cyclic references stay shared, as structuredClone keeps them; an array's own properties other
 * than its items are not copied (an outcome has none: the engine's arrays and values read from JSON). Anything else (a Map, a typed
 * array, a Date, a class instance, another realm's object, an array with holes, great depth) is left to
 * structuredClone, for the whole value.
 */

// Taken when this module loads, before the Worker's lockdown removes the host's globals.
const clone: <T>(value: T) => T = structuredClone;
const objectPrototype = Object.prototype;
const arrayPrototype = Array.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const keysOf = Object.keys;
const isArray = Array.isArray;

/** Thrown inside the walk when the value is not plain data: the caller copies it with structuredClone. */
const notPlain: unique symbol = Symbol("not plain data");

export function copyPlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  try {
    return walk(value, new Map()) as T;
  } catch (error) {
    if (error !== notPlain && !(error instanceof RangeError)) throw error;
    return clone(value);
  }
}

function walk(value: object, seen: Map<object, unknown>): unknown {
  const known = seen.get(value);
  if (known !== undefined) return known;
  const prototype = getPrototypeOf(value) as unknown;
  if (prototype === arrayPrototype && isArray(value)) {
    const from = value as unknown[];
    const to: unknown[] = new Array(from.length);
    seen.set(value, to);
    for (let i = 0; i < from.length; i++) {
      if (!(i in from)) throw notPlain;
      const item = from[i];
      to[i] = item === null || typeof item !== "object" ? checked(item) : walk(item, seen);
    }
    return to;
  }
  if (prototype !== objectPrototype && prototype !== null) throw notPlain;
  const from = value as Record<string, unknown>;
  // structuredClone gives a plain object for a null-prototype one too.
  const to: Record<string, unknown> = {};
  seen.set(value, to);
  for (const key of keysOf(from)) {
    // Set by assignment, this key would change the copy's prototype instead.
    if (key === "__proto__") throw notPlain;
    const member = from[key];
    to[key] = member === null || typeof member !== "object" ? checked(member) : walk(member, seen);
  }
  return to;
}

/** A primitive structuredClone copies as it is; a function or a symbol it refuses, so the clone decides. */
function checked(value: unknown): unknown {
  if (typeof value === "function" || typeof value === "symbol") throw notPlain;
  return value;
}
