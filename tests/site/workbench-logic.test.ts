// The workbench's pure parts, without a browser: how a component run's figures are grouped, the
// headline latency per scenario, what Upload refuses, an exercise's status, the grading status line,
// and which encoding the local server sends.
import { describe, expect, it } from "vitest";
import { formatFigure, groupFigures, headlineFigures } from "../../src/scripts/exercise/component-figures.ts";
import { exerciseStatus } from "../../src/scripts/exercise/exercise-status.ts";
import { checkUpload, MAX_UPLOAD_BYTES } from "../../src/scripts/exercise/file-io.ts";
import { progressLine } from "../../src/scripts/exercise/grading-status.ts";
import { latencyByScenario } from "../../src/scripts/exercise/scenario-latency.ts";
import { chooseEncoding } from "../../scripts/serve.mjs";

// Figures as the lru-cache and load-balancer graders report them (from `clusterlab grade --json`).
const LRU = { events: 44149, simulatedMs: 0, wallMs: 112, capacity: 1000, reads: 30000, hitRatio: 0.528, lruHitRatio: 0.528, optimalHitRatio: 0.661, hits: 15851, lruHits: 15851, optimalHits: 19837, wrongValues: 0 };
const BALANCER = { events: 4801, simulatedMs: 10000, wallMs: 17, requests: 2378, ok: 2378, errors: 0, timeouts: 0, dropped: 0, errorRate: 0, throughputPerSec: 237.8, latencyP50Ms: 13, latencyP99Ms: 114.4, latencyMaxMs: 233.7, imbalance: 1.169, failedRequests: 0, invalidPicks: 0, costServerSec: 40, utilisationMax: 0.83 };

describe("component figures", () => {
  it("groups a cache's figures under its hit ratio, with a chart against exact LRU and the optimum, and leaves out the run's bookkeeping", () => {
    const groups = groupFigures(LRU);
    expect(groups[0]!.title).toMatch(/hit ratio/i);
    expect(groups[0]!.chart!.bars.map((b) => [b.label, b.value])).toEqual([["yours", 52.8], ["exact LRU", 52.8], ["optimum", 66.1]]);
    const keys = groups.flatMap((g) => g.figures.map((f) => f.key));
    expect(keys).not.toContain("simulatedMs");
    expect(keys).not.toContain("events");
    expect(keys.sort()).toEqual(Object.keys(LRU).filter((k) => !["events", "simulatedMs", "wallMs"].includes(k)).sort());
  });

  it("puts each of a balancer's figures in one group, and an unknown figure under Other", () => {
    const groups = groupFigures({ ...BALANCER, brandNewFigure: 3 });
    const titles = groups.map((g) => g.title);
    expect(titles).toContain("Load across servers");
    expect(titles).toContain("Requests");
    expect(titles.at(-1)).toBe("Other figures");
    const all = groups.flatMap((g) => g.figures.map((f) => f.key));
    expect(new Set(all).size).toBe(all.length);
    expect(groups.find((g) => g.title.startsWith("Latency"))!.chart!.bars.map((b) => b.label)).toEqual(["p50", "p99", "max"]);
  });

  it("formats by the figure's name", () => {
    expect(formatFigure("hitRatio", 0.528)).toBe("52.8%");
    expect(formatFigure("imbalance", 1.169)).toBe("1.169×");
    expect(formatFigure("latencyP99Ms", 114.4)).toBe("114 ms");
    expect(formatFigure("latencyP50Ms", 13)).toBe("13 ms");
    expect(formatFigure("throughputPerSec", 237.8)).toBe("237.8/s");
    expect(formatFigure("requests", 2378)).toBe("2,378");
  });

  it("headlines a scenario with its median seed's figures, the measure first", () => {
    const runs = [LRU, { ...LRU, hitRatio: 0.5 }, { ...LRU, hitRatio: 0.6 }];
    const headline = headlineFigures(runs);
    expect(headline[0]).toMatchObject({ key: "hitRatio", value: 0.528 });
    expect(headline.map((f) => f.key)).toEqual(["hitRatio", "lruHitRatio", "optimalHitRatio"]);
    expect(headlineFigures([BALANCER]).map((f) => f.key)).toEqual(["imbalance", "latencyP99Ms", "failedRequests", "errorRate"]);
  });
});

describe("headline latency per scenario", () => {
  const test = (scenarioIndex: number, p50: number, p99: number, max: number, msgsPerOp?: number) => ({
    scenarioIndex,
    name: `t > s${scenarioIndex}`,
    taskId: "t",
    metrics: { latencyP50Ms: p50, latencyP99Ms: p99, latencyMaxMs: max, ...(msgsPerOp === undefined ? {} : { msgsPerOp }) },
  });

  it("keeps a 100 ms-per-hop scenario apart from the fast ones: medians per scenario, the worst max", () => {
    const rows = latencyByScenario([test(1, 10, 17, 18, 0), test(1, 11, 18, 19, 0), test(2, 200, 210, 260, 23), test(2, 190, 205, 300, 24), test(2, 195, 207, 250, 22)]);
    expect(rows.map((r) => [r.scenarioIndex, r.p50Ms, r.p99Ms, r.maxMs, r.msgsPerOp, r.seeds])).toEqual([
      [1, 10, 17, 19, 0, 2],
      [2, 195, 207, 300, 23, 3],
    ]);
  });

  it("leaves out runs that measured nothing (an error, a skipped run)", () => {
    expect(latencyByScenario([{ scenarioIndex: 1, name: "t > s", taskId: "t", metrics: {} }])).toEqual([]);
  });
});

describe("upload", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it("takes UTF-8 text and drops a byte-order mark", () => {
    expect(checkUpload("a.ts", bytes("\uFEFFexport default 1;\n"))).toEqual({ ok: true, text: "export default 1;\n" });
  });
  it("refuses a PNG, invalid UTF-8 and a file over the limit, saying why", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const refused = checkUpload("photo.png", png);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/photo\.png is not a text file/);
    expect(checkUpload("latin1.ts", new Uint8Array([0x63, 0x61, 0x66, 0xe9])).ok).toBe(false);
    const big = checkUpload("big.ts", new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0x61));
    expect(!big.ok && big.reason).toMatch(/at most 200 KB/);
  });
});

describe("exercise status", () => {
  const progress = (best: "pass" | "fail" | "error") => ({ best, last: best, lastRunAt: "2026-11-24T10:00:00.000Z" });
  it("is passed once a Submit passed, whatever came after", () => {
    expect(exerciseStatus(progress("pass"), "fail")).toBe("passed");
  });
  it("is failing after any grade that did not pass, and not started before the first", () => {
    expect(exerciseStatus(undefined, "fail")).toBe("failing");
    expect(exerciseStatus(undefined, "compile-error")).toBe("failing");
    expect(exerciseStatus(progress("fail"), undefined)).toBe("failing");
    expect(exerciseStatus(undefined, "pass")).toBe("run-passed");
    expect(exerciseStatus(undefined, undefined)).toBe("not-started");
  });
});

describe("grading status line", () => {
  it("says which run of how many, and the seconds left of its budget", () => {
    expect(progressLine({ done: 2, total: 8, seed: 1, name: "partitions > partitions" }, 7_300, 10_000)).toBe("Run 3 of 8: partitions > partitions, seed 1 · 8 s left of its 10 s budget");
    expect(progressLine({ done: 0, total: 8, seed: 1, name: "a > b" }, -500, 10_000)).toMatch(/0 s left/);
    expect(progressLine({ done: 8, total: 8, seed: 0, name: "" }, 10_000, 10_000)).toMatch(/All 8 runs done/);
  });

  it("says once a run has failed, with the first failure, while the grade goes on", () => {
    const first = { name: "launch > peak", seed: 1, status: "fail" as const, check: "latency" };
    expect(progressLine({ done: 3, total: 25, seed: 2, name: "launch > peak", bad: { runs: 2, first } }, 9_000, 10_000)).toBe(
      "Run 4 of 25: launch > peak, seed 2 · 9 s left of its 10 s budget · 2 runs failed so far (the first: latency failed in launch > peak, seed 1)",
    );
    expect(progressLine({ done: 1, total: 4, seed: 2, name: "a > b", bad: { runs: 1, first: { name: "a > b", seed: 1, status: "error" } } }, 9_000, 10_000)).toMatch(/· 1 run failed so far \(the first: an error in a > b, seed 1\)$/);
    expect(progressLine({ done: 4, total: 4, seed: 0, name: "", bad: { runs: 1, first } }, 0, 10_000)).toBe("All 4 runs done: checking… · 1 run failed so far (the first: latency failed in launch > peak, seed 1)");
    expect(progressLine({ done: 1, total: 4, seed: 2, name: "a > b", bad: { runs: 0 } }, 9_000, 10_000)).not.toMatch(/failed/);
  });
});

describe("local server encoding", () => {
  it("prefers brotli, then gzip, and honours q=0", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseEncoding("gzip")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("identity")).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});
