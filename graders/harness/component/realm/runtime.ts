/**
 * The runtime of a component exercise's learner realm: it holds the learner's exports and the instances
 * made from them, and exposes one entry function that takes and returns only strings, numbers, booleans
 * or undefined, so no object of the engine's realm ever reaches learner code and none comes back.
 * Like the node runtime it is a factory that returns the globals to install (isolated-vm: onto the realm's
 * own globalThis, see component-realm.ts; a one-realm sandbox: as the learner code's scope).
 *
 * The entry's protocol (method words, argument slots, tagged results) is protocol/component-calls.ts.
 * The learner-facing interfaces are in the node harness's api.ts (harness/node/api.ts) (section "Component exercises").
 */
import { timerlessGlobals, type RealmGlobals } from "../../../runtime/realm-globals.ts";
import { createRng, type Rng } from "../../../sim/prng.ts";
import { describeError } from "../../../runtime/describe.ts";
import { createRealmLog } from "../../../runtime/realm-log.ts";
import { freezeOwn } from "../../../runtime/freeze-own.ts";
import { ControlWord, encodeFault, encodeStringResult, methodLabel, parseComponentMethod } from "../../../protocol/component-calls.ts";

const { parse, stringify } = JSON;
const functionText = Function.prototype.toString;
const maxStringResult = 100_000;

export interface ComponentRuntime {
  entry: (method: string, nowMs: number, instance: number, a: number, b: number, c: number, s: string, t: string) => unknown;
  globals: RealmGlobals;
  /** The engine's clock and this realm's random stream: what the realm's Date and Math.random read. */
  now(): number;
  random(): number;
  /** Hands over the learner's module exports once, after its top-level code ran, and a way to evaluate it again. */
  setExports(exports: unknown, evaluateAgain: () => unknown): void;
}

interface Call {
  name: string;
  optional: boolean;
  /** Per argument: 0 number, 1 boolean, 2 string. */
  kinds: Uint8Array;
  /** Reused for every call of this method: `apply` copies it, so the callee never holds it. */
  args: unknown[];
}

export function createComponentRuntime(): ComponentRuntime {
  let nowMs = 0;
  let rng: Rng = createRng(0, "component");
  let exports: unknown;
  let solution: unknown;
  let taken = false;
  let evaluateAgain: (() => unknown) | undefined;
  let seed = 0;
  const instances: Array<Record<string, unknown>> = [];
  const calls = new Map<string, Call>();
  const realmLog = createRealmLog();

  function solutionDefault(): unknown {
    if (!taken) {
      taken = true;
      exports = (solution as { default?: unknown } | undefined)?.default;
      solution = undefined;
    }
    return exports;
  }

  /**
   * The module's default export for the next instance. Each instance a system makes stands for a
   * separate process (a client's policy among a fleet's, a rollout's controller), so each has module
   * state of its own, as a process's memory is: the first takes the boot's evaluation, every other a
   * fresh one, whose top-level Math.random draws from a stream of its own (the instances' own stream is
   * left as it was).
   */
  function defaultForNext(): unknown {
    if (instances.length === 0 || !evaluateAgain) return solutionDefault();
    const instancesRng = rng;
    rng = createRng(seed, `component-module/${instances.length}`);
    try {
      return (evaluateAgain() as { default?: unknown } | undefined)?.default;
    } finally {
      rng = instancesRng;
    }
  }

  function make(spec: { factory?: string; config?: unknown }): number | string {
    const root = defaultForNext();
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
      const parsed = parseComponentMethod(method);
      const kinds = Uint8Array.from(parsed.args, (kind) => (kind === "string" ? 2 : kind === "boolean" ? 1 : 0));
      call = { name: parsed.name, optional: parsed.optional, kinds, args: new Array<unknown>(kinds.length) };
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
        return result.length > maxStringResult ? fault(`${call.name}() returned a string of ${result.length} characters`) : encodeStringResult(result);
      default:
        if (result === null) return undefined;
        if (typeof (result as { then?: unknown }).then === "function") return fault(`${call.name}() returned a promise: components are called synchronously`);
        return fault(`${call.name}() must return a number, string or boolean, not ${typeof result}`);
    }
  }

  function entry(method: string, now: number, instance: number, a: number, b: number, c: number, s: string, t: string): unknown {
    nowMs = now;
    try {
      if (method === ControlWord.Seed) {
        rng = createRng(a, "component");
        seed = a;
        return undefined;
      }
      if (method === ControlWord.New) return make(parse(s) as { factory?: string; config?: unknown });
      if (method === ControlWord.Logs) {
        return encodeStringResult(stringify(realmLog.take()));
      }
      return invoke(method, instance, a, b, c, s, t);
    } catch (error) {
      return fault(`${method === ControlWord.New ? "creating the component" : methodLabel(method)} threw ${describeError(error)}`);
    }
  }

  const noTimers = (): never => {
    throw new TypeError("components are called synchronously by the simulator: there are no timers (do periodic work when you are called)");
  };
  const globals = timerlessGlobals(noTimers, () => nowMs, realmLog.console);
  // Every instance's copy of the module gets these same objects: frozen, they carry nothing between copies.
  freezeOwn(globals);
  const setExports = (value: unknown, again: () => unknown): void => {
    solution = value;
    evaluateAgain = again;
  };
  return { entry, globals, now: () => nowMs, random: () => rng.next(), setExports };
}

/** A class is constructed with `new`, a factory function called. */
function construct(fn: unknown, config: unknown): unknown {
  const isClass = /^class[\s{]/.test(functionText.call(fn as () => unknown));
  return isClass ? new (fn as new (c: unknown) => unknown)(config) : (fn as (c: unknown) => unknown)(config);
}

const fault = encodeFault;
