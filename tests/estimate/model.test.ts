// The drills' models and draws: assumptions stay inside the stated ranges and follow the seed; every model
// figure is one the comparison can judge; and the formulas the drills teach hold against brute force
// (the Zipf share against an exact harmonic sum, the fan-out tail and serial availability against sampling).
import { describe, expect, it } from "vitest";
import { drawAssumptions, drills, runModel } from "../../graders/estimate/index.ts";
import { createRng } from "../../graders/sim/prng.ts";

const seeds = Array.from({ length: 300 }, (_, i) => i + 1);

describe.each(Object.values(drills))("drill $name", (drill) => {
  it("draws assumptions inside the stated ranges, the same for the same seed and new for another", () => {
    const first = drawAssumptions(drill, 1);
    expect(drawAssumptions(drill, 1)).toEqual(first);
    const distinct = new Set(seeds.slice(0, 20).map((seed) => JSON.stringify(drawAssumptions(drill, seed))));
    expect(distinct.size).toBeGreaterThan(10);
    for (const seed of seeds) {
      const a = drawAssumptions(drill, seed);
      expect(Object.keys(a)).toEqual(drill.assumptions.map((s) => s.name));
      for (const spec of drill.assumptions) {
        const x = a[spec.name]!;
        if (spec.choices) expect(spec.choices, `${spec.name} seed ${seed}`).toContain(x);
        else {
          expect(x, `${spec.name} seed ${seed}`).toBeGreaterThanOrEqual(spec.min);
          expect(x, `${spec.name} seed ${seed}`).toBeLessThanOrEqual(spec.max);
        }
      }
      if (drill.accept) expect(drill.accept(a)).toBe(true);
    }
  });

  it("gives figures the comparison can judge on every seed", () => {
    for (const seed of seeds) {
      const model = runModel(drill, drawAssumptions(drill, seed));
      for (const step of drill.steps) {
        const x = model[step.figure]!;
        expect(Number.isFinite(x), `${step.figure} seed ${seed}`).toBe(true);
        if (step.compare === "probability") expect(x > 0 && x < 1, `${step.figure} = ${x}, seed ${seed}`).toBe(true);
        else expect(x, `${step.figure} seed ${seed}`).toBeGreaterThan(0);
      }
    }
  });

  it("names its steps' inputs among the assumptions and the earlier figures, and its checks in letters and hyphens", () => {
    const known = new Set(drill.assumptions.map((a) => a.name));
    for (const step of drill.steps) {
      for (const input of step.inputs) expect(known.has(input), `${step.figure} reads ${input}`).toBe(true);
      known.add(step.figure);
      // The exercise tests read a wrong solution's "// fails: <check>" with [a-z-]+.
      expect(step.check).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    expect(new Set(drill.steps.map((s) => s.check)).size).toBe(drill.steps.length);
  });
});

describe("the formulas the drills teach", () => {
  it("Zipf(1): the top k of n take H(k)/H(n) of the reads, and ln n + γ is within 0.1% of H(n)", () => {
    const n = 1_000_000;
    let h = 0;
    const exact = new Map<number, number>();
    for (let i = 1; i <= n; i++) {
      h += 1 / i;
      if (i === 50_000 || i === 200_000 || i === n) exact.set(i, h);
    }
    const cache = drills["estimate-cache"]!;
    const hitStep = cache.steps.find((s) => s.figure === "hitRatio")!;
    for (const k of [50_000, 200_000]) {
      const approx = hitStep.compute({ hotObjects: k, objects: n });
      expect(Math.abs(approx - exact.get(k)! / exact.get(n)!)).toBeLessThan(1e-3);
    }
  });

  it("the fan-out tail is 1 − (1 − p)^n: sampled requests agree within sampling error", () => {
    const fan = drills["estimate-fan-out"]!;
    const rng = createRng(7, "fan-out-test");
    for (const [n, p] of [[20, 0.01], [100, 0.01], [50, 0.03]] as const) {
      const model = runModel(fan, { fanOut: n, leafSlowProbability: p, targetSlowProbability: 0.1 });
      const trials = 20_000;
      let slow = 0;
      for (let t = 0; t < trials; t++) {
        let any = false;
        for (let leaf = 0; leaf < n; leaf++) if (rng.chance(p)) any = true;
        if (any) slow++;
      }
      expect(Math.abs(slow / trials - model.slowRequestProbability!)).toBeLessThan(0.015);
      // And the inverse steps invert it.
      expect(1 - (1 - p) ** model.maxFanOut!).toBeLessThanOrEqual(0.1);
      expect(1 - (1 - p) ** (model.maxFanOut! + 1)).toBeGreaterThan(0.1);
      expect(1 - (1 - model.leafSlowProbabilityForTarget!) ** n).toBeCloseTo(0.1, 9);
    }
  });

  it("availability: serial parts multiply, redundant copies are down together; sampled outages agree", () => {
    const availability = drills["estimate-availability"]!;
    const a = { loadBalancerAvailability: 0.999, appServerAvailability: 0.9, appServers: 2, databaseNodeAvailability: 0.95, databaseNodes: 2, dependencyAvailability: 0.99 };
    const model = runModel(availability, a);
    const rng = createRng(11, "availability-test");
    const trials = 200_000;
    let up = 0;
    for (let t = 0; t < trials; t++) {
      const lb = !rng.chance(1 - a.loadBalancerAvailability);
      const app = [0, 1].some(() => !rng.chance(1 - a.appServerAvailability));
      const db = [0, 1].some(() => !rng.chance(1 - a.databaseNodeAvailability));
      const dep = !rng.chance(1 - a.dependencyAvailability);
      if (lb && app && db && dep) up++;
    }
    expect(Math.abs(up / trials - model.systemAvailability!)).toBeLessThan(0.002);
    expect(model.systemNines).toBeCloseTo(-Math.log10(1 - model.systemAvailability!), 9);
  });
});
