// This harness's learner-facing types (api.ts) as part of the "clusterlab" module the repository's own type
// check resolves (the exercises' solutions import it): every harness folder's copy of this file merges into
// that one ambient module, so no list names the harnesses. The CLI's type check and the editor read api.ts
// itself (runtime/api-dts.ts). "#harness-api/<name>" is tsconfig.json's path to graders/harness/<name>/api.ts.
declare module "clusterlab" {
  export * from "#harness-api/node";
}
