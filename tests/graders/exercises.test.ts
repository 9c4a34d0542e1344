// Golden tests for every exercise: the reference passes every check on 20 seeds, the starter compiles and
// fails, and each known-wrong solution fails the check its first line names (`// fails: <check>`).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade, type Results } from "../../graders/index.ts";
import { createIsolatedVmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const sandbox = createIsolatedVmSandbox();

async function gradeFile(slug: string, file: string, seeds: number[]): Promise<Results> {
  const exercise = (await loadExercise(slug))!;
  return grade({ exercise, solutionJs: await readSolutionJs(file), solutionLabel: file, sandbox, seeds });
}

const seeds20 = Array.from({ length: 20 }, (_, i) => i + 1);

describe.each(listExerciseSlugs())("exercise %s", (slug) => {
  const dir = join(exercisesDir, slug);

  it("reference solution passes every check on 20 seeds", async () => {
    const results = await gradeFile(slug, join(dir, ".meta", "solution.ts"), seeds20);
    const bad = results.tests.filter((t) => t.status !== "pass");
    expect(bad.map((t) => `${t.name} seed ${t.seed}: ${t.message}`)).toEqual([]);
    expect(results.status).toBe("pass");
  }, 240_000);

  it("starter compiles and fails", async () => {
    const results = await gradeFile(slug, join(dir, "starter.ts"), [1, 2]);
    expect(results.status).toBe("fail");
  });

  const wrongDir = join(dir, ".meta", "wrong");
  const wrong = existsSync(wrongDir) ? readdirSync(wrongDir).filter((f) => f.endsWith(".ts")) : [];
  it("has at least one known-wrong solution", () => expect(wrong.length).toBeGreaterThan(0));
  it.each(wrong)("wrong solution %s fails the check it names", async (name) => {
    const file = join(wrongDir, name);
    const named = /^\/\/ fails: ([a-z-]+)/.exec(readFileSync(file, "utf8"))?.[1];
    expect(named, `${name} must start with "// fails: <check>"`).toBeTruthy();
    const results = await gradeFile(slug, file, [1, 2, 3]);
    expect(results.status).toBe("fail");
    expect(results.tests.filter((t) => t.status === "fail").map((t) => t.check)).toContain(named);
  }, 120_000);
});
