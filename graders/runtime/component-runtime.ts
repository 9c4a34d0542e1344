/**
 * The runtime of a component exercise's learner realm: it holds the learner's exports and the instances
 * made from them, and exposes one entry function that takes and returns only strings, numbers, booleans
 * or undefined, so no object of the engine's realm ever reaches learner code and none comes back.
 * Like the node runtime it is a factory that returns the globals to install (isolated-vm: onto the realm's
 * own globalThis, see component-realm.ts; a one-realm sandbox: as the learner code's scope).
 *
 * Entry protocol: entry(method, nowMs, instance, a, b, c, s, t)
 *   "seed"        a = seed of this realm's Math.random
 *   "new"         s = JSON {factory?, config}: makes an instance, returns its number
 *   "logs"        returns the console lines so far as JSON (and clears them)
 *   "<name>|<sig>" calls instance.<name>(…) with arguments by signature letters: n = next of a, b, c;
 *                 b = next of a, b, c as a boolean; s = next of the strings s, t. Returns the result (a primitive).
 *                 A leading "?" marks a method the component may leave out (the call then returns undefined).
 * The learner-facing interfaces are in node-api.ts (section "Component exercises").
 * A learner exception comes back as a string that starts with "\u0000", followed by what happened.
 */
import type { NodeGlobals } from "./node-runtime.ts";
import { createRng, type Rng } from "../sim/prng.ts";
import { describeError, safeStringify } from "./describe.ts";

const { parse, stringify } = JSON;
const OriginalDate = Date;
const functionText = Function.prototype.toString;
export const componentErrorMark = "\u0000";
const maxLogLines = 200;
const maxStringResult = 100_000;

export interface ComponentRuntime {
  entry: (method: string, nowMs: number, instance: number, a: number, b: number, c: number, s: string, t: string) => unknown;
  globals: NodeGlobals;
}

interface Call {
  name: string;
  optional: boolean;
  /** Per argument: 0 number, 1 boolean, 2 string. */
  kinds: Uint8Array;
  /** Reused for every call of this method: `apply` copies it, so the callee never holds it. */
  args: unknown[];
}

export function createComponentRuntime(takeSolution: () => unknown): ComponentRuntime {
  let nowMs = 0;
  let rng: Rng = createRng(0, "component");
  let exports: unknown;
  let taken = false;
  const instances: Array<Record<string, unknown>> = [];
  const calls = new Map<string, Call>();
  let logs: string[] = [];
  let dropped = 0;

  const log = (...args: unknown[]): void => {
    if (logs.length >= maxLogLines) {
      dropped++;
      return;
    }
    const text = args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" ");
    logs.push(text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
  };

  function solutionDefault(): unknown {
    if (!taken) {
      taken = true;
      exports = (takeSolution() as { default?: unknown } | undefined)?.default;
    }
    return exports;
  }

  function make(spec: { factory?: string; config?: unknown }): number | string {
    const root = solutionDefault();
    let made: unknown;
    if (spec.factory !== undefined) {
      const factory = root !== null && typeof root === "object" ? (root as Record<string, unknown>)[spec.factory] : undefined;
      if (typeof factory !== "function") return fault(`the solution's default export has no function "${spec.factory}"`);
      made = construct(factory, spec.config);
    } else if (typeof root === "function") made = construct(root, spec.config);
    else made = root;
    if (made === null || typeof made !== "object") {
      return fault(`${spec.factory ? `${spec.factory}(…)` : "the default export"} must give an object, not ${made === null ? "null" : typeof made}`);
    }
    instances.push(made as Record<string, unknown>);
    return instances.length - 1;
  }

  function invoke(method: string, instance: number, a: number, b: number, c: number, s: string, t: string): unknown {
    let call = calls.get(method);
    if (!call) {
      const optional = method.startsWith("?");
      const bar = method.indexOf("|");
      const sig = bar < 0 ? "" : method.slice(bar + 1);
      const kinds = Uint8Array.from(sig, (ch) => (ch === "s" ? 2 : ch === "b" ? 1 : 0));
      call = { name: method.slice(optional ? 1 : 0, bar < 0 ? undefined : bar), optional, kinds, args: new Array<unknown>(kinds.length) };
      calls.set(method, call);
    }
    const target = instances[instance];
    const fn = target?.[call.name];
    if (typeof fn !== "function") return call.optional ? undefined : fault(`the component has no method ${call.name}()`);
    const { kinds, args } = call;
    let next = 0;
    let strings = 0;
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      if (kind === 2) args[i] = strings++ === 0 ? s : t;
      else {
        const x = next === 0 ? a : next === 1 ? b : c;
        next++;
        args[i] = kind === 1 ? x !== 0 : x;
      }
    }
    const result = (fn as (...xs: unknown[]) => unknown).apply(target, args);
    switch (typeof result) {
      case "number":
      case "boolean":
      case "undefined":
        return result;
      case "string":
        return result.length > maxStringResult ? fault(`${call.name}() returned a string of ${result.length} characters`) : result;
      default:
        if (result === null) return undefined;
        if (typeof (result as { then?: unknown }).then === "function") return fault(`${call.name}() returned a promise: components are called synchronously`);
        return fault(`${call.name}() must return a number, string or boolean, not ${typeof result}`);
    }
  }

  function entry(method: string, now: number, instance: number, a: number, b: number, c: number, s: string, t: string): unknown {
    nowMs = now;
    try {
      if (method === "seed") {
        rng = createRng(a, "component");
        return undefined;
      }
      if (method === "new") return make(parse(s) as { factory?: string; config?: unknown });
      if (method === "logs") {
        const out = dropped ? [...logs, `… ${dropped} more lines`] : logs;
        logs = [];
        dropped = 0;
        return stringify(out);
      }
      return invoke(method, instance, a, b, c, s, t);
    } catch (error) {
      return fault(`${method === "new" ? "creating the component" : `${method.replace(/^\?/, "").split("|")[0]}()`} threw ${describeError(error)}`);
    }
  }

  class SimDate extends OriginalDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowMs);
      else super(...(args as [number]));
    }
    static override now(): number {
      return nowMs;
    }
  }
  const noTimers = (): never => {
    throw new TypeError("components are called synchronously by the simulator: there are no timers (do periodic work when you are called)");
  };
  const globals: NodeGlobals = {
    random: () => rng.next(),
    Date: SimDate as unknown as DateConstructor,
    performance: Object.freeze({ now: () => nowMs }),
    setTimeout: noTimers,
    setInterval: noTimers,
    clearTimeout: () => undefined,
    clearInterval: () => undefined,
    console: Object.freeze({ log, info: log, warn: (...a: unknown[]) => log("warn:", ...a), error: (...a: unknown[]) => log("error:", ...a), debug: log }),
    queueMicrotask: noTimers,
  };
  return { entry, globals };
}

/** A class is constructed with `new`, a factory function called. */
function construct(fn: unknown, config: unknown): unknown {
  const isClass = /^class[\s{]/.test(functionText.call(fn as () => unknown));
  return isClass ? new (fn as new (c: unknown) => unknown)(config) : (fn as (c: unknown) => unknown)(config);
}

function fault(text: string): string {
  return `${componentErrorMark}${text}`;
}
