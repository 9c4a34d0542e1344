/**
 * The type check of a batch: every submission in one TypeScript run, started asynchronously, so a class of
 * twenty files costs one compiler start instead of twenty and the sandbox processes start meanwhile.
 * The same compiler options and clusterlab types as a single grade (../typecheck.ts), and every file a module of
 * its own (moduleDetection "force"), so two submissions' top-level names can never clash.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { clusterlabDts } from "../typecheck.ts";

/** Problems per file (absolute path → `label:line:col TSxxxx message` lines), empty for a file that checks. */
export async function typecheckMany(files: ReadonlyArray<{ path: string; label: string }>): Promise<Map<string, string[]>> {
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
    const labels = new Map(files.map((f) => [resolve(f.path), f.label]));
    for (const line of output.split("\n")) {
      const m = /^(.*)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim());
      if (!m) continue;
      const path = resolve(dir, m[1]!);
      const label = labels.get(path);
      // An error in the clusterlab types themselves is every file's problem: it is reported against each.
      const targets = label === undefined ? files.map((f) => f.path) : [path];
      for (const target of targets) {
        const list = problems.get(target)!;
        if (list.length < 20) list.push(`${label ?? "clusterlab.d.ts"}:${m[2]}:${m[3]} ${m[4]} ${m[5]}`);
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
