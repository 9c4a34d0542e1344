/**
 * How the editor turns the learner's TypeScript into a script the grader can run. Monaco's own TypeScript
 * emits it (TypeScript 7 is native and cannot run in a browser), with async/await lowered, as the CLI's
 * esbuild step does: the node runtime sees continuations through `then`.
 */
import { clusterlabModuleDts, harnessOfApiFile } from "../../graders/index.ts";

/** Each harness's learner-facing declarations (its folder's api.ts), as text. */
const apiSources = import.meta.glob<string>("../../graders/harness/*/api.ts", { eager: true, query: "?raw", import: "default" });

/** TypeScript's enum values, spelled out so this module does not pull Monaco in. */
const ScriptTarget = { ES2016: 3 } as const;
const ModuleKind = { CommonJS: 1 } as const;

/** Compiler options for the editor's model: type checking as `npx clusterlab grade` does it, and the emit. */
export const solutionCompilerOptions = {
  target: ScriptTarget.ES2016,
  module: ModuleKind.CommonJS,
  lib: ["es2022"],
  strict: true,
  noEmitOnError: false,
  // The emit's .js.map goes with the script to the grader, so a runtime error names the learner's line.
  sourceMap: true,
  esModuleInterop: false,
  allowNonTsExtensions: true,
  types: [] as string[],
};

/** `declare module "clusterlab" { … }`: add it to the editor with `addExtraLib(nodeApiDts, "clusterlab.d.ts")`. */
export const nodeApiDts = clusterlabModuleDts(Object.fromEntries(Object.entries(apiSources).map(([path, source]) => [harnessOfApiFile(path)!, source])));
