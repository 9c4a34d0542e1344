/**
 * In one realm, every node's promise continuations share one microtask queue. The simulator needs to know
 * which node left work pending (to flush that node's outbox), so the `then` hook marks the node whose code
 * is running, and binds each callback to that node so that its own continuations are attributed the same
 * way when they run later. This is what a realm per node gives for free in the isolated-vm sandbox.
 */
import { originalThen } from "../../runtime/node-runtime.ts";

/** Whatever learner realm runs: told when its code queued a promise continuation. */
export interface AsyncTracker {
  markAsync(): void;
}

let active: AsyncTracker | undefined;
let installed = false;

/** Runs `fn` as the given node: its promise callbacks are attributed to that node. */
export function runAs<T>(runtime: AsyncTracker, fn: () => T): T {
  const previous = active;
  active = runtime;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

function bind(runtime: AsyncTracker, callback: unknown): unknown {
  if (typeof callback !== "function") return callback;
  return (value: unknown) => runAs(runtime, () => (callback as (v: unknown) => unknown)(value));
}

/** Binds a microtask to the node that queued it. */
export function bindToActive<T extends (...args: never[]) => unknown>(fn: T): T {
  return (active ? bind(active, fn) : fn) as T;
}

/** Hooks Promise.prototype.then once per realm; code outside any node (the engine) is not affected. */
export function installContinuationHook(): void {
  if (installed) return;
  installed = true;
  Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
    const runtime = active;
    if (!runtime) return originalThen.call(this, onOk as never, onErr as never);
    runtime.markAsync();
    return originalThen.call(this, bind(runtime, onOk) as never, bind(runtime, onErr) as never);
  } as typeof Promise.prototype.then;
}
