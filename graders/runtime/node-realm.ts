/**
 * Bootstraps one node's realm in the isolated-vm sandbox: runs before the learner's code, installs the
 * node's runtime globals onto the realm's own globalThis, and leaves one entry function for the host.
 */
import { createNodeRuntime, originalThen } from "./node-runtime.ts";
import { installOnRealm, takeSolutionGlobal } from "./realm.ts";

const runtime = createNodeRuntime(takeSolutionGlobal);
installOnRealm(runtime);
// Every continuation in this realm is this node's: any `then` means the simulator must flush it.
Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
  runtime.markAsync();
  return originalThen.call(this, onOk as never, onErr as never);
} as typeof Promise.prototype.then;
