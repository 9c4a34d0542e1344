/**
 * The runtime of a design exercise's realm: the building blocks the learner imports from "clusterlab"
 * (design, pool, cache, …), the `ctx` each handler receives, and one entry function the engine calls with
 * strings and numbers (protocol in design/protocol.ts). Learner code stays in this realm: a `ctx.call`
 * becomes an effect line for the engine, and its promise settles when the engine answers, at the virtual
 * time the answer arrives. Like the other runtimes it is a factory returning the globals to install
 * (isolated-vm: onto the realm's own globalThis, design-realm.ts; one realm: as the learner's scope).
 *
 * Each bad call is refused here, where the learner made it, with a TypeError naming the call (its stack
 * gives the line); names that reach the engine are names the design declared.
 *
 * Module state is per instance. A real service's module-level variables live in one process: each pool
 * instance has its own, a crash loses them, and no other instance sees them. So the sandbox's evaluation
 * of the solution (the boot) only gives the design's structure (components, sizes, handler names), and
 * each pool instance the engine names in a "start" gets its own evaluation of the whole module, made at
 * its first request (evaluateAgain, from the sandbox), whose handlers serve that instance's requests. The
 * engine says which instance (round robin within its zone's group, world.ts InstanceMemory) and says
 * "drop" when one is gone. A top level's Math.random() draws from a stream of its own, so evaluating a
 * copy moves no handler's ctx.random().
 */
import { timerlessGlobals, type RealmGlobals } from "../../../runtime/realm-globals.ts";
import { createRng, type Rng } from "../../../sim/prng.ts";
import { describeError, safeStringify } from "../../../runtime/describe.ts";
import { freezeOwn } from "../../../runtime/freeze-own.ts";
import { componentOps, callsPerRequestMax, keyCharsMax, keysPerCallMax, valueCharsMax, type ArgSig } from "../../../design/ops.ts";
import { DesignEntry, encodeCall, encodeSend, encodeDone, encodeEffects, encodeMisuse, encodeThrew, type CallFailure } from "../../../design/protocol.ts";
import type { ComponentData, DesignData } from "../../../design/spec.ts";

// Captured before learner code runs.
const { parse, stringify } = JSON;
const OriginalPromise = Promise;
const originalThen = Promise.prototype.then;
const { freeze, keys, hasOwn } = Object;
const { isArray } = Array;
const ErrorCtor = Error;
const errorPrototype = Error.prototype;
const TypeErrorCtor = TypeError;
const maxLogLines = 200;
const zones = ["a", "b", "c"] as const;

export interface DesignRuntime {
  entry: (kind: string, nowMs: number, a: number, b: number, s: string) => string;
  globals: RealmGlobals;
  now(): number;
  random(): number;
  setExports(exports: unknown, evaluateAgain: () => unknown): void;
  /** Told when a promise continuation of this realm was queued (the `then` hook). */
  markAsync(): void;
  /** Told just before one of this realm's promise continuations runs: the engine drains until none does. */
  continuationRan(): void;
}

type HandlerFn = (ctx: unknown, request: unknown) => unknown;

/** What design() returns: the input, kept by the runtime (a learner cannot forge one). */
interface Made {
  input: Record<string, unknown>;
  at: string;
}

/**
 * Where the learner's code called a runtime function: the first frame of the solution (compiled as a
 * function body, so "<anonymous>:L:C", two lines below its own line 1: see describe.ts).
 */
function callSite(): string {
  const stack = new ErrorCtor().stack;
  const match = typeof stack === "string" ? /<anonymous>:(\d+):(\d+)/.exec(stack) : null;
  if (!match) return "";
  const line = Number(match[1]) - 2;
  return line >= 1 ? `solution.js:${line}:${match[2]}` : "";
}

export function createDesignRuntime(): DesignRuntime {
  let nowMs = 0;
  let rng: Rng = createRng(0, "design");
  let solution: unknown;
  let progress = false;
  let outbox: string[] = [];
  let logs: string[] = [];
  let droppedLogs = 0;
  let data: DesignData | undefined;
  /** The boot's handlers: the names a pool offers (each instance runs its own copy's, `instances`). */
  let handlers: Record<string, HandlerFn> = {};
  let evaluateAgain: (() => unknown) | undefined;
  /** Each live instance's handlers, from its own evaluation of the module (its module state is theirs). */
  const instances = new Map<number, Record<string, HandlerFn>>();
  let moduleRng: Rng = createRng(0, "design-modules");
  /** While an instance's copy is evaluated: its design's call sites name nothing (only the boot's are read), so none is captured. */
  let copying = false;
  let kinds: Record<string, string> = {};
  let nextCall = 1;
  const designs = new WeakMap<object, Made>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; op: string }>();

  const log = (...args: unknown[]): void => {
    if (logs.length >= maxLogLines) {
      droppedLogs++;
      return;
    }
    const text = args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" ");
    logs.push(`${nowMs.toFixed(1)} ms: ${text.length > 2000 ? `${text.slice(0, 2000)}…` : text}`);
  };

  // ---- The building blocks the learner imports ----

  const block = <K extends string>(kind: K) => (spec?: unknown): unknown => {
    const at = copying ? "" : callSite();
    if (spec !== undefined && (spec === null || typeof spec !== "object")) throw new TypeErrorCtor(`${kind}(…): pass an object of settings, got ${spec === null ? "null" : typeof spec}`);
    // A snapshot of plain fields: getters run once, functions are dropped by the JSON round trip later.
    return freeze({ ...(spec as object | undefined), kind, at });
  };

  function design(input: unknown): unknown {
    const at = copying ? "" : callSite();
    if (input === null || typeof input !== "object") throw new TypeErrorCtor(`design(…): pass an object with prompt, regions, components and handlers, got ${input === null ? "null" : typeof input}`);
    const token = freeze({ kind: "design" });
    designs.set(token, { input: { ...(input as Record<string, unknown>) }, at });
    return token;
  }

  const clusterlab = freeze({
    design,
    lb: block("lb"),
    pool: block("pool"),
    cache: block("cache"),
    sql: block("sql"),
    kv: block("kv"),
    queue: block("queue"),
    cdn: block("cdn"),
    objectStore: block("objectStore"),
    provider: block("provider"),
  });

  /** `require("clusterlab")`, as the transpiled `import { design } from "clusterlab"` asks for it. */
  const require = (name: unknown): unknown => {
    if (name === "clusterlab") return clusterlab;
    throw new TypeErrorCtor(`a design can import only "clusterlab", not ${safeStringify(name)}`);
  };

  // ---- Reading the design out of the default export ----

  function readDesign(): string {
    const root = (solution as { default?: unknown } | undefined)?.default;
    solution = undefined;
    const made = root !== null && typeof root === "object" ? designs.get(root) : undefined;
    if (!made) return fault('the solution must `export default design({ … })`, with design imported from "clusterlab"');
    const input = made.input;
    const components = input.components;
    if (components === null || typeof components !== "object") return fault(`design(…) at ${made.at || "?"}: components must be an object of named components (lb, pool, cache, sql, …)`);
    const componentData: Record<string, ComponentData> = {};
    for (const name of keys(components)) {
      const spec = (components as Record<string, unknown>)[name];
      if (spec === null || typeof spec !== "object" || typeof (spec as { kind?: unknown }).kind !== "string") {
        return fault(`components.${name}: make it with one of the building blocks (pool({ … }), cache({ … }), sql({ … }), …)`);
      }
      componentData[name] = parse(stringify(spec)) as ComponentData;
      kinds[name] = String((spec as { kind: string }).kind);
    }
    const handlerNames: string[] = [];
    const internalNames: string[] = [];
    for (const [field, list] of [["handlers", handlerNames], ["internal", internalNames]] as const) {
      const group = input[field];
      if (group === undefined && field === "internal") continue;
      if (group === null || typeof group !== "object") return fault(`design(…): ${field} must be an object of async functions, one per request type`);
      for (const name of keys(group)) {
        const fn = (group as Record<string, unknown>)[name];
        if (typeof fn !== "function") return fault(`${field}.${name} must be an async function (ctx, request) => response, got ${typeof fn}`);
        if (hasOwn(handlers, name)) return fault(`${field}.${name}: a handler of that name is already defined`);
        handlers[name] = fn as HandlerFn;
        list.push(name);
      }
    }
    let calls: unknown;
    try {
      calls = input.calls === undefined ? {} : parse(stringify(input.calls));
    } catch (error) {
      return fault(`design(…): calls cannot be read (${describeError(error)})`);
    }
    data = {
      prompt: String(input.prompt),
      regions: Array.isArray(input.regions) ? input.regions.map(String) : [],
      ...(input.entry !== undefined ? { entry: String(input.entry) } : {}),
      components: componentData,
      handlers: handlerNames,
      internal: internalNames,
      calls: (calls ?? {}) as DesignData["calls"],
      at: made.at,
    };
    return `s${stringify(data)}`;
  }

  // ---- ctx ----

  const now = (): number => nowMs;
  const random = (): number => rng.next();

  /**
   * A rejected call's error: an Error (instanceof, name, message, reason) made as a plain object, without
   * capturing a stack. It is raised by the engine's answer, at no line of the solution, so a stack would
   * name none; and a design under overload has hundreds of thousands of calls refused, where V8's stack
   * capture (and the override-tamed `name` assignment) took a third of such a run's time. Its stack is its
   * first line, as an Error's begins.
   */
  function callError(reason: CallFailure, text: string): Error {
    return { __proto__: errorPrototype, name: "CallError", message: text, stack: `CallError: ${text}`, reason } as unknown as Error;
  }

  /** Refuses arguments an op cannot take; the label is built only for the error. */
  function checkArgs(name: string, opName: string, sig: readonly ArgSig[], args: unknown[]): void {
    const label = () => `ctx.call("${name}", "${opName}")`;
    if (args.length > sig.length) throw new TypeErrorCtor(`${label()}: takes at most ${sig.length} arguments, got ${args.length}`);
    for (let i = 0; i < sig.length; i++) {
      const want = sig[i]!;
      const value = args[i];
      if (value === undefined && want.length === 2) continue;
      const base = want.charCodeAt(0);
      if (base === 115 /* s */) {
        if (typeof value !== "string") throw new TypeErrorCtor(`${label()}: argument ${i + 1} must be a string, got ${value === null ? "null" : typeof value}`);
        const max = i === 0 ? keyCharsMax : valueCharsMax;
        if (value.length > max) throw new TypeErrorCtor(`${label()}: argument ${i + 1} has ${value.length} characters (at most ${max})`);
      } else if (base === 107 /* k */) {
        if (!isArray(value) || value.length === 0 || value.length > keysPerCallMax) throw new TypeErrorCtor(`${label()}: argument ${i + 1} must be a list of 1 to ${keysPerCallMax} keys, got ${isArray(value) ? `${value.length} of them` : value === null ? "null" : typeof value}`);
        for (let k = 0; k < value.length; k++) {
          const key: unknown = value[k];
          if (typeof key !== "string") throw new TypeErrorCtor(`${label()}: key ${k + 1} of argument ${i + 1} must be a string, got ${key === null ? "null" : typeof key}`);
          if (key.length > keyCharsMax) throw new TypeErrorCtor(`${label()}: key ${k + 1} of argument ${i + 1} has ${key.length} characters (at most ${keyCharsMax})`);
        }
      } else if (base === 110 /* n */) {
        if (typeof value !== "number" || !(value >= 0 && value <= 86_400 * 365)) throw new TypeErrorCtor(`${label()}: argument ${i + 1} must be a number of seconds from 0 to a year, got ${safeStringify(value)}`);
      } else if (base === 105 /* i */) {
        if (typeof value !== "number" || !(value >= 0 && value <= 1e9) || value !== Math.floor(value)) throw new TypeErrorCtor(`${label()}: argument ${i + 1} must be a position (a whole number from 0), got ${safeStringify(value)}`);
      } else if (base === 111 /* o */) {
        if (value === null || typeof value !== "object") throw new TypeErrorCtor(`${label()}: argument ${i + 1} must be an options object, got ${value === null ? "null" : typeof value}`);
      }
    }
  }

  function makeCtx(request: number, zoneIndex: number): unknown {
    const region = data!.regions[Math.floor(zoneIndex / 3)] ?? data!.regions[0] ?? "";
    const zone = zones[zoneIndex % 3];
    let made = 0;
    // ctx.call waits for an answer; ctx.send (one-way) is checked the same and expects none.
    const outgoing = (oneWay: boolean) => (component: unknown, op: unknown, ...args: unknown[]): Promise<unknown> | undefined => {
      const name = typeof component === "string" ? component : "";
      const kind = hasOwn(kinds, name) ? kinds[name] : undefined;
      if (kind === undefined) throw new TypeErrorCtor(`ctx.call: the design has no component ${safeStringify(component)} (it has ${keys(kinds).join(", ")})`);
      const opName = typeof op === "string" ? op : "";
      if (kind === "pool") {
        if (!hasOwn(handlers, opName)) throw new TypeErrorCtor(`ctx.call("${name}", ${safeStringify(op)}): a pool's ops are the design's handlers (${keys(handlers).join(", ")})`);
        if (args.length > 1) throw new TypeErrorCtor(`ctx.call("${name}", "${opName}", …): a handler takes one request`);
      } else {
        const ops = componentOps[kind as keyof typeof componentOps];
        if (!ops) throw new TypeErrorCtor(`ctx.call("${name}", …): a ${kind} is not called; requests pass through it`);
        if (!hasOwn(ops, opName)) throw new TypeErrorCtor(`ctx.call("${name}", ${safeStringify(op)}): a ${kind} offers ${keys(ops).join(", ")}`);
        checkArgs(name, opName, ops[opName]!, args);
      }
      if (++made > callsPerRequestMax) throw new TypeErrorCtor(`ctx.call: one request made more than ${callsPerRequestMax} calls (a loop that never ends?)`);
      let argsJson: string | undefined;
      try {
        argsJson = stringify(args);
      } catch (error) {
        throw new TypeErrorCtor(`ctx.call("${name}", "${opName}"): the arguments cannot be sent as JSON (${describeError(error)})`);
      }
      if (oneWay) {
        outbox.push(encodeSend(request, name, opName, argsJson ?? "[]"));
        return undefined;
      }
      const id = nextCall++;
      outbox.push(encodeCall(id, request, name, opName, argsJson ?? "[]"));
      return new OriginalPromise((resolve, reject) => {
        pending.set(id, { resolve, reject, op: `${name}.${opName}` });
      });
    };
    // Only `call` is the request's own; the rest is shared (the ctx is the learner's object: nothing to guard).
    const call = outgoing(false);
    const send = outgoing(true);
    return { call, send, now, random, region, zone, log };
  }

  /**
   * Instance `id`'s handlers: the module evaluated once more for it (at its first request), or the words
   * of why that failed. Every name the boot's design offers must be a function in the copy too.
   */
  function instanceHandlers(id: number): Record<string, HandlerFn> | string {
    const known = instances.get(id);
    if (known) return known;
    if (!evaluateAgain) return "the sandbox gave no way to evaluate the module once per instance";
    const handlersRng = rng;
    rng = moduleRng;
    copying = true;
    try {
      const root = (evaluateAgain() as { default?: unknown } | undefined)?.default;
      const made = root !== null && typeof root === "object" ? designs.get(root) : undefined;
      if (!made) return "its module, evaluated for that instance, did not default-export a design";
      const own: Record<string, HandlerFn> = {};
      const groups = [made.input.handlers, made.input.internal] as Array<Record<string, unknown> | undefined>;
      for (const name of keys(handlers)) {
        const group = groups.find((g) => g !== null && typeof g === "object" && hasOwn(g, name));
        const fn = group?.[name];
        if (typeof fn !== "function") return `its module, evaluated for that instance, has no ${name} handler (a design must be the same on every instance)`;
        own[name] = fn as HandlerFn;
      }
      instances.set(id, own);
      return own;
    } catch (error) {
      return `its module's top level, evaluated for that instance, threw ${describeError(error)}`;
    } finally {
      rng = handlersRng;
      copying = false;
    }
  }

  function start(request: number, zoneIndex: number, text: string): void {
    const tab = text.indexOf("\t");
    const tab2 = text.indexOf("\t", tab + 1);
    const type = text.slice(0, tab);
    if (!hasOwn(handlers, type)) {
      outbox.push(encodeThrew(request, stringify(`no handler for "${type}" requests`)));
      return;
    }
    const own = instanceHandlers(Number(text.slice(tab + 1, tab2)));
    if (typeof own === "string") {
      outbox.push(encodeThrew(request, stringify(`the ${type} handler could not start on its instance: ${own}`)));
      return;
    }
    const handler = own[type]!;
    let result: unknown;
    try {
      result = handler(makeCtx(request, zoneIndex), parse(text.slice(tab2 + 1)));
    } catch (error) {
      outbox.push(encodeThrew(request, stringify(`the ${type} handler threw ${describeError(error)}`)));
      return;
    }
    const finish = (value: unknown): void => {
      let json: string | undefined;
      try {
        json = stringify(value === undefined ? null : value);
      } catch (error) {
        outbox.push(encodeThrew(request, stringify(`the ${type} handler's response cannot be sent as JSON (${describeError(error)})`)));
        return;
      }
      outbox.push(encodeDone(request, json ?? "null"));
    };
    const failed = (error: unknown): void => {
      outbox.push(encodeThrew(request, stringify(`the ${type} handler ${(error as { name?: unknown })?.name === "CallError" ? "failed: " : "rejected with "}${describeError(error)}`)));
    };
    let then: unknown;
    try {
      then = result !== null && typeof result === "object" ? (result as { then?: unknown }).then : undefined;
    } catch (error) {
      failed(error);
      return;
    }
    if (typeof then !== "function") {
      finish(result);
      return;
    }
    // Through a promise of our own and the unhooked `then`: neither counts as the learner's continuation.
    originalThen.call(OriginalPromise.resolve(result), finish, failed);
  }

  function settle(call: number, failure: number, text: string): void {
    const waiting = pending.get(call);
    if (!waiting) return;
    pending.delete(call);
    if (failure === 0) {
      waiting.resolve(text === "" ? undefined : parse(text));
      return;
    }
    const tab = text.indexOf("\t");
    waiting.reject(callError(text.slice(0, tab) as CallFailure, `${waiting.op}: ${text.slice(tab + 1)}`));
  }

  function answer(): string {
    const out = encodeEffects(progress, outbox);
    outbox = [];
    progress = false;
    return out;
  }

  function entry(kind: string, now: number, a: number, b: number, s: string): string {
    nowMs = now;
    try {
      switch (kind) {
        case DesignEntry.Spec:
          rng = createRng(a, "design");
          moduleRng = createRng(a, "design-modules");
          return readDesign();
        case DesignEntry.Start:
          start(a, b, s);
          break;
        case DesignEntry.Drop:
          instances.delete(a);
          break;
        case DesignEntry.Resolve:
          settle(a, b, s);
          break;
        case DesignEntry.Logs: {
          const out = droppedLogs ? [...logs, `… ${droppedLogs} more lines`] : logs;
          logs = [];
          droppedLogs = 0;
          return `s${stringify(out)}`;
        }
      }
    } catch (error) {
      outbox.push(encodeMisuse(stringify(`the design's runtime could not ${kind}: ${describeError(error)}`)));
    }
    return answer();
  }

  const noTimers = (): never => {
    throw new TypeErrorCtor("a design has no timers: handlers wait on ctx.call, and the engine keeps the time");
  };
  const realmConsole = freeze({ log, info: log, warn: (...a: unknown[]) => log("warn:", ...a), error: (...a: unknown[]) => log("error:", ...a), debug: log });
  const globals: RealmGlobals & { require: typeof require } = { ...timerlessGlobals(noTimers, () => nowMs, realmConsole), require };
  // Every instance's copy of the module gets these same objects: frozen, they carry nothing between copies.
  freezeOwn(clusterlab);
  freezeOwn(globals);
  freezeOwn(now);
  freezeOwn(random);
  return {
    entry,
    globals,
    now: () => nowMs,
    random: () => rng.next(),
    setExports: (value, again) => {
      solution = value;
      evaluateAgain = again;
    },
    markAsync: () => void (progress = true),
    continuationRan: () => void (progress = true),
  };
}

const fault = (text: string): string => `f${text}`;

