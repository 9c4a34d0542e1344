/**
 * Bootstraps one node's realm in the isolated-vm sandbox: runs before the learner's code, installs the
 * node's runtime globals onto the realm's own globalThis, and leaves one entry function for the host.
 */
import { createNodeRuntime, originalThen } from "./node-runtime.ts";

const g = globalThis as Record<string, unknown>;

const runtime = createNodeRuntime(() => {
  // The solution script set this global; take it and leave nothing behind for learner code to find.
  const solution = g.__clusterlab_solution;
  g.__clusterlab_solution = undefined;
  return solution;
});

const { random, ...replaced } = runtime.globals;
Math.random = random;
Object.assign(g, replaced);
// Every continuation in this realm is this node's: any `then` means the simulator must flush it.
Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
  runtime.markAsync();
  return originalThen.call(this, onOk as never, onErr as never);
} as typeof Promise.prototype.then;
g.__clusterlab_entry = runtime.entry;
