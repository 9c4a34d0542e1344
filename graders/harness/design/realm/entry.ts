/**
 * Bootstraps a design exercise's realm in the isolated-vm sandbox: hooks promise continuations (the
 * engine drains this realm's microtasks between its events, and must know when one ran: a hop in which
 * none did means none is left), installs the design runtime's globals (its `require("clusterlab")` among
 * them) and leaves the entry and loader for the host.
 */
import { createDesignRuntime } from "./runtime.ts";
import { originalThen } from "../../../runtime/realm-globals.ts";
import { exposeRealm } from "../../../runtime/realm.ts";
import { countedReaction } from "../../../runtime/counted-reaction.ts";

const runtimes = exposeRealm(createDesignRuntime);
const continuationRan = (): void => runtimes.current().continuationRan();
const markAsync = (): void => runtimes.current().markAsync();

Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
  markAsync();
  return originalThen.call(this, countedReaction(continuationRan, onOk, false) as never, countedReaction(continuationRan, onErr, true) as never);
} as typeof Promise.prototype.then;
