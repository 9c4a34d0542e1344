import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 * Returns problems as `file:line:col message`, empty when it checks.
 */
export async function typecheckSolution(file: string, label = file): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const tsc = join(require.resolve("typescript/package.json"), "..", "bin", "tsc");
  const dir = mkdtempSync(join(tmpdir(), "clusterlab-tsc-"));
  try {
    writeFileSync(join(dir, "clusterlab.d.ts"), clusterlabDts());
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "esnext", moduleResolution: "bundler", lib: ["es2022"], types: [], skipLibCheck: true },
        files: [join(dir, "clusterlab.d.ts"), file],
      }),
    );
    const result = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { encoding: "utf8" });
    if (result.status === 0) return [];
    const out = `${result.stdout}${result.stderr}`.trim();
    return out
      .split("\n")
      .filter((l) => /error TS\d+/.test(l))
      .map((l) => l.replace(/^(.*)\((\d+),(\d+)\): error (TS\d+): /, (_, path: string, line, col, code) => `${path.endsWith("clusterlab.d.ts") ? "clusterlab.d.ts" : label}:${line}:${col} ${code} `))
      .slice(0, 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
