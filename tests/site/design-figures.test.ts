// The design panel's pure parts (issue 18, "In the browser"): the design read back from a run's figures
// as a graph (components, the calls between them, utilisation and errors), the phases table, the time
// series with the fault shaded, the cost by line and the reference's figures beside the learner's.
import { describe, expect, it } from "vitest";
import { creditWord, estimateHeadline, estimateRows, formatEstimate } from "../../src/scripts/exercise/estimate-figures.ts";
import { costChart, designGraph, designGraphSvg, designHeadline, designSeriesCharts, phaseRows, referenceComparison, utilisationTone } from "../../src/scripts/exercise/design-figures.ts";

// Shaped as graders/design/graph.ts and figures.ts name them: a balancer, a pool, a cache and a store,
// 600 s simulated, each sampled request standing for 10.
const metrics = {
  simulatedMs: 600_000,
  sampleWeight: 10,
  requests: 60_000,
  "component.lb.lb": 1,
  "component.api.pool": 20,
  "component.cache.cache": 3,
  "component.db.sql": 6,
  "component.archive.objectStore": 1,
  "calls.users.lb": 60_000,
  "callErrors.users.lb": 120,
  "calls.lb.api": 60_000,
  "callErrors.lb.api": 0,
  "calls.api.cache": 60_000,
  "callErrors.api.cache": 6_000,
  "calls.api.db": 12_000,
  "callErrors.api.db": 60,
  "util.lb": 0,
  "util.api": 0.31,
  "util.cache": 0.02,
  "util.db": 0.85,
  "util.archive": 0,
  "hitRatio.cache": 0.8,
  "resolve.requests": 50_000,
  "resolve.availability": 0.998,
  "resolve.p99Ms": 24,
  "resolve.before.availability": 1,
  "resolve.before.p99Ms": 4.2,
  "resolve.during.availability": 0.97,
  "resolve.during.p99Ms": 440,
  "resolve.after.availability": 1,
  "resolve.after.p99Ms": 4.3,
  errorRate: 0.002,
  latencyP99Ms: 24,
  costUsdPerMonth: 7700,
  "cost.compute": 965,
  "cost.database": 2094,
  "cost.egress": 3154,
  referenceCostUsdPerMonth: 7000,
  referenceLatencyP99Ms: 20,
  costRatio: 1.1,
  p99Ratio: 1.2,
  seriesWindowSec: 10,
  faultFromMs: 300_000,
  faultToMs: 360_000,
};

describe("the design's drawing", () => {
  it("has every component and the users, the calls between them at full traffic, and each component's errors", () => {
    const graph = designGraph(metrics)!;
    expect(graph.nodes.map((n) => `${n.name}:${n.kind}×${n.size}`)).toEqual(["users:users×1", "lb:lb×1", "api:pool×20", "cache:cache×3", "db:sql×6", "archive:objectStore×1"]);
    const call = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to)!;
    // 12,000 sampled attempts over 600 s, each standing for 10: 200 calls a second.
    expect(call("api", "db").perSec).toBe(200);
    expect(call("api", "cache").errorRate).toBe(0.1);
    const node = (name: string) => graph.nodes.find((n) => n.name === name)!;
    expect(node("cache").errorRate).toBe(0.1);
    expect(node("db").errorRate).toBeCloseTo(0.005);
    expect(node("cache").notes).toContain("hit ratio 80%");
    // A balancer has no CPU of its own to be busy with: no utilisation rather than a misleading 0%.
    expect(node("lb").utilisation).toBeUndefined();
    expect(node("db").utilisation).toBe(0.85);
    // Columns by calls from the users; what nothing called goes last.
    expect(graph.columns).toEqual([["users"], ["lb"], ["api"], ["cache", "db"], ["archive"]]);
  });

  it("colours components by utilisation and marks failing ones and their calls", () => {
    expect([undefined, 0.2, 0.5, 0.79, 0.8].map(utilisationTone)).toEqual(["idle", "ok", "warm", "warm", "hot"]);
    const svg = designGraphSvg(designGraph(metrics)!);
    expect(svg).toMatch(/class="cl-design__node cl-design__node--hot" data-component="db"/);
    expect(svg).toMatch(/class="cl-design__node cl-design__node--ok cl-design__node--failing" data-component="cache"/);
    expect(svg).toMatch(/class="cl-design__call cl-design__call--failing" data-call="api→cache"/);
    expect(svg).toContain("1,000/s · 10% failed");
    expect(svg).not.toMatch(/data-call="api→db"[^>]*--failing/);
  });

  it("is not drawn for a run that never read the design", () => {
    expect(designGraph({ simulatedMs: 0 })).toBeUndefined();
  });
});

describe("the design's figures", () => {
  it("puts each request type's availability and p99 per phase of the fault, or over the run without one", () => {
    expect(phaseRows(metrics)).toEqual([
      { type: "resolve", requests: 50_000, cells: [
        { phase: "before", availability: 1, p99Ms: 4.2 },
        { phase: "during", availability: 0.97, p99Ms: 440 },
        { phase: "after", availability: 1, p99Ms: 4.3 },
      ] },
    ]);
    expect(phaseRows({ "shorten.requests": 10, "shorten.availability": 1, "shorten.p99Ms": 9 })[0]!.cells).toEqual([{ phase: "run", availability: 1, p99Ms: 9 }]);
  });

  it("charts latency, failures and backlogs per window with the fault shaded", () => {
    const charts = designSeriesCharts({ sent: [100, 100, 50], ok: [100, 90, 50], "p99Ms.resolve": [4, 400, 4], "backlog.jobs": [0, 30, 2] }, { ...metrics, faultFromMs: 10_000, faultToMs: 20_000 });
    expect(charts.map((c) => c.title)).toEqual(["p99 latency of resolve, per window", "Requests that failed, per window", "Waiting at jobs (most in a window, sampled requests or messages)"]);
    expect(charts[0]!.band).toEqual({ from: 1, to: 2, label: "the fault" });
    expect(charts[0]!.label(2)).toBe("20");
    expect(charts[1]!.values).toEqual([0, 10, 0]);
    expect(charts[1]!.values.map((v, i) => charts[1]!.bad!(v, i))).toEqual([false, true, false]);
  });

  it("breaks the cost down by line, largest first, and sets the learner's figures beside the reference's", () => {
    const cost = costChart(metrics)!;
    expect(cost.bars.map((b) => b.label)).toEqual(["egress", "database", "compute"]);
    expect(cost.title).toBe("Cost per month by line: $7,700 in all");
    expect(referenceComparison(metrics)).toEqual([
      { label: "cost per month", yours: "$7,700", reference: "$7,000", ratio: 1.1 },
      { label: "p99 latency, every request", yours: "24 ms", reference: "20 ms", ratio: 1.2 },
    ]);
    expect(designHeadline([metrics, { ...metrics, costUsdPerMonth: 9000, costRatio: 1.3 }, { ...metrics, costUsdPerMonth: 8000, costRatio: 1.2 }])).toEqual(["availability 99.8%", "p99 24 ms", "$8,000/month", "1.2× the reference's cost"]);
  });
});

describe("an estimation drill's figures", () => {
  const m = { score: 0.9, figuresFull: 4, figuresPartial: 1, figuresNone: 0, "credit.meanQps": 1, "model.meanQps": 6569.4, "yours.meanQps": 6569.4, "credit.peakQps": 0.5, "model.peakQps": 22993, "yours.peakQps": 6569.4, "model.storageBytes5y": 2.5e15 };
  it("sets each figure beside the model's with the ratio and the credit; a missing figure has no ratio", () => {
    const rows = estimateRows(m);
    expect(rows.map((r) => `${r.figure} ${r.yours ?? "-"} ${r.model} ${r.ratio?.toFixed(3) ?? "-"} ${creditWord(r.credit)}`)).toEqual([
      "meanQps 6569.4 6569.4 1.000 full",
      "peakQps 6569.4 22993 0.286 partial",
      "storageBytes5y - 2500000000000000 - none",
    ]);
    expect(formatEstimate(22993)).toBe("23,000");
    expect(formatEstimate(2.5e15)).toBe("2.50 × 10^15");
    expect(estimateHeadline([m])).toEqual(["score 90%", "4 of 5 figures within 2×"]);
  });
});
