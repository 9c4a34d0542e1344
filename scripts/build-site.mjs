// Runs `astro build` in a child process with the Node that runs this script (npm scripts use the
// project's Node 24). Telemetry is off so a build never reaches for the network.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const astroBin = fileURLToPath(new URL("../node_modules/astro/bin/astro.mjs", import.meta.url));

/** Builds the site into dist/. Resolves when done; rejects with the build's output on failure. */
export function buildSite({ quiet = false } = {}) {
  return new Promise((resolveBuild, rejectBuild) => {
    const child = spawn(process.execPath, [astroBin, "build"], {
      cwd: projectRoot,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", rejectBuild);
    child.on("exit", (code) => {
      if (code === 0) resolveBuild(output);
      else rejectBuild(new Error(`astro build failed (exit ${code})\n${output.slice(-4000)}`));
    });
  });
}
