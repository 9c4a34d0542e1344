/**
 * Bootstraps one node's realm in the isolated-vm sandbox: runs before the learner's code, hooks promise
 * continuations, installs the node's runtime globals, and leaves the entry and loader for the host.
 */
import { createNodeRuntime } from "./runtime.ts";
import { originalThen } from "../../../runtime/realm-globals.ts";
import { exposeRealm } from "../../../runtime/realm.ts";

const runtimes = exposeRealm(createNodeRuntime);
// Every continuation in this realm is this node's: any `then` means the simulator must flush it.
Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
  runtimes.current().markAsync();
  return originalThen.call(this, onOk as never, onErr as never);
} as typeof Promise.prototype.then;
