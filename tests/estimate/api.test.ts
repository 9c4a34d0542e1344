// The learner-facing declarations (graders/harness/estimate/api.ts) name exactly the fields each drill
// draws and grades, reach the CLI's type check, and type-check every reference, alternative and starter.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drills } from "../../graders/estimate/index.ts";
import { clusterlabDts, typecheckSolution } from "../../src/cli/typecheck.ts";
import { exercisesDir } from "../../src/cli/exercises.ts";
import { drillSlugs } from "./helpers.ts";

const api = readFileSync(join(import.meta.dirname, "..", "..", "graders", "harness", "estimate", "api.ts"), "utf8");

/** The field names of `interface <name> { … }` in the API file. */
function fieldsOf(name: string): string[] {
  const body = new RegExp(`export interface ${name} \\{([^}]*)\\}`).exec(api)?.[1];
  if (body === undefined) throw new Error(`harness/estimate/api.ts has no interface ${name}`);
  return [...body.matchAll(/^\s*(\w+): number;/gm)].map((m) => m[1]!);
}

/** estimate-fan-out → FanOut */
const typePrefix = (drill: string) => drill.replace(/^estimate-/, "").replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase());

describe.each(Object.values(drills))("the declarations of $name", (drill) => {
  it("list the drill's assumptions and figures, in the model's order", () => {
    const prefix = typePrefix(drill.name);
    expect(fieldsOf(`${prefix}Assumptions`)).toEqual(drill.assumptions.map((a) => a.name));
    expect(fieldsOf(`${prefix}Figures`)).toEqual(drill.steps.map((s) => s.figure));
  });
});

describe("the CLI type check", () => {
  it("has the estimation types in the clusterlab module", () => {
    const dts = clusterlabDts();
    expect(dts).toContain("export interface QpsFigures");
    expect(dts).toContain("export interface Body");
  });

  it.each(drillSlugs)("accepts %s's reference, alternatives and starter", async (slug) => {
    const dir = join(exercisesDir, slug);
    const files = [join(dir, ".meta", "solution.ts"), join(dir, "starter.ts"), ...readdirSync(join(dir, ".meta", "alternatives")).map((f) => join(dir, ".meta", "alternatives", f))];
    for (const file of files) expect(await typecheckSolution(file), file).toEqual([]);
  }, 60_000);

  it("refuses a figure the drill does not have, naming the line", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "estimate-api-"));
    const file = join(dir, "typo.ts");
    writeFileSync(file, 'import type { QpsAssumptions, QpsFigures } from "clusterlab";\nexport default function estimate(a: QpsAssumptions): QpsFigures {\n  return { dailyRequests: 1, meanQps: 1, peakQPS: 1, peakWriteQps: 1, readToWriteRatio: 1 };\n}\n');
    try {
      const problems = await typecheckSolution(file, "typo.ts");
      expect(problems.join("\n")).toMatch(/typo\.ts:3:\d+ TS\d+ .*peakQPS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
