// Each design exercise's reference figures, precomputed per task and seed (exercises/<slug>/
// reference-figures.ts), which every run reports beside its own: they must be what a fresh run of the
// exercise's reference design gives. Checked on three seeds (any change to the engine or a reference
// changes them all); `UPDATE_REFERENCE=1` regenerates the tables for seeds 1–20 (`REFERENCE_SLUG=<slug>`
// for one exercise only).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import type { ReferenceFigures } from "../../graders/design/scenario.ts";
import { createIsolatedVmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const update = process.env.UPDATE_REFERENCE === "1";
const only = process.env.REFERENCE_SLUG;
const seeds = update ? Array.from({ length: 20 }, (_, i) => i + 1) : [1, 2, 3];
const slugs = listExerciseSlugs().filter((slug) => existsSync(join(exercisesDir, slug, "reference-figures.ts")) && (!only || slug === only));

async function measure(slug: string): Promise<Record<string, Record<number, ReferenceFigures>>> {
  const exercise = (await loadExercise(slug))!;
  const solutionJs = await readSolutionJs(join(exercisesDir, slug, ".meta", "solution.ts"));
  const sandbox = createIsolatedVmSandbox();
  const out: Record<string, Record<number, ReferenceFigures>> = {};
  for (const task of exercise.tasks) {
    for (const scenario of task.scenarios) {
      const bySeed: Record<number, ReferenceFigures> = {};
      for (const seed of seeds) {
        const run = await sandbox.run({ scenario, knobs: expandKnobs(scenario, seed), solutionJs, harness: "design" });
        if (run.kind === "error") throw new Error(`${scenario.name} seed ${seed}: ${run.message}`);
        const f = (run.data as unknown as { design: { figures: Record<string, number> } }).design.figures;
        bySeed[seed] = { costUsdPerMonth: f.costUsdPerMonth!, latencyP99Ms: f.latencyP99Ms! };
      }
      out[scenario.name] = bySeed;
    }
  }
  return out;
}

it("finds the design exercises' tables", () => expect(slugs.length).toBeGreaterThan(0));

describe.each(slugs)("%s reference figures", (slug) => {
  const tablePath = join(exercisesDir, slug, "reference-figures.ts");
  it(update ? "regenerates the table (seeds 1–20)" : "are a fresh run's (seeds 1–3)", async () => {
    const fresh = await measure(slug);
    if (update) {
      const source = readFileSync(tablePath, "utf8");
      const head = source.slice(0, source.indexOf("export const referenceFigures"));
      const lines = Object.entries(fresh).map(([name, bySeed]) => `  ${JSON.stringify(name)}: {\n${Object.entries(bySeed).map(([seed, f]) => `    ${seed}: { costUsdPerMonth: ${f.costUsdPerMonth}, latencyP99Ms: ${f.latencyP99Ms} },`).join("\n")}\n  },`);
      writeFileSync(tablePath, `${head}export const referenceFigures: Record<string, Record<number, ReferenceFigures>> = {\n${lines.join("\n")}\n};\n`);
      return;
    }
    const { referenceFigures } = (await import(tablePath)) as { referenceFigures: Record<string, Record<number, ReferenceFigures>> };
    for (const [name, bySeed] of Object.entries(fresh)) {
      for (const seed of seeds) expect(referenceFigures[name]?.[seed], `${slug} ${name} seed ${seed}: regenerate with UPDATE_REFERENCE=1 REFERENCE_SLUG=${slug}`).toEqual(bySeed[seed]);
    }
  }, 600_000);
});
