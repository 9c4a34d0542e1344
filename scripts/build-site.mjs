// Runs `astro build` in a child process with the Node that runs this script (npm scripts use the
// project's Node 24). Telemetry is off so a build never reaches for the network.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const astroBin = fileURLToPath(new URL("../node_modules/astro/bin/astro.mjs", import.meta.url));

// Vitest copies Vite's import.meta.env into process.env (MODE=test, DEV=1, PROD="", SSR=1, BASE_URL)
// and sets NODE_ENV=test; a child build that inherits them renders a dev-mode site (Starlight then
// replaces search with a "production builds only" notice). Drop them.
const LEAKED_VITE_ENV = ["MODE", "DEV", "PROD", "SSR", "BASE_URL", "NODE_ENV", "VITEST", "TEST"];

function buildEnv() {
  const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" };
  for (const name of LEAKED_VITE_ENV) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("VITEST_")) delete env[name];
  return env;
}

/** Builds the site into dist/. Resolves when done; rejects with the build's output on failure. */
export function buildSite({ quiet = false } = {}) {
  return new Promise((resolveBuild, rejectBuild) => {
    const child = spawn(process.execPath, [astroBin, "build"], {
      cwd: projectRoot,
      env: buildEnv(),
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
