/**
 * A learner realm's code (a node's, or a component's) in a realm it shares with the simulator and the other nodes: the solution is evaluated as
 * a function whose parameters shadow the globals a node must not share (clock, timers, randomness,
 * console) or must not reach at all (the Worker's messaging and network). Module-level state of the
 * solution is per evaluation, so nodes share nothing by accident; the Worker, not this scope, is the
 * security boundary (it runs in a sandboxed iframe with no network).
 */
import type { NodeGlobals } from "../../runtime/node-runtime.ts";
import { bindToActive, runAs, type AsyncTracker } from "./continuations.ts";

/** Names a node's code sees as undefined. */
const hidden = [
  "globalThis", "self", "window", "global", "process", "require", "module", "exports",
  "postMessage", "close", "onmessage", "onerror", "addEventListener", "removeEventListener", "dispatchEvent",
  "importScripts", "fetch", "XMLHttpRequest", "WebSocket", "EventSource", "Worker", "SharedWorker",
  "indexedDB", "caches", "navigator", "location", "BroadcastChannel", "MessageChannel",
];

function nodeMath(random: () => number): Math {
  const math = Object.create(Object.getPrototypeOf(Math)) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(Math)) math[key] = (Math as unknown as Record<PropertyKey, unknown>)[key];
  math.random = random;
  return Object.freeze(math) as unknown as Math;
}

/** The values a learner realm's code sees for each shadowed name. */
export function learnerScope(globals: NodeGlobals): Record<string, unknown> {
  const { random, queueMicrotask, ...rest } = globals;
  const scope: Record<string, unknown> = Object.fromEntries(hidden.map((name) => [name, undefined]));
  return {
    ...scope,
    ...rest,
    Math: nodeMath(random),
    queueMicrotask: (fn: () => void) => queueMicrotask(bindToActive(fn)),
  };
}

/** Every name a node's scope shadows, in parameter order. */
const shadowed: readonly string[] = [
  ...hidden,
  "Math", "Date", "performance", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "console", "queueMicrotask",
];

/**
 * Compiles the solution script once for a run; each call evaluates it for one node and returns the module
 * exports (the script sets `__clusterlab_solution`, as in the isolated-vm sandbox).
 */
export function compileSolution(solutionJs: string): (realm: AsyncTracker, scope: Record<string, unknown>) => unknown {
  const body = `${solutionJs}\n;return typeof __clusterlab_solution === "undefined" ? undefined : __clusterlab_solution;`;
  // A syntax error surfaces here, before any node boots, as it does when isolated-vm compiles the script.
  const factory = new Function(...shadowed, body) as (...values: unknown[]) => unknown;
  return (realm, scope) => runAs(realm, () => factory(...shadowed.map((name) => scope[name])));
}
