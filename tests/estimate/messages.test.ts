// What a learner reads: each failing figure names itself, both values and the gap; the step where their
// arithmetic parts from the model's; the mistake or the factor that explains it; and the whole answer's
// credit. The results carry the per-figure credit as metrics for the browser's panel.
import { describe, expect, it } from "vitest";
import { failuresOf, gradeFile, gradeSource } from "./helpers.ts";

const messageOf = async (slug: string, file: string, check: string, seed = 1) => {
  const results = await gradeFile(slug, file, [seed]);
  const failure = failuresOf(results).find((f) => f.check === check);
  expect(failure, `${slug} ${file} fails ${check}`).toBeDefined();
  return failure!.message;
};

describe("a failing figure's message", () => {
  it("names the figure, both values, the gap, the credit band and the known mistake", async () => {
    const message = await messageOf("estimate-qps", ".meta/wrong/seconds-per-hour.ts", "mean-qps");
    expect(message).toMatch(/^meanQps: yours [\d.,× ⁰-⁹]+, the model's [\d.,× ⁰-⁹]+ \(24× too high\): beyond 10×: no credit\./);
    expect(message).toMatch(/The step that differs: meanQps = dailyRequests ÷ 86,400 s per day/);
    expect(message).toMatch(/you divided by 3,600, the seconds in an hour/);
    expect(message).toMatch(/credit: dailyRequests full, meanQps none, peakQps none, peakWriteQps none, readToWriteRatio full; score 0\.4/);
  });

  it("says partial credit within 10×, and that the peak is a multiple of the mean", async () => {
    const message = await messageOf("estimate-qps", ".meta/wrong/mean-as-peak.ts", "peak-qps");
    expect(message).toMatch(/outside 2× but within 10×: partial credit/);
    expect(message).toMatch(/you used peak factor 1, the mean/);
  });

  it("finds the earlier step a later figure inherits its error from", async () => {
    const message = await messageOf("estimate-storage", ".meta/wrong/month-as-year.ts", "storage");
    expect(message).toMatch(/It parts from the model at bytesFirstYear = bytesPerDay × 365 days/);
    expect(message).toMatch(/you multiplied by 30, the days in a month/);
    expect(message).toMatch(/Your steps after it follow from it\./);
  });

  it("explains bits and bytes, and replication", async () => {
    expect(await messageOf("estimate-bandwidth", ".meta/wrong/bytes-as-bits.ts", "egress-gbits")).toMatch(/a byte is 8 bits, so multiply by 8/);
    expect(await messageOf("estimate-storage", ".meta/wrong/one-copy.ts", "storage")).toMatch(/every object is stored replicationFactor times/);
  });

  it("explains a gap no listed mistake covers by the factor it equals: an assumption or a unit", async () => {
    // Bytes priced as if they were gigabytes: 10⁹ too high.
    const bytesAsGB = `import type { CostAssumptions, CostFigures } from "clusterlab";
export default function estimate(a: CostAssumptions): CostFigures {
  const serverDollarsPerMonth = a.servers * a.serverDollarsPerHour * 730;
  const storageDollarsPerMonth = a.storedBytes * a.replicationFactor * a.storageDollarsPerGBMonth;
  const egressBytesPerMonth = (a.egressGbitsPerSec * 1e9 / 8) * 730 * 3600;
  const egressDollarsPerMonth = egressBytesPerMonth / 1e9 * a.egressDollarsPerGB;
  return { serverDollarsPerMonth, storageDollarsPerMonth, egressBytesPerMonth, egressDollarsPerMonth, totalDollarsPerMonth: serverDollarsPerMonth + storageDollarsPerMonth + egressDollarsPerMonth };
}`;
    const failures = failuresOf(await gradeSource("estimate-cost", bytesAsGB, [1]));
    expect(failures.find((f) => f.check === "storage-cost")!.message).toMatch(/the gap is 10⁹ \(a unit prefix: G/);
    // Uploads per user left out: the gap is that assumption.
    const perUser = `export default function estimate(a: any) {
  const dailyUploads = a.dailyActiveUsers;
  const bytesPerDay = dailyUploads * a.bytesPerObject;
  let years = 0;
  for (let k = 0; k < 5; k++) years += (1 + a.userGrowthPerYear) ** k;
  return { dailyUploads, bytesPerDay, bytesFirstYear: bytesPerDay * 365, rawBytes5y: bytesPerDay * 365 * years, storageBytes5y: bytesPerDay * 365 * years * a.replicationFactor };
}`;
    const results = await gradeSource("estimate-storage", perUser, [1, 2, 3, 4, 5, 6]);
    const explained = failuresOf(results).filter((f) => f.check === "daily-uploads").map((f) => f.message);
    expect(explained.length).toBeGreaterThan(0);
    for (const message of explained) expect(message).toMatch(/the gap is [\d.,]+, uploadsPerUserPerDay/);
  }, 60_000);
});

describe("the answer's shape", () => {
  it("names unknown fields with the figure meant, assumptions returned as figures, and missing ones", async () => {
    const source = `export default function estimate(a: any) {
  return { dailyRequests: 1, meanQPS: 1, peakQps: 1, peakWriteQps: 1, peakToMeanRatio: 3 };
}`;
    const answer = failuresOf(await gradeSource("estimate-qps", source, [1])).find((f) => f.check === "answer")!.message;
    expect(answer).toMatch(/unknown field "meanQPS" \(did you mean meanQps\?\)/);
    expect(answer).toMatch(/unknown field "peakToMeanRatio": that is an assumption/);
    expect(answer).toMatch(/missing fields: meanQps, readToWriteRatio/);
  });
});

describe("results for the browser's panel", () => {
  it("carry each figure's credit, the learner's value and the model's, and the score, as test metrics", async () => {
    const results = await gradeFile("estimate-qps", ".meta/wrong/mean-as-peak.ts", [3]);
    const m = results.tests[0]!.metrics;
    expect(m["credit.peakQps"]).toBe(0.5);
    expect(m["credit.meanQps"]).toBe(1);
    expect(m["yours.peakQps"]).toBeCloseTo(m["yours.meanQps"]!, 6);
    expect(m["model.peakQps"]! / m["model.meanQps"]!).toBeCloseTo(5.5, 6);
    expect(m.score).toBe(0.9);
    expect([m.figuresFull, m.figuresPartial, m.figuresNone]).toEqual([4, 1, 0]);
    expect(results.tests[0]!.knobs).toEqual(["assumptions: dailyActiveUsers 3.7 × 10⁸, readsPerUserPerDay 27, writesPerUserPerDay 0.36, peakToMeanRatio 5.5"]);
  });

  it("a passing run's message gives every figure's credit", async () => {
    const results = await gradeFile("estimate-availability", ".meta/solution.ts", [1]);
    expect(results.status).toBe("pass");
    expect(results.tests[0]!.message).toMatch(/credit: appTierUnavailability full, databaseTierUnavailability full, systemAvailability full, systemNines full, downtimeMinutesPerYear full; score 1/);
  });
});
