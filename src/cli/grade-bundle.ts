/**
 * The single-file grade's modules (grade-file.ts, the engine behind graders/index.ts, the exercise) as one
 * ES module bundle, kept on disk: Node then loads one file instead of some two hundred, each resolved,
 * read, compiled and linked on its own (~25 ms instead of ~120). It is the CPU this process spends while
 * the sandbox process boots beside it, and that boot is what a grade waits for.
 *
 * The bundle is per exercise (the exercise's `import … from "../../graders/index.ts"` must reach the
 * bundle's engine, not load a second one), kept with the hash of every file it was built from
 * (kept-inputs.ts) and built again, by esbuild, when one changed. Each module keeps its own
 * `import.meta.url` (the paths it finds files by); the modules the CLI has loaded before it stay their own
 * files (shared). Anything that fails here leaves the grade to the modules as they are (loadGradePath).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { inputsAsBuilt, inputsUnchanged, recordName, writeAside, type KeptInputs } from "../../graders/sandbox/node/index.ts";
import type { ExerciseDef } from "../../graders/index.ts";
import type { gradeSingleFile } from "./grade-file.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cacheDir = join(root, "node_modules", ".cache", "clusterlab", "cli");
const esbuildVersion = (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;

/**
 * Modules the CLI has already loaded when it loads the grade path, imported from their own files rather
 * than copied into the bundle: one instance of each, shared (UsageError, which the command catches by
 * class; the timings), and the Node side of the sandboxes (its caches of bundles and transpiles).
 */
const shared = (path: string): boolean =>
  path === join(root, "src", "cli", "command.ts") || path === join(root, "src", "cli", "phases.ts") || path.startsWith(join(root, "graders", "sandbox", "node") + "/");

export interface GradePath {
  gradeSingleFile: typeof gradeSingleFile;
  /** The exercise, loaded with the bundle (undefined: grade-file loads it). */
  exercise?: ExerciseDef;
}

/** The grade path for `slug`: from its bundle when it can be kept or built, else the modules themselves. */
export async function loadGradePath(slug: string): Promise<GradePath> {
  const exerciseFile = join(root, "exercises", slug, "exercise.ts");
  if (/^[a-z0-9-]+$/.test(slug) && existsSync(exerciseFile)) {
    try {
      const module = (await import(pathToFileURL(await keptBundle(exerciseFile)).href)) as GradePath;
      if (typeof module.gradeSingleFile === "function" && module.exercise) return module;
    } catch {
      // No esbuild, a read-only install, or an exercise that throws as it loads: the modules themselves
      // then load it (and say why, when it is the exercise).
    }
  }
  return { gradeSingleFile: (await import("./grade-file.ts")).gradeSingleFile };
}

interface BundleRecord {
  key: string;
  inputs: KeptInputs;
}

/** The path of the exercise's bundle, built first when there is none or an input changed. */
export async function keptBundle(exerciseFile: string): Promise<string> {
  const key = JSON.stringify({ format: 1, exerciseFile, esbuildVersion });
  const name = recordName(key);
  const recordFile = join(cacheDir, `${name}.json`);
  const bundleFile = join(cacheDir, `${name}.mjs`);
  try {
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as BundleRecord;
    if (record.key === key && existsSync(bundleFile) && (await inputsUnchanged(record.inputs))) return bundleFile;
  } catch {
    // no record, a torn one, or an input gone: build it
  }
  const builtAfter = Date.now() - 1000;
  const { text, inputs } = await build(exerciseFile);
  // Written whole (a process importing it meanwhile reads the old or the new), the record after it.
  writeAside(bundleFile, text);
  const kept = await inputsAsBuilt(inputs, builtAfter);
  if (kept) writeAside(recordFile, JSON.stringify({ key, inputs: kept } satisfies BundleRecord));
  return bundleFile;
}

/** The generated entry's name (in the metafile's inputs: no file). */
const entryName = "<grade path>";

async function build(exerciseFile: string): Promise<{ text: string; inputs: string[] }> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: {
      contents: `export { gradeSingleFile } from ${JSON.stringify(join(root, "src", "cli", "grade-file.ts"))};\nexport { default as exercise } from ${JSON.stringify(exerciseFile)};\n`,
      resolveDir: root,
      sourcefile: entryName,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "esnext",
    packages: "external",
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [ownFiles],
  });
  const text = result.outputFiles[0]!.text;
  // Any other import.meta (resolve, main…) would be the bundle's: such a module is not bundled.
  if (text.includes("import.meta")) throw new Error("a module of the grade path reads import.meta beyond its url, dirname and filename");
  return { text, inputs: Object.keys(result.metafile.inputs).filter((p) => p !== entryName).map((p) => resolve(root, p)) };
}

/** Each module keeps its own import.meta.url, dirname and filename; the shared modules stay their own files. */
const ownFiles: Plugin = {
  name: "clusterlab-grade-path",
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if ((args.pluginData as { inner?: boolean } | undefined)?.inner) return undefined;
      const found = await build.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: { inner: true } });
      if (found.errors.length > 0) return { errors: found.errors };
      return shared(found.path) ? { path: pathToFileURL(found.path).href, external: true } : found;
    });
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, part: string) =>
        JSON.stringify(part === "url" ? pathToFileURL(args.path).href : part === "dirname" ? dirname(args.path) : args.path),
      ),
      loader: "ts",
    }));
  },
};
