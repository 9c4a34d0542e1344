/**
 * The runtime of a component exercise's learner realm: it holds the learner's exports and the instances
 * made from them, and exposes one entry function that takes and returns only strings, numbers, booleans
 * or undefined, so no object of the engine's realm ever reaches learner code and none comes back.
 * Like the node runtime it is a factory that returns the globals to install (isolated-vm: onto the realm's
 * own globalThis, see component-realm.ts; a one-realm sandbox: as the learner code's scope).
 *
 * The entry's protocol (method words, argument slots, results and faults) is protocol/component-calls.ts.
 * The learner-facing interfaces are in the node harness's api.ts (harness/node/api.ts) (section "Component exercises").
 */
import { timerlessGlobals, type RealmGlobals } from "../../../runtime/realm-globals.ts";
import { createRng, type Rng } from "../../../sim/prng.ts";
import { describeError } from "../../../runtime/describe.ts";
import { createRealmLog } from "../../../runtime/realm-log.ts";
import { freezeOwn } from "../../../runtime/freeze-own.ts";
import { ControlWord, faultAnswer, methodLabel, parseComponentMethod, type ArgKind } from "../../../protocol/component-calls.ts";

const { parse, stringify } = JSON;
const functionText = Function.prototype.toString;
const { apply } = Reflect;
/** callWith(fn, self, …args) is fn.call(self, …args), without reading `call` off the learner's function. */
const callWith = Function.prototype.call.bind(Function.prototype.call) as (fn: unknown, self: unknown, ...args: unknown[]) => unknown;
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
  /**
   * Per argument, the slot it is read from (see argument()): the number slots a, b, c in order (a fourth
   * number reads c again), each as a number or as a boolean, and the string slots s, t (a third string reads t).
   */
  slots: Uint8Array;
  /** For a method of more than four arguments: reused for every call, as `apply` copies it, so the callee never holds it. */
  args: unknown[];
}

const Slot = { A: 0, B: 1, C: 2, BoolA: 3, BoolB: 4, BoolC: 5, S: 6, T: 7 } as const;

function slotsOf(args: readonly ArgKind[]): Uint8Array {
  let numbers = 0;
  let strings = 0;
  return Uint8Array.from(args, (kind) => {
    if (kind === "string") return strings++ === 0 ? Slot.S : Slot.T;
    const slot = Math.min(numbers++, 2);
    return kind === "boolean" ? Slot.BoolA + slot : Slot.A + slot;
  });
}

function argument(slot: number, a: number, b: number, c: number, s: string, t: string): unknown {
  switch (slot) {
    case Slot.A:
      return a;
    case Slot.B:
      return b;
    case Slot.C:
      return c;
    case Slot.BoolA:
      return a !== 0;
    case Slot.BoolB:
      return b !== 0;
    case Slot.BoolC:
      return c !== 0;
    case Slot.S:
      return s;
    default:
      return t;
  }
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
  /** The words of the last fault answered, until the engine takes them. */
  let faultWords = "";
  const fault = (text: string): null => {
    faultWords = text;
    return faultAnswer;
  };

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

  function make(spec: { factory?: string; config?: unknown }): number | null {
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
      const slots = slotsOf(parsed.args);
      call = { name: parsed.name, optional: parsed.optional, slots, args: new Array<unknown>(slots.length) };
      calls.set(method, call);
    }
    const target = instances[instance];
    const fn = target?.[call.name];
    if (typeof fn !== "function") return call.optional ? undefined : fault(`the component has no method ${call.name}()`);
    // A call of the method's own arity (every system's methods take at most four arguments): no array to
    // fill and spread on each of the millions of calls a Submit makes.
    const { slots } = call;
    let result: unknown;
    switch (slots.length) {
      case 0:
        result = callWith(fn, target);
        break;
      case 1:
        result = callWith(fn, target, argument(slots[0]!, a, b, c, s, t));
        break;
      case 2:
        result = callWith(fn, target, argument(slots[0]!, a, b, c, s, t), argument(slots[1]!, a, b, c, s, t));
        break;
      case 3:
        result = callWith(fn, target, argument(slots[0]!, a, b, c, s, t), argument(slots[1]!, a, b, c, s, t), argument(slots[2]!, a, b, c, s, t));
        break;
      case 4:
        result = callWith(fn, target, argument(slots[0]!, a, b, c, s, t), argument(slots[1]!, a, b, c, s, t), argument(slots[2]!, a, b, c, s, t), argument(slots[3]!, a, b, c, s, t));
        break;
      default: {
        const { args } = call;
        for (let i = 0; i < slots.length; i++) args[i] = argument(slots[i]!, a, b, c, s, t);
        result = apply(fn as (...xs: unknown[]) => unknown, target, args);
      }
    }
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
      if (method === ControlWord.Seed) {
        rng = createRng(a, "component");
        seed = a;
        return undefined;
      }
      if (method === ControlWord.New) return make(parse(s) as { factory?: string; config?: unknown });
      if (method === ControlWord.Logs) return stringify(realmLog.take());
      if (method === ControlWord.Fault) {
        const words = faultWords;
        faultWords = "";
        return words;
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
