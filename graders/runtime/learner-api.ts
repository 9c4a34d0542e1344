// The "clusterlab" module as the repository's own type check resolves it (tsconfig.json `paths`): every
// harness's learner-facing declarations in one module, as the CLI type check and the editor wrap them
// (api-dts.ts). Type exports only: nothing here runs.
export type * from "../harness/node/api.ts";
export type * from "../harness/estimate/api.ts";
// The design exercises' building blocks are declared functions (harness/design/realm/runtime.ts implements them in the realm): a value export.
export * from "../harness/design/api.ts";
