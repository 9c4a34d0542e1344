// Run as a script (by tests/graders/scope-sandbox.test.ts, in a child process with another TZ and locale than
// its own): grades each exercise's reference and the clock-and-locale probe on seeds 1–2 in both sandboxes
// and prints, as JSON, the time zone it ran under and each run's tests (name, seed, status, check, hash).
import { join } from "node:path";
import { grade, type Results } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "./solution-js.ts";

export const zoneSeeds = [1, 2];
export const probe = { slug: "echo", file: join(import.meta.dirname, "..", "fixtures", "bad", "clock-and-locale.ts"), label: "echo/clock-and-locale" };
export type TestRow = [name: string, seed: number, status: string, check: string | null, historyHash: string];
export const rowsOf = (results: Results): TestRow[] => results.tests.map((t) => [t.name, t.seed, t.status, t.check ?? null, t.historyHash]); // null: the rows go through JSON

async function main(): Promise<void> {
  const runs: Record<string, TestRow[]> = {};
  const sandboxes = { "isolated-vm": createIsolatedVmSandbox(), browser: createOneRealmIvmSandbox() };
  const jobs: Array<[slug: string, file: string, label: string]> = listExerciseSlugs().map((slug) => [slug, join(exercisesDir, slug, ".meta", "solution.ts"), slug]);
  jobs.push([probe.slug, probe.file, probe.label]);
  for (const [slug, file, label] of jobs) {
    const exercise = (await loadExercise(slug))!;
    const solutionJs = await readSolutionJs(file);
    for (const [name, sandbox] of Object.entries(sandboxes)) {
      runs[`${label} ${name}`] = rowsOf(await grade({ exercise, solutionJs, solutionLabel: file, sandbox, seeds: zoneSeeds }));
    }
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  process.stdout.write(JSON.stringify({ zone, offsetMin: new Date(0).getTimezoneOffset(), runs }));
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) await main();
