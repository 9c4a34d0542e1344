/**
 * The `Promise` a node's code sees: the realm's own Promise in every way that matters, except that calling a
 * resolve or reject function it handed out tells the runtime.
 *
 * Why: a node keeps a promise's resolver and calls it later from a message handler, the usual way to
 * wait for a reply (`pending.set(id, resolve)`; the reply's handler calls `pending.get(id)(msg)`). The
 * `await` suspended on that promise continues in a microtask that V8 queues internally, past the
 * `Promise.prototype.then` hook that the sandboxes use to notice continuations, so without this the
 * simulator would not flush the node and the continuation would run only at the node's next event (which
 * may never come). Marking at the resolver costs nothing when no resolver is called: no extra flush.
 *
 * What stays the same, so that no history changes for code that never calls a stored resolver:
 * - `new Promise(…)` returns a promise of the realm's own Promise (its `constructor` is the realm's), so
 *   `await` takes V8's fast path and continuations run in the same microtask turns as before;
 * - the statics (`resolve`, `all`, `race`, …) are the realm's own, called on the realm's Promise, so
 *   `Promise.resolve(p) === p` still holds for a promise `p`;
 * - `instanceof Promise` and subclassing (`class P extends Promise`) work, since the prototype is shared.
 * What differs: `Promise.prototype.constructor !== Promise` (it is the realm's Promise); nothing in the
 * node API relies on it.
 */

type Executor = (resolve: (value: unknown) => void, reject: (reason: unknown) => void) => void;

// Captured before learner code runs.
const NativePromise = Promise;
const { apply, construct, defineProperty, ownKeys, getOwnPropertyDescriptor } = Reflect;
const { freeze } = Object;

/** A `Promise` for one node whose resolvers call `marked()` before they settle the promise. */
export function markingPromise(marked: () => void): PromiseConstructor {
  const mark = <F extends (arg: unknown) => void>(settle: F): F =>
    function settleAndMark(arg: unknown): void {
      marked();
      apply(settle, undefined, [arg]);
    } as F;

  // A function, not a class, so that its prototype can be the realm's Promise.prototype.
  function Promise(this: unknown, executor: Executor): unknown {
    if (new.target === undefined) throw new TypeError("Promise constructor cannot be invoked without 'new'");
    if (typeof executor !== "function") throw new TypeError(`Promise resolver ${typeof executor} is not a function`);
    const wrapped: Executor = (resolve, reject) => apply(executor, undefined, [mark(resolve), mark(reject)]);
    // new.target is this function for `new Promise(…)`: build the realm's own promise then; a subclass keeps its own.
    return construct(NativePromise, [wrapped], new.target === Promise ? NativePromise : new.target);
  }

  // The statics, bound to the realm's Promise: they build realm promises and never call a learner's resolver.
  for (const key of ownKeys(NativePromise)) {
    if (key === "prototype" || key === "length" || key === "name") continue;
    const descriptor = getOwnPropertyDescriptor(NativePromise, key)!;
    if (typeof descriptor.value === "function") descriptor.value = bindStatic(descriptor.value as (...args: unknown[]) => unknown);
    else if (descriptor.get) {
      const get = descriptor.get;
      descriptor.get = () => apply(get, NativePromise, []);
    }
    defineProperty(Promise, key, descriptor);
  }
  // withResolvers hands its resolvers to the caller: those must mark too.
  if (typeof (NativePromise as { withResolvers?: unknown }).withResolvers === "function") {
    const withResolvers = (NativePromise as unknown as { withResolvers: () => { promise: unknown; resolve: (v: unknown) => void; reject: (r: unknown) => void } }).withResolvers;
    defineProperty(Promise, "withResolvers", {
      value: function withResolversMarked() {
        const r = apply(withResolvers, NativePromise, []);
        return { promise: r.promise, resolve: mark(r.resolve), reject: mark(r.reject) };
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  defineProperty(Promise, "prototype", { value: NativePromise.prototype, writable: false, enumerable: false, configurable: false });
  // Frozen with its statics, as the lockdown freezes the realm's own: in the one-realm sandbox it is made
  // after the lockdown, and nothing a node can reach may be left writable.
  for (const key of ownKeys(Promise)) {
    const value = getOwnPropertyDescriptor(Promise, key)!.value as unknown;
    if (typeof value === "function" && key !== "prototype") freeze(value);
  }
  return freeze(Promise) as unknown as PromiseConstructor;
}

function bindStatic(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const bound = (...args: unknown[]): unknown => apply(fn, NativePromise, args);
  defineProperty(bound, "name", { value: fn.name });
  return bound;
}
