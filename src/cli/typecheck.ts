import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { clusterlabModuleDts } from "../../graders/index.ts";

/** The learner-facing types, as the editor and the type check see them. */
export function clusterlabDts(): string {
  // Each harness's learner-facing declarations, one file each, in one "clusterlab" module.
  const apiFiles = [
    "node-api.ts",
    "estimate-api.ts",
    "design-api.ts",
  ];
  return clusterlabModuleDts(apiFiles.map((file) => readFileSync(new URL(`../../graders/runtime/${file}`, import.meta.url), "utf8")));
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
export async function typecheckFiles(files: ReadonlyArray<{ path: string; label: string }>): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>(files.map((f) => [f.path, []]));
  if (files.length === 0) return problems;
  const require = createRequire(import.meta.url);
  const tsc = join(require.resolve("typescript/package.json"), "..", "bin", "tsc");
  const dir = mkdtempSync(join(tmpdir(), "clusterlab-tsc-"));
  try {
    writeFileSync(join(dir, "clusterlab.d.ts"), clusterlabDts());
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "esnext", moduleResolution: "bundler", lib: ["es2022"], types: [], skipLibCheck: true, moduleDetection: "force" },
        files: [join(dir, "clusterlab.d.ts"), ...files.map((f) => f.path)],
      }),
    );
    const output = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      child.on("error", fail);
      child.on("close", () => done(text));
    });
    const labels = new Map(files.map((f) => [resolve(f.path), f]));
    for (const line of output.split("\n")) {
      if (!/error TS\d+/.test(line)) continue;
      const m = /^(.*)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
      const file = m ? labels.get(resolve(dir, m[1]!)) : undefined;
      const text = !m ? line.trim() : `${file?.label ?? "clusterlab.d.ts"}:${m[2]}:${m[3]} ${m[4]} ${m[5]}`;
      for (const target of file ? [file.path] : files.map((f) => f.path)) {
        const list = problems.get(target)!;
        if (list.length < problemsMax) list.push(text);
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
