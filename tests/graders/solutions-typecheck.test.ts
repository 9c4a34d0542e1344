// A learner's file is type-checked before it is graded (`clusterlab grade` stops on a type error), so every
// solution the golden tests grade — starter, reference, alternatives, wrong ones — must type-check too: a
// wrong solution that a learner could not even submit proves nothing about the check it names.
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { typecheckFiles } from "../../src/cli/typecheck.ts";
import { solutionsIn } from "../../src/cli/batch/validate-exercise.ts";

const root = join(import.meta.dirname, "..", "..", "exercises");

function solutionFiles(): Array<{ path: string; label: string }> {
  const files: string[] = [];
  for (const slug of readdirSync(root)) {
    const dir = join(root, slug);
    files.push(join(dir, "starter.ts"), join(dir, ".meta", "solution.ts"));
    for (const kind of ["alternatives", "wrong"]) {
      const sub = join(dir, ".meta", kind);
      files.push(...solutionsIn(sub).map((f) => join(sub, f)));
    }
  }
  return files.filter((f) => existsSync(f)).map((path) => ({ path, label: relative(root, path) }));
}

describe("every exercise's solution files", () => {
  it("type-check against the clusterlab types, as a learner's would", async () => {
    const files = solutionFiles();
    expect(files.length).toBeGreaterThan(300);
    const problems = await typecheckFiles(files, { cacheDir: null });
    const failing = [...problems.values()].filter((p) => p.length > 0).map((p) => p[0]);
    expect(failing).toEqual([]);
  }, 120_000);
});
