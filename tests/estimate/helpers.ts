// Grading estimation drills from source text or files, in either Node sandbox.
import { join } from "node:path";
import { grade, type Results, type Sandbox } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

export const isolated = createIsolatedVmSandbox();
export const oneRealm = createOneRealmIvmSandbox();

export const drillSlugs = ["estimate-qps", "estimate-storage", "estimate-bandwidth", "estimate-cache", "estimate-servers", "estimate-fan-out", "estimate-availability", "estimate-cost"] as const;

export async function gradeSource(slug: string, source: string, seeds = [1, 2], sandbox: Sandbox = isolated, wallMs?: number): Promise<Results> {
  const exercise = (await loadExercise(slug))!;
  const transpiled = await transpileSolution(source, "probe.ts");
  if ("errors" in transpiled) throw new Error(`probe does not compile: ${transpiled.errors[0]!.text}`);
  return grade({ exercise, solutionJs: transpiled.js, solutionLabel: "probe.ts", sandbox, seeds, ...(wallMs ? { limits: { wallMs } } : {}) });
}

export async function gradeFile(slug: string, relative: string, seeds = [1, 2], sandbox: Sandbox = isolated): Promise<Results> {
  const exercise = (await loadExercise(slug))!;
  const file = join(exercisesDir, slug, relative);
  return grade({ exercise, solutionJs: await readSolutionJs(file), solutionLabel: file, sandbox, seeds });
}

/** Every failure's check and message, over all tests. */
export const failuresOf = (results: Results) => results.tests.flatMap((t) => t.failures.map((f) => ({ check: f.check, message: f.message })));
