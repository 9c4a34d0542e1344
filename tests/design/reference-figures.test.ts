// The url-shortener reference design's figures, precomputed per task and seed (exercises/url-shortener/
// reference-figures.ts), which every run reports beside its own: they must be what a fresh run of the
// reference gives. Checked on three seeds (any change to the engine or the reference changes them all);
// `UPDATE_REFERENCE=1` regenerates the table for seeds 1–20.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import type { ReferenceFigures } from "../../graders/design/scenario.ts";
import { createIsolatedVmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";
import { referenceFigures } from "../../exercises/url-shortener/reference-figures.ts";

const update = process.env.UPDATE_REFERENCE === "1";
const seeds = update ? Array.from({ length: 20 }, (_, i) => i + 1) : [1, 2, 3];
const tablePath = join(exercisesDir, "url-shortener", "reference-figures.ts");

async function measure(): Promise<Record<string, Record<number, ReferenceFigures>>> {
  const exercise = (await loadExercise("url-shortener"))!;
  const solutionJs = await readSolutionJs(join(exercisesDir, "url-shortener", ".meta", "solution.ts"));
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

describe("url-shortener reference figures", () => {
  it(update ? "regenerates the table (seeds 1–20)" : "are a fresh run's (seeds 1–3)", async () => {
    const fresh = await measure();
    if (update) {
      const source = readFileSync(tablePath, "utf8");
      const head = source.slice(0, source.indexOf("export const referenceFigures"));
      const lines = Object.entries(fresh).map(([name, bySeed]) => `  ${JSON.stringify(name)}: {\n${Object.entries(bySeed).map(([seed, f]) => `    ${seed}: { costUsdPerMonth: ${f.costUsdPerMonth}, latencyP99Ms: ${f.latencyP99Ms} },`).join("\n")}\n  },`);
      writeFileSync(tablePath, `${head}export const referenceFigures: Record<string, Record<number, ReferenceFigures>> = {\n${lines.join("\n")}\n};\n`);
      return;
    }
    for (const [name, bySeed] of Object.entries(fresh)) {
      for (const seed of seeds) expect(referenceFigures[name]?.[seed], `${name} seed ${seed}: regenerate with UPDATE_REFERENCE=1`).toEqual(bySeed[seed]);
    }
  }, 600_000);
});
