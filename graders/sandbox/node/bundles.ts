/**
 * Builds the code that runs inside the sandbox: the simulator realm's bundle, the node realm's runtime, and
 * the learner's solution transpiled from TypeScript. Node-only (esbuild); the browser build gets the same
 * bundles from Vite.
 */
import type { BuildOptions, TransformOptions } from "esbuild";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeAside } from "./write-aside.ts";
import { hashOf, inputsAsBuilt, inputsUnchanged, recordName, type KeptInputs } from "./kept-inputs.ts";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// Nothing here imports the engine or esbuild up front: the sandbox process loads this module and, when
// every bundle is on disk, needs neither (esbuild's module alone takes ~25 ms to load).
const esbuild = () => import("esbuild");
const esbuildVersion = (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;

const harnessDir = fileURLToPath(new URL("../../harness/", import.meta.url));
const engineRealmEntry = fileURLToPath(new URL("../engine-realm.ts", import.meta.url));
let cached: Promise<SandboxBundles> | undefined;

export interface SandboxBundles {
  /** The engine realm's script (sandbox/engine-realm.ts). */
  simJs: string;
  /** Each harness's learner-realm runtime script, by harness name. */
  realmJs: Readonly<Record<string, string>>;
}

/**
 * Each harness's learner-realm entry, by name: graders/harness/<name>/realm/entry.ts, the folder layout
 * harness/types.ts describes. Found on disk rather than read from the registry, which would load every
 * engine into the sandbox process (tests/graders/harness.test.ts holds the two to the same names).
 */
export function realmEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(harnessDir).sort()) {
    const entry = join(harnessDir, name, "realm", "entry.ts");
    if (existsSync(entry)) entries[name] = entry;
  }
  return entries;
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

/** One TypeScript entry and what it imports, as a classic script that runs in an empty realm (kept on disk: cachedBundle). */
export function bundleScript(entryPath: string): Promise<string> {
  return cachedBundle(entryPath);
}

async function buildBundle(entryPath: string): Promise<{ text: string; inputs: string[] }> {
  const result = await (await esbuild()).build({ ...bundleOptions, entryPoints: [entryPath], metafile: true });
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs).map((p) => resolve(p)) };
}

/**
 * A bundle kept on disk with the hash of every file it was built from (kept-inputs.ts): a process that finds
 * each input unchanged reads the bundle instead of building it (esbuild's start and build are most of a
 * sandbox process's start). The record's key is what else shapes the text: the entry, esbuild's version
 * and options, and the working folder (the bundle's comments name files relative to it).
 */
const bundleCacheDir = fileURLToPath(new URL("../../../node_modules/.cache/clusterlab/bundles/", import.meta.url));

interface BundleRecord {
  /** The key the record's name was made from (a short hash names it; the key itself decides). */
  key: string;
  inputs: KeptInputs;
  text: string;
  /** The text's own hash: what names V8's code cache of it (code-cache.ts). */
  textHash: string;
}

/** The hash of each bundle text this process read from a record or kept in one. */
const textHashes = new Map<string, string>();

/**
 * A bundle's content hash, when it came from (or went into) the bundle cache; undefined for any other text
 * (a bundle a read-only install could not keep).
 */
export function bundleHashOf(text: string): string | undefined {
  return textHashes.get(text);
}

/** Where V8's code caches of the bundles are kept (code-cache.ts), beside the bundles. */
export const codeCacheDir = fileURLToPath(new URL("../../../node_modules/.cache/clusterlab/v8/", import.meta.url));

async function cachedBundle(entryPath: string): Promise<string> {
  const key = JSON.stringify({ format: 3, entryPath, esbuildVersion, bundleOptions, cwd: process.cwd() });
  const file = join(bundleCacheDir, `${recordName(key)}.json`);
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as BundleRecord;
    if (record.key === key && typeof record.textHash === "string" && (await inputsUnchanged(record.inputs))) {
      textHashes.set(record.text, record.textHash);
      return record.text;
    }
  } catch {
    // no record, a torn one, or an input gone: build it
  }
  const builtAfter = Date.now() - 1000;
  const { text, inputs } = await buildBundle(entryPath);
  try {
    const kept = await inputsAsBuilt(inputs, builtAfter);
    if (!kept) return text;
    const textHash = await hashOf(Buffer.from(text));
    const record: BundleRecord = { key, inputs: kept, text, textHash };
    textHashes.set(text, textHash);
    writeAside(file, JSON.stringify(record));
  } catch {
    // a read-only install builds every time
  }
  return text;
}

/** The sandbox bundles (the engine's realm, each harness's learner realm), built once per process. */
export function sandboxBundles(): Promise<SandboxBundles> {
  cached ??= (async () => {
    const realms = Object.entries(realmEntries());
    const [simJs, ...realmJs] = await Promise.all([bundleScript(engineRealmEntry), ...realms.map(([, entry]) => bundleScript(entry))]);
    return { simJs: simJs!, realmJs: Object.fromEntries(realms.map(([name], i) => [name, realmJs[i]!])) };
  })();
  return cached;
}

export interface TranspileError {
  line: number;
  column: number;
  text: string;
}

type Transpiled = { js: string; /** Version 3 source map, for error locations in the learner's file. */ map: string } | { errors: TranspileError[] };

const transformOptions = {
  loader: "ts",
  format: "iife",
  globalName: "__clusterlab_solution",
  target: "es2022",
  supported: { "async-await": false, "async-generator": false, "for-await": false },
  sourcemap: "external",
  logLevel: "silent",
} as const satisfies TransformOptions;

/**
 * Transpiled solutions by the hash of what they are made from (the text, the file's name the map and
 * errors quote, esbuild's version and options): a grade of a file graded before starts no esbuild.
 */
const transpileCacheDir = fileURLToPath(new URL("../../../node_modules/.cache/clusterlab/transpile/", import.meta.url));

/**
 * TypeScript → a script that sets `var __clusterlab_solution` to the module's exports (the sandboxes run
 * it as a function body: see runtime/solution-body.ts). async/await are lowered
 * to promise `.then` chains, which the node runtime observes to run continuations at the right virtual time.
 */
export async function transpileSolution(source: string, file: string): Promise<Transpiled> {
  const kept = join(transpileCacheDir, `${await hashOf(Buffer.from(JSON.stringify({ format: 1, esbuildVersion, transformOptions, file, source })))}.json`);
  try {
    const result = JSON.parse(readFileSync(kept, "utf8")) as Transpiled;
    if ("errors" in result ? Array.isArray(result.errors) : typeof result.js === "string" && typeof result.map === "string") return result;
  } catch {
    // not transpiled before (or a torn file): transpile it
  }
  const result = await transpileAnew(source, file);
  try {
    writeAside(kept, JSON.stringify(result));
  } catch {
    // a read-only install transpiles every time
  }
  return result;
}

async function transpileAnew(source: string, file: string): Promise<Transpiled> {
  try {
    const result = await (await esbuild()).transform(source, { ...transformOptions, sourcefile: file });
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
