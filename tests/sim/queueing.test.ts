// The request-level simulator against queueing theory. Exact maths on seeded runs, not timing: the
// seeds are fixed, so each figure below is the same on every machine and every run.
import { describe, expect, it } from "vitest";
import { runQueueModel, type QueueModelSpec } from "../../graders/sim/requests/model.ts";
import { mmc } from "./erlang.ts";
import { OK, Recorder } from "../../graders/sim/requests/recorder.ts";
import { percentile } from "../../graders/checkers/stats.ts";

function mmcRun(seed: number, c: number, lambdaPerMs: number, meanMs: number, durationMs: number) {
  return runQueueModel({ seed, load: { open: { ratePerSec: lambdaPerMs * 1000 } }, durationMs, drain: true, slots: c, service: { dist: "exponential", meanMs } });
}

/** Pooled waits of several seeds: each run alone has autocorrelated waits, so pooling steadies the estimate. */
function pooledWaits(c: number, lambdaPerMs: number, meanMs: number, seeds: number[], durationMs: number) {
  let sum = 0, n = 0, waited = 0;
  const over = new Map<number, number>();
  const thresholds = [meanMs, 2 * meanMs, 4 * meanMs];
  for (const seed of seeds) {
    const run = mmcRun(seed, c, lambdaPerMs, meanMs, durationMs);
    for (const w of run.waitsMs) {
      sum += w;
      n++;
      if (w > 0) waited++;
      for (const t of thresholds) if (w > t) over.set(t, (over.get(t) ?? 0) + 1);
    }
  }
  return { meanWaitMs: sum / n, probWait: waited / n, over: thresholds.map((t) => ({ t, p: (over.get(t) ?? 0) / n })), n };
}

describe("M/M/c against Erlang C", () => {
  for (const { c, rho } of [{ c: 4, rho: 0.8 }, { c: 1, rho: 0.6 }, { c: 16, rho: 0.8 }]) {
    it(`c=${c}, ρ=${rho}: mean wait, P(wait>0) and the wait tail within 5%`, () => {
      const meanMs = 10;
      const lambda = (rho * c) / meanMs;
      const theory = mmc(c, lambda, 1 / meanMs);
      const sim = pooledWaits(c, lambda, meanMs, [1, 2, 3, 4], Math.round(600_000 / lambda));
      expect(sim.n).toBeGreaterThan(2_000_000);
      expect(Math.abs(sim.meanWaitMs / theory.meanWaitMs - 1)).toBeLessThan(0.05);
      expect(Math.abs(sim.probWait / theory.probWait - 1)).toBeLessThan(0.05);
      for (const { t, p } of sim.over) {
        // Only where the tail still holds enough samples to estimate (≥ 1% of requests).
        if (theory.waitOver(t) < 0.01) continue;
        expect(Math.abs(p / theory.waitOver(t) - 1), `P(wait > ${t} ms)`).toBeLessThan(0.05);
      }
    }, 60_000);
  }
});

describe("Little's law L = λW", () => {
  const runs: Array<[string, QueueModelSpec]> = [
    ["M/M/4 open loop", { seed: 7, load: { open: { ratePerSec: 300 } }, durationMs: 60_000, drain: true, slots: 4, service: { dist: "exponential", meanMs: 10 } }],
    ["lognormal, bursts and a daily cycle", { seed: 8, load: { open: { ratePerSec: 200, diurnal: { periodMs: 20_000, amplitude: 0.5 }, bursts: { everyMs: 5000, lengthMs: 500, factor: 3 } } }, durationMs: 60_000, drain: true, slots: 3, service: { dist: "lognormal", medianMs: 8, sigma: 1 } }],
    ["pareto with timeouts and a bounded queue", { seed: 9, load: { open: { ratePerSec: 400 } }, durationMs: 30_000, drain: true, slots: 2, queueMax: 50, timeoutMs: 200, service: { dist: "pareto", minMs: 2, alpha: 1.5 } }],
    ["closed loop", { seed: 10, load: { closed: { clients: 20, thinkMs: 50 } }, durationMs: 30_000, drain: true, slots: 2, service: { dist: "exponential", meanMs: 5 } }],
  ];
  it.each(runs)("%s", (_name, spec) => {
    const run = runQueueModel(spec);
    expect(run.requests).toBeGreaterThan(1000);
    // Every request finished (drained), so L and λW must agree to rounding.
    expect(run.requests).toBe(run.ok + run.errors + run.timeouts + run.dropped);
    expect(run.littleL).toBeCloseTo(run.littleLambdaPerMs * run.littleWMs, 6);
  });
});

describe("saturation (ρ ≥ 1)", () => {
  it("an unbounded queue grows without a steady state", () => {
    const run = runQueueModel({ seed: 3, load: { open: { ratePerSec: 110 } }, durationMs: 60_000, slots: 1, service: { dist: "exponential", meanMs: 10 }, sampleEveryMs: 10_000 });
    // ρ = 1.1: the backlog grows by about (λ − μ)·t = 10 requests a second.
    expect(run.backlog.length).toBe(6);
    for (let i = 1; i < run.backlog.length; i++) expect(run.backlog[i]!).toBeGreaterThan(run.backlog[i - 1]!);
    expect(run.backlog.at(-1)!).toBeGreaterThan(300);
    // Waits grow with the backlog: the last requests wait far longer than the first.
    const w = run.waitsMs;
    expect(w[w.length - 1]!).toBeGreaterThan(20 * Math.max(1, w[100]!));
  });

  it("a bounded queue with client timeouts drops and times out instead", () => {
    const run = runQueueModel({ seed: 4, load: { open: { ratePerSec: 200 } }, durationMs: 30_000, drain: true, slots: 1, queueMax: 20, timeoutMs: 150, service: { dist: "exponential", meanMs: 10 } });
    expect(run.dropped / run.requests).toBeGreaterThan(0.3);
    expect(run.timeouts).toBeGreaterThan(0);
    // Throughput is capped by the server (100/s), whatever the offered load (200/s).
    expect(run.throughputPerSec).toBeLessThan(101);
  });

  it("below saturation the same queue is steady", () => {
    const run = runQueueModel({ seed: 4, load: { open: { ratePerSec: 50 } }, durationMs: 60_000, slots: 1, service: { dist: "exponential", meanMs: 10 }, sampleEveryMs: 10_000 });
    expect(Math.max(...run.backlog)).toBeLessThan(20);
  });
});

describe("determinism", () => {
  it("same seed ⇒ same record hash; another seed ⇒ another", () => {
    const spec: QueueModelSpec = { seed: 5, load: { open: { ratePerSec: 300 } }, durationMs: 10_000, drain: true, slots: 4, service: { dist: "lognormal", medianMs: 8, sigma: 1.2 } };
    expect(runQueueModel(spec).recordHash).toBe(runQueueModel(spec).recordHash);
    expect(runQueueModel({ ...spec, seed: 6 }).recordHash).not.toBe(runQueueModel(spec).recordHash);
  });
});

describe("figures", () => {
  it("percentiles by selection equal the nearest-rank percentiles of a sort", () => {
    const run = runQueueModel({ seed: 11, load: { open: { ratePerSec: 300 } }, durationMs: 20_000, drain: true, slots: 4, service: { dist: "lognormal", medianMs: 8, sigma: 1.2 } });
    const recorder = new Recorder();
    // Replay the run's waits as latencies through a fresh recorder, against a plain sort.
    const values = Array.from(run.waitsMs, (w, i) => w + (i % 7));
    values.forEach((v, i) => {
      recorder.enter(i);
      recorder.leave(i + v, i, OK);
    });
    const sorted = [...values].sort((a, b) => a - b);
    const f = recorder.figures(values.length + 10_000);
    for (const [q, got] of [[0.5, f.latencyP50Ms], [0.99, f.latencyP99Ms], [0.999, f.latencyP999Ms]] as const) {
      expect(got).toBe(Math.round(percentile(sorted, q) * 10) / 10);
    }
    expect(f.latencyMaxMs).toBe(Math.round(sorted.at(-1)! * 10) / 10);
  });
});
