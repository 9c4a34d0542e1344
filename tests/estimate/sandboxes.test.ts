// Both Node sandboxes (isolated-vm with a realm per learner, and the browser's one-realm sandbox run in an
// isolate) boot an estimation drill's realm through the harness and must give the same verdicts and
// byte-identical history hashes, for passing, failing and broken solutions alike.
import { describe, expect, it } from "vitest";
import type { Results } from "../../graders/index.ts";
import { drillSlugs, gradeFile, gradeSource, isolated, oneRealm } from "./helpers.ts";

const seeds = [1, 2, 3];
const summary = (r: Results) => r.tests.map((t) => [t.name, t.seed, t.status, t.check, t.historyHash, t.message]);

describe.each(drillSlugs)("%s in both sandboxes", (slug) => {
  it.each([".meta/solution.ts", "starter.ts"])("%s: same verdicts and history hashes", async (file) => {
    const a = await gradeFile(slug, file, seeds, isolated);
    const b = await gradeFile(slug, file, seeds, oneRealm);
    expect(summary(b)).toEqual(summary(a));
    expect(b.historyHash).toBe(a.historyHash);
    expect(a.historyHash).toMatch(/^[0-9a-f]{16}$/);
  }, 60_000);
});

const broken: Array<[name: string, source: string]> = [
  ["throws", "export default function estimate() { throw new RangeError('no idea'); }"],
  ["returns a promise", "export default async function estimate() { return {}; }"],
  ["returns a number", "export default function estimate() { return 42; }"],
  ["not a function", "export default { peakQps: 1 };"],
  ["NaN and strings", "export default function estimate() { return { dailyRequests: NaN, meanQps: '12', peakQps: Infinity, extra: 1 }; }"],
  ["reads the clock and random", "export default function estimate(a: any) { return { dailyRequests: Date.now() + Math.random(), meanQps: performance.now(), peakQps: 1, peakWriteQps: 1, readToWriteRatio: 1 }; }"],
  ["logs", "export default function estimate(a: any) { console.log('assumptions', a); return {}; }"],
];

describe("broken estimate-qps solutions in both sandboxes", () => {
  it.each(broken)("%s: same verdicts, messages and hashes", async (_name, source) => {
    const a = await gradeSource("estimate-qps", source, seeds, isolated);
    const b = await gradeSource("estimate-qps", source, seeds, oneRealm);
    expect(summary(b)).toEqual(summary(a));
    expect(b.tests.map((t) => t.logs)).toEqual(a.tests.map((t) => t.logs));
    expect(a.status).toBe("fail");
  }, 60_000);
});

describe("history hash", () => {
  it("is the same on a second grade and differs between seeds and between answers", async () => {
    const one = await gradeFile("estimate-cost", ".meta/solution.ts", [1, 2]);
    const again = await gradeFile("estimate-cost", ".meta/solution.ts", [1, 2]);
    expect(again.historyHash).toBe(one.historyHash);
    expect(one.tests[0]!.historyHash).not.toBe(one.tests[1]!.historyHash);
    const other = await gradeFile("estimate-cost", ".meta/alternatives/thirty-day-month.ts", [1, 2]);
    expect(other.historyHash).not.toBe(one.historyHash);
  }, 60_000);
});
