/**
 * Builds the code that runs inside the sandbox: the simulator realm's bundle, the node realm's runtime, and
 * the learner's solution transpiled from TypeScript. Node-only (esbuild); the browser build gets the same
 * bundles from Vite.
 */
import { build, transform, version as esbuildVersion, type BuildOptions } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { harnesses, type HarnessName } from "../../harness/index.ts";

/** Each harness names its realm entry relative to graders/ (Harness.realmBundle). */
const gradersDir = fileURLToPath(new URL("../../", import.meta.url));
const engineRealmEntry = fileURLToPath(new URL("../engine-realm.ts", import.meta.url));
let cached: Promise<SandboxBundles> | undefined;

export interface SandboxBundles {
  /** The engine realm's script (sandbox/engine-realm.ts). */
  simJs: string;
  /** Each harness's learner-realm runtime script, by harness name. */
  realmJs: Record<HarnessName, string>;
}

const bundleOptions = {
  bundle: true,
  format: "iife",
  target: "es2022",
  write: false,
  minify: false,
  legalComments: "none",
  // Strict code has no `caller` or sloppy `this` to walk: a learner's function called by the runtime
  // finds `arguments.callee.caller === null`, never a runtime or engine function.
  banner: { js: '"use strict";' },
} as const satisfies BuildOptions;

/** One TypeScript entry and what it imports, as a classic script that runs in an empty realm. */
export async function bundleScript(entryPath: string): Promise<string> {
  return (await buildBundle(entryPath)).text;
}

async function buildBundle(entryPath: string): Promise<{ text: string; inputs: string[] }> {
  const result = await build({ ...bundleOptions, entryPoints: [entryPath], metafile: true });
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs).map((p) => resolve(p)) };
}

/**
 * A bundle kept on disk with the hash of every file it was built from: a process that finds each input
 * unchanged reads the bundle instead of building it (esbuild's start and build are most of a sandbox
 * process's start). The record's name hashes what else shapes the text: the entry, esbuild's version and
 * options, and the working folder (the bundle's comments name files relative to it).
 */
const bundleCacheDir = fileURLToPath(new URL("../../../node_modules/.cache/clusterlab/bundles/", import.meta.url));

interface BundleRecord {
  inputs: Record<string, string>;
  text: string;
}

const hashOf = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

async function cachedBundle(entryPath: string): Promise<string> {
  const file = join(bundleCacheDir, `${hashOf(JSON.stringify({ format: 1, entryPath, esbuildVersion, bundleOptions, cwd: process.cwd() }))}.json`);
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as BundleRecord;
    if (Object.entries(record.inputs).every(([path, hash]) => hashOf(readFileSync(path)) === hash)) return record.text;
  } catch {
    // no record, a torn one, or an input gone: build it
  }
  const builtAfter = Date.now() - 1000;
  const { text, inputs } = await buildBundle(entryPath);
  try {
    // A file saved while esbuild read it may hash unlike what was bundled: such a build is not kept.
    if (inputs.some((path) => statSync(path).mtimeMs > builtAfter)) return text;
    const record: BundleRecord = { inputs: Object.fromEntries(inputs.map((path) => [path, hashOf(readFileSync(path))])), text };
    mkdirSync(bundleCacheDir, { recursive: true });
    // Written aside and renamed: another process never reads half a record.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, file);
  } catch {
    // a read-only install builds every time
  }
  return text;
}

/** The sandbox bundles (the engine's realm, each harness's learner realm), built once per process. */
export function sandboxBundles(): Promise<SandboxBundles> {
  const bundle = (entry: string) => cachedBundle(`${gradersDir}${entry}`);
  cached ??= (async () => {
    const names = Object.keys(harnesses) as HarnessName[];
    const [simJs, ...realms] = await Promise.all([cachedBundle(engineRealmEntry), ...names.map((name) => bundle(harnesses[name].realmBundle))]);
    return { simJs: simJs!, realmJs: Object.fromEntries(names.map((name, i) => [name, realms[i]!])) as Record<HarnessName, string> };
  })();
  return cached;
}

export interface TranspileError {
  line: number;
  column: number;
  text: string;
}

/**
 * TypeScript → a script that sets `var __clusterlab_solution` to the module's exports (the sandboxes run
 * it as a function body: see runtime/solution-body.ts). async/await are lowered
 * to promise `.then` chains, which the node runtime observes to run continuations at the right virtual time.
 */
export async function transpileSolution(source: string, file: string): Promise<{ js: string; /** Version 3 source map, for error locations in the learner's file. */ map: string } | { errors: TranspileError[] }> {
  try {
    const result = await transform(source, {
      loader: "ts",
      format: "iife",
      globalName: "__clusterlab_solution",
      target: "es2022",
      supported: { "async-await": false, "async-generator": false, "for-await": false },
      sourcefile: file,
      sourcemap: "external",
      logLevel: "silent",
    });
    // "clusterlab" has run-time values in a design exercise (its building blocks: harness/design/realm/runtime.ts).
    const imported = [...result.code.matchAll(/\brequire\(("[^"]*"|'[^']*')\)/g)].map((m) => m[1]!.slice(1, -1));
    const other = imported.find((name) => name !== "clusterlab");
    if (other !== undefined && /^\s*import\s+(?!type\b)/m.test(source)) {
      const lines = source.split("\n");
      const line = (lines.findIndex((l) => /^\s*import\s+(?!type\b)/.test(l) && l.includes(other)) + 1) || lines.findIndex((l) => /^\s*import\s+(?!type\b)/.test(l)) + 1;
      return { errors: [{ line, column: 1, text: 'a solution cannot import modules at run time; use `import type { Node } from "clusterlab"` for types' }] };
    }
    return { js: result.code, map: result.map };
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors ?? [];
    if (errors.length === 0) throw error;
    return { errors: errors.map((e) => ({ line: e.location?.line ?? 0, column: (e.location?.column ?? 0) + 1, text: e.text })) };
  }
}
