/** The Node side of the sandbox (isolated-vm, esbuild): used by the CLI and tests, never by the browser. */
export { createIsolatedVmSandbox } from "./isolated-vm.ts";
export { createOneRealmIvmSandbox } from "./one-realm-ivm.ts";
export { createProcessSandbox, type ProcessSandbox, type SandboxKind } from "./process-sandbox.ts";
export { realmReuseDefault, type ReuseStats, type ReusingSandbox, type SandboxOptions } from "./realm-reuse.ts";
export { transpileSolution, sandboxBundles, bundleScript, type TranspileError } from "./bundles.ts";
export { writeAside } from "./write-aside.ts";
export { isolateProcessFlags, mainThreadCompileFlags } from "./v8-flags.ts";
export { currentModuleBundle, keptModuleBundle, type ModuleBundle } from "./kept-module.ts";
