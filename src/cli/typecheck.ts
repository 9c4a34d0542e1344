import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { clusterlabModuleDts } from "../../graders/index.ts";
import { writeAside } from "../../graders/sandbox/node/index.ts";

/** The learner-facing types, as the editor and the type check see them. */
export function clusterlabDts(): string {
  // Each harness's learner-facing declarations are its folder's api.ts, in one "clusterlab" module.
  const harnessDir = new URL("../../graders/harness/", import.meta.url);
  const apis: Record<string, string> = {};
  for (const entry of readdirSync(harnessDir, { withFileTypes: true })) {
    const file = new URL(`${entry.name}/api.ts`, harnessDir);
    if (entry.isDirectory() && existsSync(file)) apis[entry.name] = readFileSync(file, "utf8");
  }
  return clusterlabModuleDts(apis);
}

/**
 * Type-checks one solution file with TypeScript's native compiler against the clusterlab types.
 * Returns problems as `file:line:col TSxxxx message`, empty when it checks.
 */
export async function typecheckSolution(file: string, label = file): Promise<string[]> {
  return (await typecheckFiles([{ path: file, label }])).get(file)!;
}

/** Problems a file may list: the first ones name the mistake, a broken file would list hundreds. */
const problemsMax = 20;

/**
 * Type-checks solution files in one TypeScript run (one compiler start for a whole batch) against the
 * clusterlab types. Each file is a module of its own (moduleDetection "force"), so two files' top-level
 * names never clash and a file gets the same verdict alone or in a batch. Returns each file's problems
 * (by the path given) as `label:line:col TSxxxx message`, empty for a file that checks; a problem in the
 * clusterlab types or of the compiler itself is every file's.
 */
export async function typecheckFiles(files: ReadonlyArray<{ path: string; label: string }>, options: { cacheDir?: string | null } = {}): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>(files.map((f) => [f.path, []]));
  if (files.length === 0) return problems;
  const dts = clusterlabDts();
  const cache = options.cacheDir === null ? undefined : typecheckCache(options.cacheDir ?? defaultTypecheckCacheDir(), dts);
  const keys = new Map<string, string | undefined>(files.map((f) => [f.path, cache?.keyOf(f.path, f.label)]));
  const toCheck = files.filter((f) => {
    const key = keys.get(f.path);
    const hit = key === undefined ? undefined : cache!.get(key);
    if (hit) problems.set(f.path, hit);
    return !hit;
  });
  if (toCheck.length === 0) return problems;
  const dir = mkdtempSync(join(tmpdir(), "clusterlab-tsc-"));
  try {
    writeFileSync(join(dir, "clusterlab.d.ts"), dts);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions,
        files: [join(dir, "clusterlab.d.ts"), ...toCheck.map((f) => f.path)],
      }),
    );
    const { output, code } = await runTsc(["-p", join(dir, "tsconfig.json"), "--pretty", "false"], dir);
    const labels = new Map(toCheck.map((f) => [resolve(f.path), f]));
    let everyFiles = false;
    for (const line of output.split("\n")) {
      if (!/error TS\d+/.test(line)) continue;
      const m = /^(.*)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
      const file = m ? labels.get(resolve(dir, m[1]!)) : undefined;
      const text = !m ? line.trim() : `${file?.label ?? "clusterlab.d.ts"}:${m[2]}:${m[3]} ${m[4]} ${m[5]}`;
      if (!file) everyFiles = true;
      for (const target of file ? [file.path] : toCheck.map((f) => f.path)) {
        const list = problems.get(target)!;
        if (list.length < problemsMax) list.push(text);
      }
    }
    // Kept only when the compiler ran to its end (0: clean, 1 or 2: errors listed) and every problem is the
    // file's own: a crash, a kill or a broken clusterlab.d.ts is no verdict on the file.
    if (cache && !everyFiles && (code === 0 || code === 1 || code === 2)) {
      for (const f of toCheck) {
        const key = keys.get(f.path);
        if (key !== undefined) cache.put(key, problems.get(f.path)!);
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const compilerOptions = { strict: true, noEmit: true, target: "es2022", module: "esnext", moduleResolution: "bundler", lib: ["es2022"], types: [], skipLibCheck: true, moduleDetection: "force" };

const require = createRequire(import.meta.url);
const typescriptDir = dirname(require.resolve("typescript/package.json"));
const typescriptVersion = (JSON.parse(readFileSync(join(typescriptDir, "package.json"), "utf8")) as { version: string }).version;

/**
 * The compiler's native executable, which TypeScript 7's `bin/tsc` (a Node script) looks up and starts: run
 * directly it saves a Node start. Undefined when the platform package is not where npm puts it.
 */
function nativeTsc(): string | undefined {
  try {
    const pkg = createRequire(join(typescriptDir, "package.json")).resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    const exe = join(dirname(pkg), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

function runTsc(args: string[], cwd: string): Promise<{ output: string; code: number | null }> {
  const exe = nativeTsc();
  const [command, argv] = exe ? [exe, args] : [process.execPath, [join(typescriptDir, "bin", "tsc"), ...args]];
  return new Promise((done, fail) => {
    const child = spawn(command, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.on("error", fail);
    child.on("close", (code) => done({ output: text, code }));
  });
}

/** Where type-check verdicts are kept: beside clusterlab's own node_modules, as other tools keep caches. */
export function defaultTypecheckCacheDir(): string {
  return resolve(new URL("../../node_modules/.cache/clusterlab/typecheck/", import.meta.url).pathname);
}

/**
 * Type-check verdicts by the hash of all they depend on: the file's text and name (the problems quote it),
 * the clusterlab types, the compiler's version and options. A file that imports anything but "clusterlab"
 * depends on other files too, so it is never cached. A cache that cannot be read or written is no cache.
 */
function typecheckCache(dir: string, dts: string) {
  const base = createHash("sha256").update(JSON.stringify({ format: 1, typescriptVersion, compilerOptions, dts })).digest("hex");
  const fileOf = (key: string) => join(dir, `${key}.json`);
  return {
    keyOf(path: string, label: string): string | undefined {
      let source: string;
      try {
        source = readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
      if (importsOtherModules(source)) return undefined;
      return createHash("sha256").update(JSON.stringify({ base, label, source })).digest("hex");
    },
    get(key: string): string[] | undefined {
      try {
        const problems = JSON.parse(readFileSync(fileOf(key), "utf8")) as unknown;
        return Array.isArray(problems) && problems.every((p) => typeof p === "string") ? problems : undefined;
      } catch {
        return undefined;
      }
    },
    put(key: string, problems: string[]): void {
      try {
        writeAside(fileOf(key), JSON.stringify(problems));
      } catch {
        // read-only install: the next call type-checks again
      }
    },
  };
}

/** Any module named but "clusterlab" (import, export … from, import(), require(), a triple-slash reference). */
function importsOtherModules(source: string): boolean {
  for (const m of source.matchAll(/\bfrom\s*["']([^"']*)["']|\bimport\s*\(?\s*["']([^"']*)["']|\brequire\s*\(\s*["']([^"']*)["']|<reference\s/g)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name !== "clusterlab") return true;
  }
  return false;
}
