/**
 * Bootstraps an estimation drill's learner realm in the isolated-vm sandbox: installs the estimate runtime's
 * globals and leaves the entry and loader for the host (realm.ts). The function is synchronous: no `then` hook.
 */
import { createEstimateRuntime } from "./runtime.ts";
import { exposeRealm } from "../../../runtime/realm.ts";

exposeRealm(createEstimateRuntime);
