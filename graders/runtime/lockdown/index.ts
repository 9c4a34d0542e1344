/**
 * lockdownRealm: makes the calling realm inert and deterministic before learner code runs in it. Time and
 * randomness become the given clock's, locale and time zone become "en-US" and UTC, the host's globals and
 * the standard library's channels (WeakRef, SharedArrayBuffer, RegExp.$1, …) go, and then every object
 * reachable from globalThis, plus the hidden intrinsics, is frozen. Isomorphic: it runs inside an
 * isolated-vm context, a node:vm context or a browser Worker, and imports nothing of Node's.
 */
import { freezeGraph } from "./freeze-graph.ts";
import { fixLocale } from "./fixed-locale.ts";
import { hiddenIntrinsics } from "./hidden-intrinsics.ts";
import { removeRegExpStatics } from "./legacy-channels.ts";
import { freezeSegmentsOnFirstUse } from "./segmenter.ts";
import { tameOverrides } from "./override-taming.ts";
import { stripHostGlobals } from "./strip-host.ts";
import { virtualiseDate } from "./virtual-date.ts";

/** Where a realm's virtual time and randomness come from (the simulator's clock of the node whose code runs now). */
export interface RealmClock {
  now(): number;
  random(): number;
}

export interface LockdownOptions {
  /** Own globals of the host (Worker/Node) to keep, e.g. none: the caller captures what it needs before. */
  keepGlobals?: readonly string[];
}

/** What one call did, for tests and the bench; callers may ignore it. */
export interface LockdownReport {
  objectsFrozen: number;
  overridesTamed: number;
}

/** Set by the first call in this copy of the module; a realm frozen by anyone is refused too. */
let locked = false;

/**
 * Call once per realm, after the caller installed its own hooks (e.g. a Promise.prototype.then hook) and
 * captured what it needs, before any learner code. A second call throws: it could not honour a new clock.
 * Throws, leaving the realm unusable, if a host global that is a capability cannot be removed.
 */
export function lockdownRealm(clock: RealmClock, options: LockdownOptions = {}): LockdownReport {
  if (locked || Object.isFrozen(Object.prototype)) throw new TypeError("lockdownRealm: this realm is already locked down");
  const { now, random } = clock;
  if (typeof now !== "function" || typeof random !== "function") throw new TypeError("lockdownRealm: the clock needs now() and random()");
  locked = true;
  const readNow = (): number => Number(Reflect.apply(now, clock, []));
  const readRandom = (): number => Number(Reflect.apply(random, clock, []));

  // Before anything is removed: some probes need the standard globals as the engine made them.
  const hidden = hiddenIntrinsics();

  virtualiseDate(readNow);
  fixLocale(readNow);
  freezeSegmentsOnFirstUse();
  // A class method, like the built-in: strict, named "random", not a constructor.
  const clockRandom = class {
    random(): number {
      return readRandom();
    }
  }.prototype.random;
  Reflect.defineProperty(Math, "random", { value: clockRandom, writable: true, enumerable: false, configurable: true });
  removeRegExpStatics();

  const stuck = stripHostGlobals(new Set(options.keepGlobals ?? []));
  if (stuck.length > 0) {
    const names = stuck.map((s) => (s.depth === 0 ? s.name : `${s.name} (on the global's prototype chain, level ${s.depth})`));
    throw new TypeError(`lockdownRealm: cannot remove host globals that are capabilities: ${names.join(", ")}`);
  }

  const overridesTamed = tameOverrides();
  try {
    Object.freeze(globalThis);
  } catch (error) {
    // A contextified node:vm global, whose interceptors refuse preventExtensions, is one.
    throw new TypeError("lockdownRealm: the global object cannot be frozen, so globals would stay a channel", { cause: error });
  }
  const objectsFrozen = freezeGraph([...hidden, globalThis]);
  return { objectsFrozen, overridesTamed };
}
