// The "clusterlab" module as the repository's own type check resolves it (tsconfig.json `paths`): every
// harness's learner-facing declarations (graders/harness/<name>/api.ts) in one module, as the CLI type
// check and the editor gather them (api-dts.ts). TypeScript resolves a path to one file and has no glob, so
// this is the one list of them: tests/harness-registry.test.ts holds it to the api.ts files on disk.
// Type exports, but for the design building blocks, declared functions (harness/design/realm/runtime.ts
// implements them in the realm): a value export. Nothing here runs.
export type * from "../harness/component/api.ts";
export * from "../harness/design/api.ts";
export type * from "../harness/estimate/api.ts";
export type * from "../harness/node/api.ts";
