/**
 * Bootstraps a component exercise's learner realm in the isolated-vm sandbox: installs the component
 * runtime's globals and leaves the entry and loader for the host. (A component's methods are
 * synchronous: no `then` hook.)
 */
import { createComponentRuntime } from "./runtime.ts";
import { exposeRealm } from "../../../runtime/realm.ts";

exposeRealm(createComponentRuntime);
