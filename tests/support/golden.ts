// Golden tests for exercises: the reference passes every check on 20 seeds, each correct alternative
// (.meta/alternatives/, another approach) on every default seed, the starter compiles and fails, and each
// known-wrong solution (.meta/wrong/) fails the check its first line names (`// fails: <check>`) within the
// default seeds, as a learner's full grade would. Split over several test files so that the test runner
// can grade them in parallel, one file per worker: an exercise with a file of its own in
// tests/graders/exercises/<slug>.test.ts is graded there, every other one by its harness's file.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exerciseSeeds, grade, type ExerciseDef, type Results } from "../../graders/index.ts";
import { createIsolatedVmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "./solution-js.ts";
import { solutionsIn } from "../../src/cli/batch/validate-exercise.ts";

const sandbox = createIsolatedVmSandbox();
const seeds20 = Array.from({ length: 20 }, (_, i) => i + 1);

/** Transpiled once per file: the golden tests grade some files many times, a scenario and a seed at a time. */
const solutionJs = new Map<string, Promise<string>>();

async function gradeFile(slug: string, file: string, seeds: number[], scenario?: number): Promise<Results> {
  const exercise = (await loadExercise(slug))!;
  let js = solutionJs.get(file);
  if (!js) solutionJs.set(file, (js = readSolutionJs(file)));
  return grade({ exercise, solutionJs: await js, solutionLabel: file, sandbox, seeds, ...(scenario === undefined ? {} : { scenario }) });
}

/** Scenarios of all tasks: `grade`'s `scenario` option numbers them from 1 in this order. */
function scenarioCount(exercise: ExerciseDef): number {
  return exercise.tasks.reduce((count, task) => count + task.scenarios.length, 0);
}

const ownFilesDir = join(import.meta.dirname, "..", "graders", "exercises");

/** Whether `slug` has a golden test file of its own, so the per-harness files leave it out. */
export function hasOwnGoldenFile(slug: string): boolean {
  return existsSync(join(ownFilesDir, `${slug}.test.ts`));
}

/** The golden tests of one exercise, for its own file in tests/graders/exercises/. */
export async function goldenTestsOf(slug: string): Promise<void> {
  if (!listExerciseSlugs().includes(slug)) throw new Error(`no exercise "${slug}" in ${exercisesDir}`);
  await goldenTests((e) => e.slug === slug, { includeOwnFiles: true });
}

/** The exercises whose definition `select` accepts, each with its golden tests. */
export async function goldenTests(select: (exercise: ExerciseDef) => boolean, options: { includeOwnFiles?: boolean } = {}): Promise<void> {
  const chosen: string[] = [];
  for (const slug of listExerciseSlugs()) {
    if (!options.includeOwnFiles && hasOwnGoldenFile(slug)) continue;
    if (select((await loadExercise(slug))!)) chosen.push(slug);
  }

  it("selects some exercises", () => expect(chosen.length).toBeGreaterThan(0));

  describe.each(chosen)("exercise %s", (slug) => {
    const dir = join(exercisesDir, slug);
    const wrong = solutionsIn(join(dir, ".meta", "wrong"));
    const alternatives = solutionsIn(join(dir, ".meta", "alternatives"));

    it("reference solution passes every check on 20 seeds", async () => {
      const results = await gradeFile(slug, join(dir, ".meta", "solution.ts"), seeds20);
      expect(results.tests.filter((t) => t.status !== "pass").map((t) => `${t.name} seed ${t.seed}: ${t.message}`)).toEqual([]);
      expect(results.status).toBe("pass");
    }, 300_000);

    // Scenario by scenario on seed 1 until one fails (a starter fails the first): compiling and failing is
    // then shown. Grading all its scenarios on seeds 1–2 cost about as much as an alternative's grade.
    it("starter compiles and fails", async () => {
      const exercise = (await loadExercise(slug))!;
      const scenarios = scenarioCount(exercise);
      const seen: string[] = [];
      for (let scenario = 1; scenario <= scenarios; scenario++) {
        const results = await gradeFile(slug, join(dir, "starter.ts"), [1], scenario);
        expect(results.status, results.tests.map((t) => t.message).join("; ")).not.toBe("error");
        if (results.status === "fail") return;
        seen.push(`scenario ${scenario}: ${results.status}`);
      }
      expect.fail(`the starter passed every scenario on seed 1: ${seen.join("; ")}`);
    }, 120_000);

    it("has at least five known-wrong solutions and two correct alternatives", () => {
      expect(wrong.length).toBeGreaterThanOrEqual(5);
      expect(alternatives.length).toBeGreaterThanOrEqual(2);
    });

    it.each(alternatives)("alternative %s passes every check on every default seed", async (name) => {
      const exercise = (await loadExercise(slug))!;
      const results = await gradeFile(slug, join(dir, ".meta", "alternatives", name), exerciseSeeds(exercise));
      expect(results.tests.filter((t) => t.status !== "pass").map((t) => `${t.name} seed ${t.seed}: ${t.message}`)).toEqual([]);
    }, 300_000);

    // Seed by seed, in the default order, and within a seed scenario by scenario (a grade's own order), until
    // the named check fails: the same verdict as grading them all, without paying for the runs after the
    // first that shows the mistake.
    it.each(wrong)("wrong solution %s fails the check it names within the default seeds", async (name) => {
      const file = join(dir, ".meta", "wrong", name);
      const named = /^\/\/ fails: ([a-z-]+)/.exec(readFileSync(file, "utf8"))?.[1];
      expect(named, `${name} must start with "// fails: <check>"`).toBeTruthy();
      const exercise = (await loadExercise(slug))!;
      const scenarios = scenarioCount(exercise);
      const seen: string[] = [];
      for (const seed of exerciseSeeds(exercise)) {
        const failed: string[] = [];
        const statuses = new Set<string>();
        for (let scenario = 1; scenario <= scenarios; scenario++) {
          const results = await gradeFile(slug, file, [seed], scenario);
          statuses.add(results.status);
          failed.push(...results.tests.flatMap((t) => (t.status === "fail" ? (t.failures?.map((f) => f.check) ?? [t.check]) : [])));
          if (failed.includes(named!)) return;
        }
        const status = statuses.has("error") ? "error" : statuses.has("fail") ? "fail" : "pass";
        seen.push(`seed ${seed}: ${status}${failed.length ? ` (${[...new Set(failed)].join(", ")})` : ""}`);
      }
      expect.fail(`${name} never failed "${named}" on the default seeds: ${seen.join("; ")}`);
    }, 300_000);
  });
}
