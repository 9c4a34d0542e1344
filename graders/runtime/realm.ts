/**
 * What every learner-realm bootstrap does in the isolated-vm sandbox, where each realm is its own
 * globalThis: hand the solution's exports to the runtime exactly once, put the runtime's clock, timers
 * and randomness in place of the realm's, and leave one entry function for the host.
 */
import type { NodeGlobals } from "./node-runtime.ts";

const g = globalThis as Record<string, unknown>;

/** The exports the solution script left in `__clusterlab_solution`; nothing is left behind for learner code. */
export function takeSolutionGlobal(): unknown {
  const solution = g.__clusterlab_solution;
  g.__clusterlab_solution = undefined;
  return solution;
}

export function installOnRealm(runtime: { globals: NodeGlobals; entry: unknown }): void {
  const { random, ...replaced } = runtime.globals;
  Math.random = random;
  Object.assign(g, replaced);
  g.__clusterlab_entry = runtime.entry;
}
