// Run as a script (by tests/graders/determinism.test.ts, in a child process with a chosen TZ and locale):
// grades each exercise's reference and the clock-and-locale probe on a few seeds in both sandboxes and
// prints their history hashes as JSON.
import { join } from "node:path";
import { grade } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "./solution-js.ts";

const seeds = [1, 2];
const out: Record<string, string> = {};
const sandboxes = { "isolated-vm": createIsolatedVmSandbox(), browser: createOneRealmIvmSandbox() };
const jobs: Array<[slug: string, file: string, label: string]> = listExerciseSlugs().map((slug) => [slug, join(exercisesDir, slug, ".meta", "solution.ts"), slug]);
jobs.push(["echo", join(import.meta.dirname, "..", "fixtures", "bad", "clock-and-locale.ts"), "echo/clock-and-locale"]);
for (const [slug, file, label] of jobs) {
  const exercise = (await loadExercise(slug))!;
  const solutionJs = await readSolutionJs(file);
  for (const [name, sandbox] of Object.entries(sandboxes)) {
    const results = await grade({ exercise, solutionJs, solutionLabel: file, sandbox, seeds });
    out[`${label} ${name}`] = `${results.status} ${results.historyHash}`;
  }
}
process.stdout.write(JSON.stringify(out));
