// The browser compiles with Monaco's TypeScript (CommonJS, async lowered to __awaiter) and grades in one
// realm; the CLI compiles with esbuild and grades in isolated-vm. Same solution, same seeds ⇒ same
// verdicts and history hashes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { wrapEmittedSolution } from "../../src/grader/solution-script.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { emitLikeMonaco } from "../support/monaco-emit.ts";


const isolated = createIsolatedVmSandbox();
const scope = createOneRealmIvmSandbox();

describe.each(listExerciseSlugs())("browser compile path agrees with the CLI on %s", (slug) => {
  it("reference solution, seeds 1-2", async () => {
    const exercise = (await loadExercise(slug))!;
    const file = join(exercisesDir, slug, ".meta", "solution.ts");
    const source = readFileSync(file, "utf8");
    const cli = await transpileSolution(source, file);
    if ("errors" in cli) throw new Error("does not compile");
    const seeds = [1, 2];
    const a = await grade({ exercise, solutionJs: cli.js, solutionLabel: file, sandbox: isolated, seeds });
    const b = await grade({ exercise, solutionJs: wrapEmittedSolution(emitLikeMonaco(source)), solutionLabel: file, sandbox: scope, seeds });
    expect(b.tests.map((t) => [t.name, t.seed, t.status, t.historyHash])).toEqual(a.tests.map((t) => [t.name, t.seed, t.status, t.historyHash]));
    expect(a.status).toBe("pass");
  }, 120_000);
});

describe("the emitted script", () => {
  it("lowers async/await so the runtime sees continuations", () => {
    const js = emitLikeMonaco('export default async function start() { await Promise.resolve(1); }');
    expect(js).toMatch(/__awaiter/);
    expect(js).not.toMatch(/\basync function\b/);
  });
  it("is not strict, like esbuild's output for the CLI", () => {
    const script = wrapEmittedSolution(emitLikeMonaco("export default function start() {}"));
    expect(script).not.toMatch(/"use strict"/);
    expect(new Function(`${script}; return __clusterlab_solution;`)().default).toBeTypeOf("function");
  });
});
