/**
 * Bootstraps a component exercise's learner realm in the isolated-vm sandbox: installs the component
 * runtime's globals onto the realm's own globalThis before the learner's code runs, and leaves one entry
 * function for the host to hand to the engine.
 */
import { createComponentRuntime } from "./component-runtime.ts";

const g = globalThis as Record<string, unknown>;

const runtime = createComponentRuntime(() => {
  // The solution script set this global; take it and leave nothing behind for learner code to find.
  const solution = g.__clusterlab_solution;
  g.__clusterlab_solution = undefined;
  return solution;
});

const { random, ...replaced } = runtime.globals;
Math.random = random;
Object.assign(g, replaced);
g.__clusterlab_entry = runtime.entry;
