/** The wire protocols between the engine, the sandboxes' hosts and the learner realms: one named place. */
export * from "./effects.ts";
export * from "./host.ts";
export * from "./component-calls.ts";
export * from "./errors.ts";
export * from "./estimate-calls.ts";
