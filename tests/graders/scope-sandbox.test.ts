// The browser grades in one realm (the scope sandbox); the CLI grades in isolated-vm. Both must give the
// same verdicts and byte-identical history hashes for the same solution and seeds.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade, type Sandbox } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const isolated = createIsolatedVmSandbox();
const scope = createOneRealmIvmSandbox();

async function gradeWith(sandbox: Sandbox, slug: string, file: string, seeds: number[]) {
  const exercise = (await loadExercise(slug))!;
  return grade({ exercise, solutionJs: await readSolutionJs(file), solutionLabel: file, sandbox, seeds });
}

const nodeExercises = listExerciseSlugs();

describe.each(nodeExercises)("scope sandbox agrees with isolated-vm on %s", (slug) => {
  for (const file of [".meta/solution.ts", "starter.ts"]) {
    it(`${file}, seeds 1-3`, async () => {
      const path = join(exercisesDir, slug, file);
      const a = await gradeWith(isolated, slug, path, [1, 2, 3]);
      const b = await gradeWith(scope, slug, path, [1, 2, 3]);
      expect(b.tests.map((t) => [t.name, t.seed, t.status, t.check, t.historyHash])).toEqual(a.tests.map((t) => [t.name, t.seed, t.status, t.check, t.historyHash]));
      expect(b.historyHash).toBe(a.historyHash);
    }, 120_000);
  }
});
