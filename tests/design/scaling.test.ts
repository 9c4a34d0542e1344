// Scaled traffic holds against the unscaled run. A task simulates a sample of the users (60 requests/s at
// the peak by default), each standing for `weight` real requests, on stations with their real slot counts
// where a sampled request holds its slot weight × its own time (station.ts). The reference design, run
// unscaled (weight 1: every one of 4,000 requests a second) and scaled, must agree on p99 and error rate
// within 5%; and at 10× traffic a sample ten times larger (weight 67 against 667) must agree the same way.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import { designScenario, type DesignScenarioSpec } from "../../graders/design/scenario.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { exercisesDir } from "../../src/cli/exercises.ts";

const sandbox = createIsolatedVmSandbox();
const reference = join(exercisesDir, "url-shortener", ".meta", "solution.ts");

async function figures(spec: Omit<DesignScenarioSpec, "prompt">, seed: number): Promise<Record<string, number>> {
  const t = await transpileSolution(readFileSync(reference, "utf8"), reference);
  if ("errors" in t) throw new Error(t.errors[0]!.text);
  const scenario = designScenario({ prompt: "url-shortener", ...spec });
  const out = await sandbox.run({ scenario, knobs: expandKnobs(scenario, seed), solutionJs: t.js, harness: "design", limits: { wallMs: 120_000 } });
  if (out.kind === "error") throw new Error(out.message);
  return (out.data as unknown as { design: { figures: Record<string, number> } }).design.figures;
}

/** Within 5% of each other (and, for rates near zero, within 0.05 percentage points). */
function close(a: number, b: number, relative = 0.05, absolute = 0.0005): boolean {
  return Math.abs(a - b) <= Math.max(absolute, relative * Math.max(Math.abs(a), Math.abs(b)));
}

describe("scaled traffic agrees with the unscaled run", () => {
  it("launch: 60 simulated requests/s (weight 67) against all 4,000 (weight 1)", async () => {
    const scaled = await figures({ name: "launch", durationMin: 10 }, 1);
    const full = await figures({ name: "launch", durationMin: 1, sampledPeakPerSec: 4000 }, 1);
    expect(full.sampleWeight).toBe(1);
    expect(scaled.sampleWeight).toBeCloseTo(66.67, 1);
    expect(full.requests).toBeGreaterThan(20 * scaled.requests! / 10);
    for (const key of ["latencyP99Ms", "resolve.p99Ms", "errorRate"]) expect(close(scaled[key]!, full[key]!), `${key}: scaled ${scaled[key]}, unscaled ${full[key]}`).toBe(true);
  }, 240_000);

  it("10× growth: weight 667 against weight 67", async () => {
    const scaled = await figures({ name: "growth", growth: 10, durationMin: 10 }, 2);
    const finer = await figures({ name: "growth", growth: 10, durationMin: 1, sampledPeakPerSec: 600 }, 2);
    for (const key of ["latencyP99Ms", "resolve.p99Ms", "errorRate"]) expect(close(scaled[key]!, finer[key]!), `${key}: weight ${scaled.sampleWeight} ${scaled[key]}, weight ${finer.sampleWeight} ${finer[key]}`).toBe(true);
  }, 240_000);
});
