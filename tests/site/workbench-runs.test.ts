// The workbench's pure parts for a failing run (issue 13, second half): places in the learner's file as
// links, the run log in step order with the messages around each line, where the failure happened,
// lifeline spacing, and the charts a component run's series give; the engine's side of those series
// (capped in the results, event times as counts per second).
import { describe, expect, it } from "vitest";
import type { TraceEntry } from "../../graders/index.ts";
import { perSecondSeries } from "../../graders/harness/component/index.ts";
import { capSeries, SERIES_MAX_COUNT, SERIES_MAX_LENGTH } from "../../graders/report/results.ts";
import { groupFigures, seriesCharts } from "../../src/scripts/exercise/component-figures.ts";
import { failureTimeMs, laneSpacing, messageTypes, visibleMessages, indexTrace } from "../../src/scripts/exercise/diagram-window.ts";
import { splitLocations } from "../../src/scripts/exercise/locations.ts";
import { runTimeline } from "../../src/scripts/exercise/run-timeline.ts";

const msg = (src: string, dest: string, type: string, sendMs: number, recvMs?: number): TraceEntry => ({ src, dest, type, sendMs, bytes: 10, fate: recvMs === undefined ? "lost" : "delivered", ...(recvMs === undefined ? {} : { recvMs }) });

describe("places in the learner's file", () => {
  it("splits out every file:line:col of this file and nothing else", () => {
    expect(splitLocations(`the "echo" handler threw TypeError: x (at echo.ts:7:52) and (at echo.ts:12:3); not other.ts:1:1`, "echo.ts")).toEqual([
      `the "echo" handler threw TypeError: x (at `,
      { line: 7, column: 52, text: "echo.ts:7:52" },
      ") and (at ",
      { line: 12, column: 3, text: "echo.ts:12:3" },
      "); not other.ts:1:1",
    ]);
    expect(splitLocations("no place", "echo.ts")).toEqual(["no place"]);
    // A dot in the name is a dot, not any character.
    expect(splitLocations("echoXts:1:2", "echo.ts")).toEqual(["echoXts:1:2"]);
  });
});

describe("the run log", () => {
  it("puts a step's log lines before the error that ended it, with the message it received and what it sent", () => {
    const lines = runTimeline({
      // Same node, same instant: the log came first in the step, the error ended it.
      errors: [{ node: "n1", timeMs: 120, text: "the broadcast handler threw TypeError" }],
      logs: [{ node: "n1", timeMs: 120, text: "got 7" }, { node: "n2", timeMs: 50, text: "early" }],
      trace: [msg("c1", "n1", "broadcast", 100, 120), msg("n1", "n2", "gossip", 120, 125), msg("n1", "n3", "gossip", 120), msg("n3", "n4", "noise", 120, 121)],
    });
    expect(lines.map((l) => [l.timeMs, l.node, l.kind, l.text])).toEqual([
      [50, "n2", "log", "early"],
      [120, "n1", "recv", "← broadcast from c1"],
      [120, "n1", "log", "got 7"],
      [120, "n1", "send", "→ n2 gossip"],
      [120, "n1", "send", "→ n3 gossip (lost)"],
      [120, "n1", "error", "the broadcast handler threw TypeError"],
    ]);
  });

  it("says how many more a step sent past the first few, and orders nodes at one instant by name", () => {
    const trace = Array.from({ length: 10 }, (_, i) => msg("n10", `n${i}`, "gossip", 5, 6));
    const lines = runTimeline({ errors: [], logs: [{ node: "n10", timeMs: 5, text: "a" }, { node: "n2", timeMs: 5, text: "b" }], trace }, { perStep: 3 });
    expect(lines.map((l) => `${l.node} ${l.kind} ${l.text}`)).toEqual(["n2 log b", "n10 log a", "n10 send → n0 gossip", "n10 send → n1 gossip", "n10 send → n2 gossip", "n10 send → … and 7 more messages"]);
  });
});

describe("the message diagram", () => {
  it("finds the failure's time: the first error for no-errors, else the first time the check names", () => {
    const errors = [{ timeMs: 900 }, { timeMs: 300 }];
    expect(failureTimeMs({ test: { check: "no-errors", message: "n1 at 300 ms: …" }, errors })?.atMs).toBe(300);
    expect(failureTimeMs({ test: { check: "linearizable", message: "read invoked at 1,234 ms returned 3" }, errors: [] })?.atMs).toBe(1234);
    expect(failureTimeMs({ test: { check: "delivery", message: "missing 4 values from 12.5 s on" }, errors: [] })?.atMs).toBe(12_500);
    expect(failureTimeMs({ test: { check: "delivery", message: "3 values missing" }, errors })?.atMs).toBe(300);
    expect(failureTimeMs({ test: { check: "delivery", message: "3 values missing" }, errors: [] })).toBeUndefined();
  });

  it("never puts lifelines closer than the minimum: 30 lanes in 562 px scroll sideways", () => {
    expect(laneSpacing(562, 30)).toBe(52);
    expect(laneSpacing(562 * 4, 30)).toBeCloseTo(74.9, 1);
    expect(laneSpacing(900, 3)).toBe(110);
  });

  it("filters messages by what it keeps, counting only those", () => {
    const trace = [msg("n1", "n2", "gossip", 1, 2), msg("c1", "n1", "read", 2, 3), msg("n1", "n2", "gossip", 3, 4)];
    expect(visibleMessages(indexTrace(trace), 0, 10, 100, (m) => m.type !== "gossip")).toEqual({ indices: [1], total: 1 });
    expect(messageTypes(trace)).toEqual([{ type: "gossip", count: 2 }, { type: "read", count: 1 }]);
  });
});

describe("series", () => {
  it("caps a test's series: long ones left out whole, non-finite ones too, at most the count", () => {
    const many = Object.fromEntries(Array.from({ length: SERIES_MAX_COUNT + 4 }, (_, i) => [`s${String(i).padStart(2, "0")}`, [i]]));
    expect(Object.keys(capSeries(many)!)).toHaveLength(SERIES_MAX_COUNT);
    expect(capSeries({ long: new Array(SERIES_MAX_LENGTH + 1).fill(1), bad: [1, Number.NaN], ok: [1, 2] })).toEqual({ ok: [1, 2] });
    expect(capSeries({ empty: [] })).toBeUndefined();
    expect(capSeries(undefined)).toBeUndefined();
  });

  it("turns a series of event times into counts per second of the run, keeping the rest", () => {
    const out = perSecondSeries({ admittedAtMs: [0, 10, 999, 1000, 2500], admitted: [5] }, 3000);
    expect(out.admittedPerSec).toEqual([3, 1, 1]);
    expect(out.admitted).toEqual([5]);
    expect(out.admittedAtMs).toHaveLength(5);
  });

  it("charts requests per server during and outside the fault window, admitted per second against the limit, keys per node", () => {
    const charts = seriesCharts(
      { sentPerServer: [10, 12, 8], sentDuringOutage: [4, 6, 0], sentAfterRecovery: [1, 1, 2], weights: [1, 1, 1], admittedPerSec: [120, 100, 160], keysPerNode: [30, 10, 20], latencyByPhase: [3, 9, 4] },
      { ratePerSec: 100, burst: 20, clients: 1 },
    );
    const byTitle = new Map(charts.map((c) => [c.chart.title, c]));
    const servers = byTitle.get("Requests per server, during and outside the fault window")!;
    expect(servers.kind === "stacked" && servers.chart.rows.map((r) => r.values)).toEqual([[5, 4, 1], [5, 6, 1], [6, 0, 2]]);
    const admitted = byTitle.get("Admitted per second")!;
    expect(admitted.kind === "columns" && admitted.chart.reference).toEqual({ value: 100, label: "limit" });
    // The first second may hold the burst; a later second over the limit is drawn as bad.
    expect(admitted.kind === "columns" && admitted.chart.values.map((v, i) => admitted.chart.bad!(v, i))).toEqual([false, false, true]);
    const ring = byTitle.get("Keys per node")!;
    expect(ring.kind === "columns" && ring.chart.reference!.value).toBe(20);
    // Any other series is charted too, under its own words; the set-up (weights) is not.
    expect(byTitle.has("latency by phase")).toBe(true);
    expect(charts.some((c) => c.keys.includes("weights"))).toBe(false);
    // Failed servers are marked; utilisation is a share.
    const marked = seriesCharts({ sentPerServer: [5, 5], sentDuringOutage: [5, 0], failServers: [1], utilisation: [0.5, 0.25] });
    const split = marked.find((c) => c.kind === "stacked")!;
    expect(split.kind === "stacked" && split.chart.rows.map((r) => r.label)).toEqual(["server 0", "server 1 ✕"]);
    const use = marked.find((c) => c.chart.title === "Utilisation per server")!;
    expect(use.kind === "bars" && use.chart.bars.map((b) => b.value)).toEqual([50, 25]);
    expect(marked.some((c) => c.keys.includes("failServers"))).toBe(false);
  });

  it("charts a downstream's calls per second with its outage shaded, and each listed client's admitted rate against the limit", () => {
    const charts = seriesCharts(
      { attemptsPerSec: [100, 100, 900, 20, 100], attemptsAtMs: [1, 2, 3], "admittedPerSec.client-2": [40, 40], "admittedPerSec.client-1": [120, 100, 121], offered: [3000, 120] },
      { outageFromMs: 2000, outageToMs: 4000, offeredPerSec: 100, ratePerSec: 100, burst: 20, durationMs: 3000 },
    );
    const calls = charts.find((c) => c.chart.title === "Calls reaching the downstream per second")!;
    expect(calls.group).toBe("During the outage");
    expect(calls.kind === "columns" && calls.chart.band).toEqual({ from: 2, to: 4, label: "downstream down" });
    expect(calls.kind === "columns" && calls.chart.reference).toEqual({ value: 100, label: "requests arriving" });
    // Raw event times are charted only as their counts per second.
    expect(charts.some((c) => c.keys.includes("attemptsAtMs"))).toBe(false);
    const clients = charts.filter((c) => c.keys[0]!.startsWith("admittedPerSec."));
    expect(clients.map((c) => c.chart.title)).toEqual(["Admitted per second, client-1 (offers 1,000/s)", "Admitted per second, client-2 (offers 40/s)"]);
    const first = clients[0]!;
    // A bucket of the limit admits at most the limit plus its burst in a second: 121 is over 100 + 20.
    expect(first.kind === "columns" && first.chart.reference).toEqual({ value: 100, label: "limit" });
    expect(first.kind === "columns" && first.chart.values.map((v, i) => first.chart.bad!(v, i))).toEqual([false, false, true]);
  });

  it("groups latency by phase of the fault, and says when no request of a phase succeeded", () => {
    const groups = groupFigures({ latencyBeforeP50Ms: 5, latencyBeforeP99Ms: 40, okBefore: 900, latencyAfterP50Ms: 6, latencyAfterP99Ms: 50, okAfter: 800, latencyP99Ms: 45 });
    const phase = groups.find((g) => g.title === "Latency before, during and after the fault")!;
    expect(phase.figures.map((f) => f.text)).toEqual(["5 ms", "40 ms", "6 ms", "50 ms", "900", "800"]);
    expect(phase.chart!.bars.map((b) => `${b.label} ${b.value}`)).toEqual(["before p50 5", "before p99 40", "during: none ok 0", "after p50 6", "after p99 50"]);
    expect(groupFigures({ latencyP99Ms: 45 }).some((g) => g.title === phase.title)).toBe(false);
  });
});
