// A node's timers run off its own clock: a timer of `ms` fires when node.now() has moved on by exactly `ms`,
// which on a drifting clock is `ms / rate` of true time; with no drift, exactly `ms` of true time as before.
import { describe, expect, it } from "vitest";
import { localMsAt, timerFiresAt, trueClock, type ClockSpec } from "../../graders/sim/clock.ts";
import { createRng } from "../../graders/sim/prng.ts";
import { Simulator } from "../../graders/sim/simulator.ts";
import type { Knobs, ScenarioSpec } from "../../graders/sim/scenario.ts";
import { expandKnobs } from "../../graders/sim/knobs.ts";
import { createNodeRuntime } from "../../graders/harness/node/realm/runtime.ts";
import type { Node } from "../../graders/harness/node/api.ts";
import type { Workload } from "../../graders/workloads/types.ts";

it("with no drift a timer fires exactly its delay later in true time, at any skew", () => {
  for (const trueMs of [0, 0.25, 17, 1234.5678]) {
    expect(timerFiresAt(trueClock, trueMs, 300)).toBe(trueMs + 300);
    expect(timerFiresAt({ skewMs: -180, driftPpm: 0 }, trueMs, 7)).toBe(trueMs + 7);
  }
});

it("a drifting clock fires its timers when it has counted the delay: 300 ms on a clock 2% slow is 306.1 ms of true time", () => {
  const slow = { skewMs: 40, driftPpm: -20_000 };
  const fast = { skewMs: -40, driftPpm: 20_000 };
  expect(timerFiresAt(slow, 1000, 300) - 1000).toBeCloseTo(300 / 0.98, 9);
  expect(timerFiresAt(fast, 1000, 300) - 1000).toBeCloseTo(300 / 1.02, 9);
});

it("the callback reads exactly the delay more on the node's clock, at delay / rate of true time (5,000 draws)", () => {
  const rng = createRng(7, "clock-test");
  for (let i = 0; i < 5000; i++) {
    const clock: ClockSpec = { skewMs: Math.round(rng.uniform(-300, 300)), driftPpm: Math.round(rng.uniform(-50_000, 50_000)) };
    const trueMs = rng.uniform(0, 60_000);
    const delayMs = 1 + rng.int(5000);
    const at = timerFiresAt(clock, trueMs, delayMs);
    const due = localMsAt(clock, trueMs) + delayMs;
    expect(localMsAt(clock, at)).toBe(due);
    // Nudged past the division's rounding at most: never a measurable moment late.
    expect(Math.abs(at - (trueMs + delayMs / (1 + clock.driftPpm / 1e6)))).toBeLessThan(1e-6);
  }
});

it("where dividing by the rate rounds short (a clock 1.975% slow, 8 ms from 0), the timer still waits for the full reading", () => {
  const clock = { skewMs: 0, driftPpm: -19_750 };
  // The plain quotient lands where the clock still reads 7: the nudge moves it on by a few ulps.
  expect(localMsAt(clock, 8 / (1 + clock.driftPpm / 1e6))).toBe(7);
  expect(localMsAt(clock, timerFiresAt(clock, 0, 8))).toBe(8);
});

/** Runs one node of the real runtime with `clock`, whose start(node) is `start`, for 2 s of true time. */
function runNode(clock: ClockSpec, start: (node: Node, trueNow: () => number) => void): void {
  const scenario: ScenarioSpec = { name: "clock", nodes: 1, durationMs: 2000, settleMs: 100, network: { latency: { dist: "constant", ms: 1 } }, workload: { name: "none", rate: 1, clients: 1 } };
  const knobs: Knobs = { seed: 1, nodeIds: ["n1"], latency: { dist: "constant", ms: 1 }, lossRate: 0, duplicateRate: 0, clocks: { n1: clock }, faults: [] };
  const workload: Workload = { name: "none", summary: "", rpcs: [], checks: {}, driver: () => ({ start: () => {}, final: () => {} }) };
  const sim = new Simulator(scenario, knobs, workload);
  const runtime = createNodeRuntime();
  let trueMs = 0;
  runtime.setExports({ default: (node: Node) => start(node, () => trueMs) });
  sim.attach("n1", (kind, now, arg, src) => {
    trueMs = now;
    return runtime.entry(kind, now, arg, src);
  });
  for (let signal = sim.run(); signal !== "done"; signal = sim.run()) expect(signal).toBe("yield");
}

it("node.after and node.every count on the node's clock in the runtime too, the same as node.now()", () => {
  const seen: Array<{ local: number; true: number }> = [];
  runNode({ skewMs: 120, driftPpm: -20_000 }, (node, trueNow) => {
    seen.push({ local: node.now(), true: trueNow() });
    node.after(300, () => seen.push({ local: node.now(), true: trueNow() }));
    const id = node.every(500, () => {
      seen.push({ local: node.now(), true: trueNow() });
      if (seen.length >= 4) node.cancel(id);
    });
  });
  const [boot, after, every1, every2] = seen;
  expect(boot!.true).toBe(0);
  expect(after!.local - boot!.local).toBe(300);
  expect(after!.true).toBeCloseTo(300 / 0.98, 6);
  expect(every1!.local - boot!.local).toBe(500);
  expect(every2!.local - every1!.local).toBe(500);
  expect(every2!.true).toBeCloseTo(1000 / 0.98, 6);
});

it("with no drift the runtime's timers fire on whole true milliseconds, as they always did", () => {
  const seen: number[] = [];
  runNode({ skewMs: -75, driftPpm: 0 }, (node, trueNow) => {
    node.after(300, () => seen.push(trueNow()));
    node.after(0, () => seen.push(trueNow()));
  });
  expect(seen).toEqual([1, 300]);
});

describe("the drift's range", () => {
  const scenario = (faults: ScenarioSpec["faults"]): ScenarioSpec => ({ name: "drift", nodes: 5, durationMs: 1000, network: { latency: { dist: "constant", ms: 1 } }, workload: { name: "none", rate: 1 }, faults });
  const drifts = (faults: ScenarioSpec["faults"], seed: number) => Object.values(expandKnobs(scenario(faults), seed).clocks).map((c) => c.driftPpm);

  it("without a min, clocks run fast and slow within ±max, drawn as before a min existed (−max given: the same draws)", () => {
    const all = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => drifts({ clockDriftPpmMax: 20_000 }, seed));
    expect(all.some((d) => d > 0) && all.some((d) => d < 0)).toBe(true);
    expect(all.every((d) => Math.abs(d) <= 20_000)).toBe(true);
    for (const seed of [1, 2, 3]) expect(drifts({ clockDriftPpmMax: 20_000, clockDriftPpmMin: -20_000 }, seed)).toEqual(drifts({ clockDriftPpmMax: 20_000 }, seed));
  });

  it("with a min, every clock drifts within [min, max]: all slow when both are below zero", () => {
    const all = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => drifts({ clockDriftPpmMin: -50_000, clockDriftPpmMax: -10_000 }, seed));
    expect(all.every((d) => d >= -50_000 && d <= -10_000)).toBe(true);
    expect(Math.min(...all)).toBeLessThan(-40_000);
    expect(Math.max(...all)).toBeGreaterThan(-20_000);
  });

  it("refuses a range upside down, or a clock that would stop or run backwards", () => {
    expect(() => expandKnobs(scenario({ clockDriftPpmMax: -10_000 }), 1)).toThrow(/clockDriftPpmMin must be ≤ clockDriftPpmMax/);
    expect(() => expandKnobs(scenario({ clockDriftPpmMin: -2_000_000, clockDriftPpmMax: 0 }), 1)).toThrow(/within ±500000 ppm/);
  });
});
