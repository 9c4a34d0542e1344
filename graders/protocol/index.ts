/**
 * The wire protocols between the engine, the sandboxes' hosts and the learner realms: one named place.
 * (estimate-calls.ts, the estimation drills' realm protocol, is imported by its two ends directly: its
 * tag helpers share names with the component protocol's.)
 */
export * from "./effects.ts";
export * from "./host.ts";
export * from "./component-calls.ts";
export * from "./errors.ts";
