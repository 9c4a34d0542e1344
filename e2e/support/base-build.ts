// The site built for a base path, as GitHub Pages serves a project (.github/workflows/pages.yml): astro
// build with CLUSTERLAB_BASE and CLUSTERLAB_SITE into a folder of its own, so the root build in dist/ is
// left alone. Rebuilt only when a source is newer than the last such build.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./site.ts";

const SOURCES = ["content", "src", "graders", "exercises", "scripts", "public", "astro.config.mjs", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Environment for a child build: Vitest's copy of Vite's env (BASE_URL, MODE…) would make a dev-mode site. */
function buildEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: "1", ...extra };
  for (const name of ["MODE", "DEV", "PROD", "SSR", "BASE_URL", "NODE_ENV", "VITEST", "TEST"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("VITEST_")) delete env[name];
  return env;
}

export interface BaseBuild {
  /** The folder to serve: the site is in its subfolder named as the base. */
  serveRoot: string;
  /** The build's output (empty when an earlier build was reused). */
  output: string;
  seconds: number;
}

/** Builds the site for `base` (e.g. "/clusterlab/") and `site` into test-results/base-build/<base>/. */
export async function buildUnderBase(base: string, site: string): Promise<BaseBuild> {
  const serveRoot = join(root, "test-results", "base-build");
  const outDir = join(serveRoot, base.replace(/^\/|\/$/g, ""));
  const stamp = join(serveRoot, ".stamp");
  const newest = Math.max(...SOURCES.map((p) => newestMtime(join(root, p))));
  if (existsSync(stamp) && statSync(stamp).mtimeMs > newest && existsSync(join(outDir, "index.html"))) return { serveRoot, output: "", seconds: 0 };
  mkdirSync(serveRoot, { recursive: true });
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "node_modules", "astro", "bin", "astro.mjs"), "build", "--outDir", outDir], {
      cwd: root,
      env: buildEnv({ CLUSTERLAB_BASE: base, CLUSTERLAB_SITE: site }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.stderr.on("data", (chunk) => (text += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`astro build under ${base} failed (exit ${code})\n${text.slice(-4000)}`))));
  });
  writeFileSync(stamp, new Date().toISOString());
  return { serveRoot, output, seconds: (Date.now() - started) / 1000 };
}
