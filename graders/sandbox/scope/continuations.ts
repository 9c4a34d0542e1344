/**
 * In one realm, every node's promise continuations share one microtask queue, and the realm's Date and
 * Math.random are shared too. The simulator needs to know which node left work pending (to flush that
 * node's outbox), and the clock must be the running node's, so the `then` hook marks the node whose code
 * is running and binds each callback to that node, so that its own continuations are attributed the same
 * way when they run later. This is what a realm per node gives for free in the isolated-vm sandbox.
 */
import { originalThen } from "../../runtime/realm-globals.ts";
import { countedReaction } from "../../runtime/counted-reaction.ts";

/** Whatever learner realm runs: told when its code queued a promise continuation; its clock and random stream. */
export interface ActiveRealm {
  markAsync(): void;
  /** Told just before one of this realm's continuations runs (a design realm drains until none does). */
  continuationRan?: (() => void) | undefined;
  now(): number;
  random(): number;
}

let active: ActiveRealm | undefined;
let installed = false;

/** Runs `fn` as the given realm: its promise callbacks, Date and Math.random are that realm's. */
export function runAs<T>(realm: ActiveRealm, fn: () => T): T {
  const previous = active;
  active = realm;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/**
 * `entry` wrapped to run as the given realm, as runAs does, for the engine's calls into a realm (every
 * entry takes at most eight arguments). A fixed arity, no rest array, no closure per call: lru-cache's
 * Submit makes ~2.4 million of these calls.
 */
export function enterAs(realm: ActiveRealm, entry: (...args: never[]) => unknown): (...args: never[]) => unknown {
  if (entry.length > 8) throw new Error(`a realm entry of ${entry.length} parameters: enterAs passes eight`);
  const call = entry as (a0: unknown, a1: unknown, a2: unknown, a3: unknown, a4: unknown, a5: unknown, a6: unknown, a7: unknown) => unknown;
  return ((a0: unknown, a1: unknown, a2: unknown, a3: unknown, a4: unknown, a5: unknown, a6: unknown, a7: unknown): unknown => {
    const previous = active;
    active = realm;
    try {
      return call(a0, a1, a2, a3, a4, a5, a6, a7);
    } finally {
      active = previous;
    }
  }) as (...args: never[]) => unknown;
}

/** The running realm's clock and random stream, for the realm-wide Date and Math.random (0 outside any). */
export const activeClock = {
  now: (): number => (active ? active.now() : 0),
  random: (): number => (active ? active.random() : 0),
};

function bind(realm: ActiveRealm, callback: unknown, rejects = false): unknown {
  const ran = realm.continuationRan;
  if (typeof callback !== "function") {
    // A pass-through reaction is a continuation too: the realm that counts them must hear it run.
    return ran ? countedReaction(ran, callback, rejects) : callback;
  }
  return (value: unknown) => {
    ran?.();
    return runAs(realm, () => (callback as (v: unknown) => unknown)(value));
  };
}

/** Binds a microtask to the realm that queued it. */
export function bindToActive<T extends (...args: never[]) => unknown>(fn: T): T {
  return (active ? bind(active, fn) : fn) as T;
}

/**
 * Told when a continuation that was queued outside any realm runs. V8 itself queues some: resolving a
 * promise with another promise runs a job that calls its `then` with no realm active. A realm that drains
 * its continuations until none runs (a design's) must hear those too; `null` when no run needs it.
 */
let unattributed: (() => void) | null = null;

export function hearUnattributedContinuations(ran: (() => void) | null): void {
  unattributed = ran;
}

/** Hooks Promise.prototype.then once per realm (before the lockdown freezes it); engine code outside any node is not affected. */
export function installContinuationHook(): void {
  if (installed) return;
  installed = true;
  Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
    const realm = active;
    if (!realm) {
      const ran = unattributed;
      if (!ran) return originalThen.call(this, onOk as never, onErr as never);
      return originalThen.call(this, countedReaction(ran, onOk, false) as never, countedReaction(ran, onErr, true) as never);
    }
    realm.markAsync();
    return originalThen.call(this, bind(realm, onOk) as never, bind(realm, onErr, true) as never);
  } as typeof Promise.prototype.then;
}
