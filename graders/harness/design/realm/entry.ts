/**
 * Bootstraps a design exercise's realm in the isolated-vm sandbox: hooks promise continuations (the
 * engine drains this realm's microtasks between its events, and must know when one ran: a hop in which
 * none did means none is left), installs the design runtime's globals (its `require("clusterlab")` among
 * them) and leaves the entry and loader for the host.
 */
import { createDesignRuntime } from "../../../runtime/design-runtime.ts";
import { originalThen } from "../../../runtime/node-runtime.ts";
import { exposeRealm } from "../../../runtime/realm.ts";

const runtimes = exposeRealm(createDesignRuntime);
const continuationRan = (): void => runtimes.current().continuationRan();
const markAsync = (): void => runtimes.current().markAsync();

/**
 * A continuation wrapped so that the runtime hears it run. A missing one (`.catch(f)` has no onOk) is a
 * pass-through reaction: it becomes one that passes the value or the reason on, and is heard too, so that
 * every microtask of this realm either is a counted continuation or calls `then`.
 */
function counted(callback: unknown, rejects: boolean): unknown {
  if (typeof callback !== "function") {
    return rejects
      ? (reason: unknown) => {
          continuationRan();
          throw reason;
        }
      : (value: unknown) => {
          continuationRan();
          return value;
        };
  }
  return function continuation(this: unknown, value: unknown) {
    continuationRan();
    return (callback as (v: unknown) => unknown).call(this, value);
  };
}

Promise.prototype.then = function then(this: Promise<unknown>, onOk?: unknown, onErr?: unknown) {
  markAsync();
  return originalThen.call(this, counted(onOk, false) as never, counted(onErr, true) as never);
} as typeof Promise.prototype.then;
