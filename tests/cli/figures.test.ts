// The CLI text report's figures line speaks words with units: a design run's raw figure keys
// (costUsdPerMonth, costRatio, p99Ratio, rtoSec) never reach the reader, and recovery figures show only
// for a run that had a fault.
import { describe, expect, it } from "vitest";
import { figureLabelsOf, renderFigureLines, type Results } from "../../graders/index.ts";

// Each harness names its own figures (Harness.figureLabels); a file graded without an exercise gets them all.
const renderDesignFigures = (r: Results) => renderFigureLines(r, figureLabelsOf("design"));

const run = (name: string, metrics: Record<string, number>) => ({ name, seed: 1, status: "pass", metrics });
const results = (tests: unknown[]) => ({ tests }) as unknown as Results;

describe("design figures in the text report", () => {
  const faulted = { requests: 100, latencyP99Ms: 24.3, costUsdPerMonth: 7699.4, referenceCostUsdPerMonth: 7000, costRatio: 1.1, referenceLatencyP99Ms: 20, p99Ratio: 1.22, rtoSec: 10, rpoSec: 0, lostWritesReal: 0, "resolve.during.availability": 0.99 };

  it("labels cost, ratios and recovery in words with units", () => {
    const text = renderDesignFigures(results([run("zone-outage", faulted)]));
    expect(text).toContain("cost $7,699/month");
    expect(text).toContain("reference design's cost $7,000/month");
    expect(text).toContain("cost over the reference's 1.1×");
    expect(text).toContain("p99 over the reference's 1.22×");
    expect(text).toContain("recovery time (RTO) 10 s");
    for (const raw of ["costUsdPerMonth", "costRatio", "p99Ratio", "rtoSec"]) expect(text).not.toContain(raw);
  });

  it("says a run that never recovered did not, and leaves recovery out of a run without a fault", () => {
    expect(renderDesignFigures(results([run("outage", { ...faulted, rtoSec: -1 })]))).toContain("recovery time (RTO) never recovered");
    const calm = { ...faulted } as Record<string, number>;
    delete calm["resolve.during.availability"];
    const text = renderDesignFigures(results([run("launch", calm)]));
    expect(text).not.toContain("RTO");
    expect(text).toContain("cost $7,699/month");
  });

  it("shows each harness's own figures only: a component's labels, none for a node run", () => {
    const lb = run("balance", { requests: 10, imbalance: 1.2, costUsdPerMonth: 5 });
    const component = renderFigureLines(results([lb]), figureLabelsOf("component"));
    expect(component).toContain("imbalance 1.2×");
    expect(component).not.toContain("cost $5/month");
    expect(renderFigureLines(results([lb]), figureLabelsOf("node"))).toBe("");
    expect(renderFigureLines(results([lb]), figureLabelsOf(undefined))).toContain("cost $5/month");
  });
});
