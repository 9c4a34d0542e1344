#!/usr/bin/env node
// Entry for `npx clusterlab`. isolated-vm needs Node >= 24 started with --no-node-snapshot, so this
// shim checks the version and re-executes itself with the flag when it is missing.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `clusterlab needs Node 24 or newer (this is ${process.version}).\n` +
      `Run it through npm (npx clusterlab …) in the project folder after \`npm install\`: the project's own Node 24 is used then.\n`,
  );
  process.exit(64);
}
if (!process.execArgv.includes("--no-node-snapshot")) {
  const result = spawnSync(
    process.execPath,
    ["--no-node-snapshot", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(result.status ?? 2);
}
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
