// The grading Worker's run cache (src/grader/run-cache.ts): a Submit after a Run of the same solution takes
// the Run's seeds from the cache and gives the results a fresh Submit gives; anything else runs again, and a
// Submit keeps nothing of its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exerciseSeeds, grade, type ExerciseDef, type Results, type RunOutcome, type Sandbox } from "../../graders/index.ts";
import { createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { createRunCache } from "../../src/grader/run-cache.ts";

async function solutionOf(slug: string, file: string): Promise<string> {
  const js = await transpileSolution(readFileSync(join(exercisesDir, slug, file), "utf8"), file);
  if ("errors" in js) throw new Error(`${file} does not compile`);
  return js.js;
}

/** A sandbox that counts the runs it is handed. */
function counting(inner: Sandbox): Sandbox & { runs: number } {
  const counted = { runs: 0, run: (request: Parameters<Sandbox["run"]>[0]) => (counted.runs++, inner.run(request)) };
  return counted;
}

const gradeWith = (exercise: ExerciseDef, solutionJs: string, sandbox: Sandbox, seeds: number[]): Promise<Results> =>
  grade({ exercise, solutionJs, solutionLabel: "solution.ts", sandbox, seeds });

const verdicts = (results: Results) => results.tests.map((t) => `${t.name} ${t.seed} ${t.status} ${t.historyHash} ${t.message}`);

describe("the grading Worker's run cache", () => {
  it("a Submit after a Run of the same solution reuses the Run's seeds and gives a fresh Submit's results", async () => {
    const exercise = (await loadExercise("g-counter"))!;
    const all = exerciseSeeds(exercise);
    const scenarios = exercise.tasks.reduce((n, t) => n + t.scenarios.length, 0);
    const reference = await solutionOf("g-counter", join(".meta", "solution.ts"));
    const fresh = await gradeWith(exercise, reference, createOneRealmIvmSandbox(), all);

    const inner = counting(createOneRealmIvmSandbox());
    const cache = createRunCache(() => inner);
    const run = () => cache.sandbox({ keep: true });
    const submit = () => cache.sandbox({ keep: false });
    await gradeWith(exercise, reference, run(), all.slice(0, 2));
    expect(inner.runs).toBe(2 * scenarios);
    const submitted = await gradeWith(exercise, reference, submit(), all);
    expect(inner.runs).toBe(all.length * scenarios);
    expect(cache.stats()).toEqual({ reused: 2 * scenarios, ran: all.length * scenarios });
    expect(submitted.status).toBe("pass");
    expect(submitted.historyHash).toBe(fresh.historyHash);
    expect(verdicts(submitted)).toEqual(verdicts(fresh));
    // A Submit keeps nothing of its own: another one reruns all but the Run's seeds.
    await gradeWith(exercise, reference, submit(), all);
    expect(inner.runs).toBe(2 * (all.length - 2) * scenarios + 2 * scenarios);

    // Another solution (the starter) runs every seed again, and its verdicts are its own.
    const starter = await solutionOf("g-counter", "starter.ts");
    const before = inner.runs;
    const failed = await gradeWith(exercise, starter, run(), all.slice(0, 2));
    expect(inner.runs - before).toBe(2 * scenarios);
    expect(failed.status).not.toBe("pass");
  }, 120_000);

  it("an error outcome is run again, and what a grade does to an outcome does not reach the kept copy", async () => {
    const exercise = (await loadExercise("echo"))!;
    const reference = await solutionOf("echo", join(".meta", "solution.ts"));
    let outcomes: RunOutcome[] = [];
    const real = createOneRealmIvmSandbox();
    const recording = counting({ run: async (request) => {
      const outcome = await real.run(request);
      outcomes.push(outcome);
      return outcome;
    } });
    const cache = createRunCache(() => recording);
    const first = await gradeWith(exercise, reference, cache.sandbox({ keep: true }), [1]);
    const runsAfterFirst = recording.runs;
    // Spoil every outcome the grade got: the kept copies must not change.
    for (const outcome of outcomes) if (outcome.kind === "data") outcome.data.errors.push({ node: "n1", timeMs: 0, text: "spoiled" });
    outcomes = [];
    const again = await gradeWith(exercise, reference, cache.sandbox({ keep: true }), [1]);
    expect(recording.runs).toBe(runsAfterFirst);
    expect(verdicts(again)).toEqual(verdicts(first));

    const failing = counting({ run: async () => ({ kind: "error", message: "wall-time budget exceeded", wallMs: 1, budget: "wall" }) });
    const errors = createRunCache(() => failing);
    await gradeWith(exercise, reference, errors.sandbox({ keep: true }), [1]);
    await gradeWith(exercise, reference, errors.sandbox({ keep: true }), [1]);
    expect(failing.runs).toBe(2);
  }, 60_000);
});
