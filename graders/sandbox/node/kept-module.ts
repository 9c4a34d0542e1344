/**
 * A process's modules as one ES module bundle kept on disk (the CLI's grade path, the sandbox process):
 * Node loads one file instead of each module resolved, read, compiled and linked on its own, which costs
 * most in a process without its start-up snapshot. Kept with the hash of every file it was built from
 * (kept-inputs.ts) and built again, by esbuild, when one changed. Each module keeps its own
 * `import.meta.url`, `dirname` and `filename` (the paths it finds files by); a build whose text still reads
 * any other import.meta is refused. `shared` modules stay their own files.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { inputsAsBuilt, inputsUnchanged, recordName, type KeptInputs } from "./kept-inputs.ts";
import { writeAside } from "./write-aside.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const cacheDir = join(root, "node_modules", ".cache", "clusterlab", "modules");
const esbuildVersion = (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;

export interface ModuleBundle {
  /** The entry's source (TypeScript), its imports by absolute path. */
  entry: string;
  /** Modules imported from their own files, not copied into the bundle. */
  shared?: (path: string) => boolean;
}

interface BundleRecord {
  key: string;
  inputs: KeptInputs;
}

function places(bundle: ModuleBundle): { key: string; recordFile: string; bundleFile: string } {
  // The shared modules' rule is code: its text is in the key.
  const key = JSON.stringify({ format: 1, entry: bundle.entry, shared: String(bundle.shared ?? ""), esbuildVersion });
  const name = recordName(key);
  return { key, recordFile: join(cacheDir, `${name}.json`), bundleFile: join(cacheDir, `${name}.mjs`) };
}

/**
 * The bundle's path when it is kept and its inputs look unchanged by size and modification time alone
 * (no file read; a process about to fork asks), else undefined.
 */
export function currentModuleBundle(bundle: ModuleBundle): string | undefined {
  const { key, recordFile, bundleFile } = places(bundle);
  try {
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as BundleRecord;
    if (record.key !== key || !existsSync(bundleFile)) return undefined;
    for (const [path, input] of Object.entries(record.inputs)) {
      const stat = statSync(path);
      if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs) return undefined;
    }
    return bundleFile;
  } catch {
    return undefined;
  }
}

/** The bundle's path, built first when there is none or an input changed. */
export async function keptModuleBundle(bundle: ModuleBundle): Promise<string> {
  const { key, recordFile, bundleFile } = places(bundle);
  try {
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as BundleRecord;
    if (record.key === key && existsSync(bundleFile) && (await inputsUnchanged(record.inputs))) return bundleFile;
  } catch {
    // no record, a torn one, or an input gone: build it
  }
  const builtAfter = Date.now() - 1000;
  const { text, inputs } = await build(bundle);
  // Written whole (a process importing it meanwhile reads the old or the new), the record after it.
  writeAside(bundleFile, text);
  const kept = await inputsAsBuilt(inputs, builtAfter);
  if (kept) writeAside(recordFile, JSON.stringify({ key, inputs: kept } satisfies BundleRecord));
  return bundleFile;
}

/** The generated entry's name (in the metafile's inputs: no file). */
const entryName = "<entry>";

async function build(bundle: ModuleBundle): Promise<{ text: string; inputs: string[] }> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: { contents: bundle.entry, resolveDir: root, sourcefile: entryName, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "esnext",
    packages: "external",
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [ownFiles(bundle.shared ?? (() => false))],
  });
  const text = result.outputFiles[0]!.text;
  if (text.includes("import.meta")) throw new Error("a bundled module reads import.meta beyond its url, dirname and filename");
  return { text, inputs: Object.keys(result.metafile.inputs).filter((p) => p !== entryName).map((p) => resolve(root, p)) };
}

/** Each module keeps its own import.meta.url, dirname and filename; the shared modules stay their own files. */
function ownFiles(shared: (path: string) => boolean): Plugin {
  return {
    name: "clusterlab-own-files",
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
}
