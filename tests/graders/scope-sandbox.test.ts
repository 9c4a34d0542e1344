// The browser grades in one realm (the scope sandbox); the CLI grades in isolated-vm. Both must give the
// same verdicts and byte-identical history hashes for the same solution and seeds, and so must a host in
// another time zone and locale.
//
// The time-zone test reuses the references graded here (in this process's zone) and grades them once more in
// one child process under another zone and locale; it was a test of its own that graded them in two child
// processes (UTC and Chatham), the same work as this file's plus one more pass.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade, type Results, type Sandbox } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, isolateProcessFlags } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { probe, rowsOf, zoneSeeds, type TestRow } from "../support/reference-hashes.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const root = join(import.meta.dirname, "..", "..");
const sandboxes = { "isolated-vm": createIsolatedVmSandbox(), browser: createOneRealmIvmSandbox() };

async function gradeWith(sandbox: Sandbox, slug: string, file: string, seeds: number[]): Promise<Results> {
  const exercise = (await loadExercise(slug))!;
  return grade({ exercise, solutionJs: await readSolutionJs(file), solutionLabel: file, sandbox, seeds });
}

/** Tests of the references graded below, by "<slug> <sandbox>", for the time-zone test at the end. */
const gradedHere = new Map<string, TestRow[]>();

// The reference on seeds 1–3 (three schedules of every scenario); the starter, whose part here is the
// failing path (failed checks, their messages and logs) in every scenario, on seed 1: its seeds 2–3 took as
// long as all the references' runs and showed the same path again.
const solutions: Array<[file: string, seeds: number[]]> = [
  [".meta/solution.ts", [1, 2, 3]],
  ["starter.ts", [1]],
];

describe.each(listExerciseSlugs())("scope sandbox agrees with isolated-vm on %s", (slug) => {
  for (const [file, seeds] of solutions) {
    it(`${file}, seeds ${seeds.length > 1 ? `${seeds[0]}-${seeds.at(-1)}` : seeds[0]}`, async () => {
      const path = join(exercisesDir, slug, file);
      const a = await gradeWith(sandboxes["isolated-vm"], slug, path, seeds);
      const b = await gradeWith(sandboxes.browser, slug, path, seeds);
      expect(rowsOf(b)).toEqual(rowsOf(a));
      expect(b.historyHash).toBe(a.historyHash);
      if (file === ".meta/solution.ts") {
        gradedHere.set(`${slug} isolated-vm`, rowsOf(a));
        gradedHere.set(`${slug} browser`, rowsOf(b));
      }
    }, 120_000);
  }
});

// The host's time zone and locale must not reach a node: every reference (and a probe that prints the
// clock, Date#toString, toLocaleString, Intl defaults…) gives the same tests and hashes under both.
it("gives the same hashes under another time zone and locale, in both sandboxes", async () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const env = zone === "Pacific/Chatham" ? { TZ: "UTC", LC_ALL: "C", LANG: "C" } : { TZ: "Pacific/Chatham", LC_ALL: "de_DE.UTF-8", LANG: "de_DE.UTF-8" };
  const child = JSON.parse(
    execFileSync(process.execPath, [...isolateProcessFlags, join(root, "tests", "support", "reference-hashes.ts")], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } }),
  ) as { zone: string; offsetMin: number; runs: Record<string, TestRow[]> };
  expect(child.zone).not.toBe(zone);
  expect(child.offsetMin).not.toBe(new Date(0).getTimezoneOffset());
  expect(Object.keys(child.runs).length).toBeGreaterThan(20);
  for (const [key, rows] of Object.entries(child.runs)) {
    const sandbox = key.endsWith(" browser") ? "browser" : "isolated-vm";
    const label = key.slice(0, -sandbox.length - 1);
    let here = gradedHere.get(key)?.filter((row) => zoneSeeds.includes(row[1]));
    if (!here) {
      // The probe, or a reference whose test above was filtered out (vitest -t): grade it here.
      const [slug, file] = label === probe.label ? [probe.slug, probe.file] : [label, join(exercisesDir, label, ".meta", "solution.ts")];
      here = rowsOf(await gradeWith(sandboxes[sandbox], slug, file, zoneSeeds));
    }
    expect(rows, key).toEqual(here);
    if (label !== probe.label) expect(rows.filter((row) => row[2] !== "pass"), key).toEqual([]);
  }
  // Both sandboxes agree under the other zone too.
  for (const [key, rows] of Object.entries(child.runs)) {
    if (key.endsWith(" browser")) expect(rows, key).toEqual(child.runs[key.replace(/ browser$/, " isolated-vm")]);
  }
}, 600_000);
