/**
 * Bootstraps a component exercise's learner realm in the isolated-vm sandbox: installs the component
 * runtime's globals onto the realm's own globalThis before the learner's code runs, and leaves one entry
 * function for the host to hand to the engine. (A component's methods are synchronous: no `then` hook.)
 */
import { createComponentRuntime } from "./component-runtime.ts";
import { installOnRealm, takeSolutionGlobal } from "./realm.ts";

installOnRealm(createComponentRuntime(takeSolutionGlobal));
