#!/usr/bin/env node
// Entry for `clusterlab` (npx, a linked or global install, or `node bin/clusterlab.mjs`). It needs Node 24.
//
// One Node start: this process never makes an isolate (every grade runs in a sandbox process, forked with
// the --no-node-snapshot that isolated-vm needs), so it does not re-execute itself to add that flag. It
// loads only the command it runs (src/cli/commands/index.ts), and `grade` forks its sandbox process before
// it loads the engine. Node's compile cache keeps the modules type-stripped and compiled between calls
// (Node checks each file's content, so an edited file is compiled again); NODE_COMPILE_CACHE is set for the
// children too.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const nodeStartedMs = performance.now();
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  // Called by an older Node (the shell's, through a linked bin): the project's own Node 24, when npm
  // installed it, runs the call instead: one more Node start, only on this path.
  const own = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
  if (existsSync(own) && !process.env.CLUSTERLAB_OWN_NODE) {
    const result = spawnSync(own, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, CLUSTERLAB_OWN_NODE: "1" } });
    process.exit(result.status ?? 2);
  }
  process.stderr.write(
    `clusterlab needs Node 24 or newer (this is ${process.version}).\n` +
      `Run it through npm (npx clusterlab …) in the project folder after \`npm install\`: the project's own Node 24 is used then.\n`,
  );
  process.exit(64);
}
if (!process.env.NODE_DISABLE_COMPILE_CACHE) {
  process.env.NODE_COMPILE_CACHE ||= join(tmpdir(), "node-compile-cache");
  module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
}
const { phases } = await import("../src/cli/phases.ts");
phases.mark("node start", nodeStartedMs);
const { main } = await import("../src/cli/main.ts");
phases.mark("load the CLI");
process.exitCode = await main(process.argv.slice(2));
phases.report();
