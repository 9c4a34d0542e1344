/**
 * What every learner-realm bootstrap does in the isolated-vm sandbox, where each realm is its own
 * globalThis: put the runtime's timers, clock and console in place of the realm's, and leave two
 * functions for the host, which takes them before any learner code runs:
 *   entry(…)       the runtime's entry (the engine calls it, with strings and numbers only)
 *   load(js)       boots the realm: locks it down the first time (frozen intrinsics, virtual Date and
 *                  Math.random, no host globals), then runs the solution's top level and keeps its
 *                  exports; returns "" or the words of what went wrong (a SyntaxError, what the top
 *                  level threw)
 *
 * A realm may boot more than once (the sandbox re-uses a node's realm across the runs of a grade, and for
 * a restart): every boot after the first makes a new runtime (fresh clock, timers, handlers, random
 * stream) and runs the solution's top level again (fresh module state). Nothing else can carry over: the
 * globals the realm was given are frozen forwarders to whichever runtime is current, and everything else
 * learner code can reach is frozen by the lockdown or made anew by the boot.
 */
import { lockdownRealm } from "./lockdown/index.ts";
import { freezeGraph } from "./lockdown/freeze-graph.ts";
import { describeError } from "./describe.ts";
import { RealmGlobal, loadFailure } from "../protocol/host.ts";
import { solutionBody } from "./solution-body.ts";

// Taken before anything can replace them.
const RealmFunction = Function;
const { apply, construct, defineProperty, getOwnPropertyDescriptor, ownKeys } = Reflect;
const { freeze } = Object;

export interface LearnerRuntime {
  entry: (...args: never[]) => unknown;
  globals: object;
  now(): number;
  random(): number;
  /** See harness/types.ts LearnerRuntime.setExports: `evaluateAgain` runs the top level once more. */
  setExports(exports: unknown, evaluateAgain: () => unknown): void;
}

/** The runtime of the realm's current boot. */
export interface RealmRuntimes<R extends LearnerRuntime> {
  current(): R;
}

/**
 * Installs a runtime made by `create` and the host's entry and loader; returns the runtime of the current
 * boot, for hooks the bootstrap installs itself (a `then` hook).
 */
export function exposeRealm<R extends LearnerRuntime>(create: () => R): RealmRuntimes<R> {
  const g = globalThis as Record<string, unknown>;
  let runtime = create();
  /** Whether `runtime` has been booted: the next boot then makes a new one. */
  let used = false;
  let factory: (() => unknown) | undefined;
  let compiledJs: string | undefined;
  const globals = forwardingGlobals(runtime.globals as Record<string, unknown>, () => runtime.globals as Record<string, unknown>);
  Object.assign(g, globals);
  const keepGlobals = Object.keys(globals);
  g[RealmGlobal.Entry] = (...args: never[]): unknown => apply(runtime.entry, undefined, args);
  g[RealmGlobal.Load] = (solutionJs: string): string => {
    if (used) runtime = create();
    used = true;
    if (factory === undefined) {
      lockdownRealm({ now: () => runtime.now(), random: () => runtime.random() }, { keepGlobals });
    }
    const js = String(solutionJs);
    if (factory === undefined || js !== compiledJs) {
      try {
        factory = new RealmFunction(solutionBody(js)) as () => unknown;
      } catch (error) {
        return `${loadFailure.compile}${describeError(error)}`;
      }
      // A sloppy body reaches this function as `arguments.callee`, and every boot calls it: frozen, with
      // its `prototype`, it holds nothing from one boot for the next.
      freezeGraph([factory], true);
      compiledJs = js;
    }
    const evaluate = factory;
    try {
      runtime.setExports(evaluate(), () => evaluate());
      return "";
    } catch (error) {
      return `${loadFailure.threw}${describeError(error)}`;
    }
  };
  return { current: () => runtime };
}

/**
 * The realm's globals, made once: each function (and each method of an object global such as `console`)
 * calls the same-named one of the current runtime's globals, and keeps its name and length. A constructor
 * (a node's `Promise`) forwards `new` too, shares its `prototype`, and forwards its statics. They and
 * their objects are frozen by the lockdown like the rest of the realm.
 */
function forwardingGlobals(first: Record<string, unknown>, current: () => Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    const value = first[key];
    const target = () => current()[key];
    if (typeof value === "function") out[key] = getOwnPropertyDescriptor(value, "prototype") ? forwardingConstructor(key, value as (...args: never[]) => unknown, target) : forwarder(key, value, target);
    else if (value !== null && typeof value === "object") out[key] = freeze(forwardMembers({}, value, target));
    else out[key] = value;
  }
  return out;
}

/** Puts on `to` each own property of `like`: a function as a forwarder to the same of `target()`, an accessor's getter likewise. */
function forwardMembers<T extends object>(to: T, like: object, target: () => unknown, skip: ReadonlySet<PropertyKey> = new Set()): T {
  for (const name of ownKeys(like)) {
    if (skip.has(name)) continue;
    const desc = getOwnPropertyDescriptor(like, name)!;
    const member = () => (target() as Record<PropertyKey, unknown>)[name];
    if (typeof desc.value === "function") desc.value = forwarder(String(name), desc.value as { length: number }, member);
    else if (desc.get) {
      desc.get = forwarder(`get ${String(name)}`, desc.get, () => () => member());
      desc.set = undefined;
    }
    defineProperty(to, name, desc);
  }
  return to;
}

function forwarder(name: string, like: { length: number }, target: () => unknown): (...args: unknown[]) => unknown {
  // A method: strict, no `prototype`, not a constructor, like the runtime's arrows.
  const fn = { [name](...args: unknown[]): unknown {
    return apply(target() as (...a: unknown[]) => unknown, undefined, args);
  } }[name]!;
  defineProperty(fn, "length", { value: like.length, writable: false, enumerable: false, configurable: true });
  return fn;
}

/**
 * A constructor that builds with the current runtime's: `new X(…)` constructs the current one (a subclass's
 * `super(…)` keeps the subclass), a call calls it; `prototype` is the first one's (the runtimes' constructors
 * share the realm's prototype), and the statics forward.
 */
function forwardingConstructor(name: string, like: (...args: never[]) => unknown, target: () => unknown): unknown {
  const Forward = function (this: unknown, ...args: unknown[]): unknown {
    const Current = target() as new (...a: unknown[]) => unknown;
    if (new.target === undefined) return apply(Current as unknown as (...a: unknown[]) => unknown, undefined, args);
    return construct(Current, args, new.target === Forward ? Current : new.target);
  };
  defineProperty(Forward, "name", { value: name, writable: false, enumerable: false, configurable: true });
  defineProperty(Forward, "length", { value: like.length, writable: false, enumerable: false, configurable: true });
  defineProperty(Forward, "prototype", { value: (like as { prototype: unknown }).prototype, writable: false, enumerable: false, configurable: false });
  return forwardMembers(Forward, like, target, new Set<PropertyKey>(["prototype", "length", "name"]));
}
