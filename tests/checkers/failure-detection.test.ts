// The failure-detection checker on hand-made reports and fault schedules, both ways.
import { describe, expect, it } from "vitest";
import { absencesFromFaults, detections, falseSuspicions, presentMs, type SuspicionReport } from "../../graders/checkers/failure-detection.ts";
import type { FaultEvent } from "../../graders/sim/scenario.ts";

const nodes = ["n1", "n2", "n3"];
/** n2 down from 1000 to 3000 ms; n3 paused from 4000 to 4500 ms. */
const faults: FaultEvent[] = [
  { atMs: 1000, kind: "crash", node: "n2" },
  { atMs: 3000, kind: "restart", node: "n2" },
  { atMs: 4000, kind: "pause", node: "n3", untilMs: 4500 },
];
const absences = absencesFromFaults(nodes, faults, 10_000);

/** Reports every 100 ms from each present node, suspecting whom `suspects(observer, t)` names. */
function reports(suspects: (observer: string, t: number) => string[]): SuspicionReport[] {
  const out: SuspicionReport[] = [];
  for (let t = 100; t < 10_000; t += 100) {
    for (const observer of nodes) {
      const away = absences.get(observer)!.some((a) => a.fromMs <= t && t < a.toMs);
      if (!away) out.push({ observer, timeMs: t, suspects: suspects(observer, t) });
    }
  }
  return out;
}

describe("failure detection checker", () => {
  it("reads absences from crashes, restarts and pauses", () => {
    expect(absences.get("n2")).toEqual([{ fromMs: 1000, toMs: 3000, kind: "down" }]);
    expect(absences.get("n3")).toEqual([{ fromMs: 4000, toMs: 4500, kind: "paused" }]);
    expect(presentMs(absences, 10_000)).toBe(30_000 - 2000 - 500);
  });

  it("counts a pause that overlaps a downtime once", () => {
    const overlapping = new Map([["n1", [{ fromMs: 1000, toMs: 3000, kind: "down" as const }, { fromMs: 2500, toMs: 4000, kind: "paused" as const }]]]);
    // Away over [1000, 4000): 3 s of 10 s, not 2 s + 1.5 s.
    expect(presentMs(overlapping, 10_000)).toBe(7000);
    // Absences past the end are clipped.
    expect(presentMs(new Map([["n1", [{ fromMs: 9000, toMs: 12_000, kind: "down" as const }]]]), 10_000)).toBe(9000);
  });

  it("measures detection from the crash to the first report that suspects it", () => {
    const perfect = reports((o, t) => (o !== "n2" && t >= 1400 && t < 3000 ? ["n2"] : []));
    const found = detections(perfect, absences, 1500, 500);
    expect(found.map((d) => [d.observer, d.afterMs])).toEqual([["n1", 400], ["n3", 400]]);
    expect(falseSuspicions(perfect, absences, 1000)).toEqual([]);
  });

  it("reports a crash nobody noticed, and an observer that was itself away is not judged", () => {
    const blind = reports(() => []);
    expect(detections(blind, absences, 1500, 500).map((d) => d.afterMs)).toEqual([null, null]);
    // A crash shorter than the bound is not judged at all.
    expect(detections(blind, absences, 2500, 500)).toEqual([]);
  });

  it("allows suspecting a paused node, and a grace period after it is back, but not more", () => {
    const rightDuringPause = reports((o, t) => (o !== "n3" && t >= 4200 && t < 5300 ? ["n3"] : []));
    expect(falseSuspicions(rightDuringPause, absences, 1000)).toEqual([]);
    const lingering = reports((o, t) => (o !== "n3" && t >= 4200 && t < 6000 ? ["n3"] : []));
    const episodes = falseSuspicions(lingering, absences, 1000);
    expect(episodes.map((e) => [e.observer, e.suspect, e.fromMs, e.toMs])).toEqual([
      ["n1", "n3", 5500, 5900],
      ["n2", "n3", 5500, 5900],
    ]);
  });

  it("counts each run of false reports once, and a live node never away is never to be suspected", () => {
    const flapping = reports((o, t) => (o === "n1" && (t === 6000 || t === 6100 || t === 7000) ? ["n3"] : []));
    expect(falseSuspicions(flapping, absences, 1000).map((e) => [e.fromMs, e.toMs])).toEqual([[6000, 6100], [7000, 7000]]);
  });
});
