/**
 * A learner realm's code (a node's, or a component's) in a realm it shares with the simulator and the
 * other nodes: the solution is evaluated as a function whose parameters shadow the globals that are per
 * node (timers, console, performance). Module-level state of the solution is per evaluation; everything
 * the realm shares (intrinsics, the global object) is frozen by the lockdown before any of this runs, and
 * Date and Math.random read the running node's clock (continuations.ts).
 */
import type { RealmGlobals } from "../../runtime/realm-globals.ts";
import { solutionBody } from "../../runtime/solution-body.ts";
import { freezeGraph } from "../../runtime/lockdown/freeze-graph.ts";
import { bindToActive, runAs, type ActiveRealm } from "./continuations.ts";

/** Every name a node's scope shadows, in parameter order. */
const shadowed = ["performance", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "console", "queueMicrotask", "require", "Promise"] as const satisfies ReadonlyArray<keyof RealmGlobals>;

/**
 * A realm whose runtime offers no `require` (node, component) fails as an isolated-vm realm without one does.
 * Frozen: every node of the realm is handed this one function, so a property on it would be memory they share.
 */
const noRequire = Object.freeze((): never => {
  throw new ReferenceError("require is not defined");
});

/** The values a learner realm's code sees for each shadowed name. */
export function learnerScope(globals: RealmGlobals): RealmGlobals {
  const { queueMicrotask } = globals;
  // A runtime without a Promise of its own (a component's) leaves the realm's, as in an isolate of its own.
  return { ...globals, require: globals.require ?? noRequire, Promise: globals.Promise ?? Promise, queueMicrotask: (fn: () => void) => queueMicrotask(bindToActive(fn)) };
}

/** The last solution compiled in this realm: every run of a grade evaluates the same text. */
let compiled: { js: string; factory: (...values: unknown[]) => unknown } | undefined;

/**
 * Compiles the solution for a run; each call evaluates it for one realm and returns the module exports. A
 * syntax error surfaces here, before any node boots. The function is frozen (with its `prototype`): a
 * sloppy body reaches it as `arguments.callee`, and every node's module comes from it. A later run of the
 * same text takes the same function, as an isolated-vm realm kept between runs does (runtime/realm.ts):
 * frozen, it carries nothing from one run to the next, and each evaluation is a fresh module. V8 then keeps
 * what it learnt of the learner's functions from run to run (a new function per run could start them cold
 * again once its compilation cache had dropped the text).
 */
export function compileSolution(solutionJs: string): (realm: ActiveRealm, scope: RealmGlobals) => unknown {
  if (compiled?.js !== solutionJs) {
    const factory = new Function(...shadowed, solutionBody(solutionJs)) as (...values: unknown[]) => unknown;
    freezeGraph([factory], true);
    compiled = { js: solutionJs, factory };
  }
  const { factory } = compiled;
  return (realm, scope) => runAs(realm, () => factory(...shadowed.map((name) => scope[name])));
}
