import { describe, expect, it } from "vitest";
import { crashWindows, serveDuringCrashes } from "../../graders/checkers/crash-recovery.ts";
import type { ClientEvent } from "../../graders/sim/history.ts";
import type { FaultEvent } from "../../graders/sim/scenario.ts";
import type { NodeRunData } from "../../graders/harness/node/run.ts";
import { nodeRun } from "../support/runs.ts";

/** One client operation as its invoke and completion. */
function op(process: string, node: string, invokeMs: number, returnMs: number, type: "ok" | "fail" | "info", code?: number): ClientEvent[] {
  const done: ClientEvent = { process, type, f: "write", value: 1, timeMs: returnMs, node };
  if (code !== undefined) done.code = code;
  return [{ process, type: "invoke", f: "write", value: 1, timeMs: invokeMs, node }, done];
}

function run(faults: FaultEvent[], history: ClientEvent[], durationMs = 6000): NodeRunData {
  return nodeRun({ scenario: { durationMs }, knobs: { faults }, history });
}

const crash = (node: string, atMs: number, downMs: number): FaultEvent[] => [
  { atMs, kind: "crash", node },
  { atMs: atMs + downMs, kind: "restart", node },
];

describe("crashWindows", () => {
  it("pairs each crash with its restart, and closes an open one at the end of the run", () => {
    const faults: FaultEvent[] = [...crash("n1", 100, 500), { atMs: 700, kind: "heal" }, { atMs: 900, kind: "crash", node: "n2" }];
    expect(crashWindows(faults, 2000)).toEqual([
      { node: "n1", crashMs: 100, restartMs: 600 },
      { node: "n2", crashMs: 900, restartMs: 2000 },
    ]);
  });
});

describe("serves-during-crashes", () => {
  const params = { withinMs: 600, observeMs: 400 };

  it("passes when another node answers after the grace period", () => {
    const result = serveDuringCrashes(run(crash("n1", 1000, 1500), [...op("c1", "n2", 1700, 1750, "ok")]), params);
    expect(result.ok).toBe(true);
    expect(result.metrics?.crashesJudged).toBe(1);
  });

  it("counts a definite answer about the data (cas precondition failed) as serving", () => {
    const result = serveDuringCrashes(run(crash("n1", 1000, 1500), [...op("c1", "n2", 1700, 1750, "fail", 22)]), params);
    expect(result.ok).toBe(true);
  });

  it("fails when only refusals, timeouts, or answers from the crashed node's window start came back", () => {
    const history = [
      ...op("c1", "n2", 1100, 1200, "ok"), // before the grace period ends
      ...op("c2", "n3", 1700, 1750, "fail", 11), // unavailable is no answer
      ...op("c3", "n4", 1700, 2100, "info", 0),
    ];
    const result = serveDuringCrashes(run(crash("n1", 1000, 1500), history), params);
    expect(result.ok).toBe(false);
    expect(result.message).toContain("n1 crashed at");
  });

  it("reports how long the others took to answer a request sent after the crash (recoveryMsMax)", () => {
    const history = [
      ...op("c1", "n2", 900, 1300, "ok"), // sent before the crash: not a sign of recovery
      ...op("c2", "n3", 1100, 1150, "fail", 11),
      ...op("c3", "n4", 1200, 1420, "ok"),
      ...op("c4", "n2", 1700, 1750, "ok"),
    ];
    expect(serveDuringCrashes(run(crash("n1", 1000, 1500), history), params).metrics?.recoveryMsMax).toBe(420);
    // Nobody answered: the whole window.
    expect(serveDuringCrashes(run(crash("n1", 1000, 1500), []), params).metrics?.recoveryMsMax).toBe(1500);
  });

  it("does not judge crashes too short to observe a failover", () => {
    const result = serveDuringCrashes(run(crash("n1", 1000, 900), []), params);
    expect(result).toMatchObject({ ok: true, metrics: { crashesJudged: 0 } });
  });
});
