// Realm reuse (graders/sandbox/node/realm-reuse.ts) keeps a grade's isolate and node realms from one run
// to the next. Nothing may carry over: a solution that looks for what an earlier run (or an earlier boot
// of its node, before a crash) left anywhere it can reach must find nothing, and every run must give the
// history of a fresh realm. After a run that ended in an error, the next starts in a fresh isolate.
// (Every reference's hashes with reuse on and off: tests/graders/determinism.test.ts.)
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../../graders/index.ts";
import { expandKnobs } from "../../graders/sim/knobs.ts";
import type { ScenarioSpec } from "../../graders/sim/scenario.ts";
import { harnessFor } from "../../graders/harness/index.ts";
import type { RunOutcome } from "../../graders/sandbox/types.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, type ReusingSandbox, type SandboxOptions } from "../../graders/sandbox/node/index.ts";
import { loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const fixtures = join(import.meta.dirname, "..", "fixtures", "reuse");
const kinds: Array<[string, (options: SandboxOptions) => ReusingSandbox]> = [
  ["isolated-vm", createIsolatedVmSandbox],
  ["browser", createOneRealmIvmSandbox],
];

const hashOf = (scenario: ScenarioSpec, outcome: RunOutcome): string => (outcome.kind === "data" ? harnessFor(scenario).historyHash(outcome.data) : `error: ${outcome.message}`);
const logsOf = (outcome: RunOutcome): string[] => (outcome.kind === "data" ? outcome.data.logs.map((l) => String(l.text)) : []);

describe.each(kinds)("realm reuse in the %s sandbox", (name, make) => {
  it("carries nothing from one run of a grade to the next (seed 1 → 2, task 1 → 2)", async () => {
    const exercise = (await loadExercise("g-counter"))!;
    const solutionJs = await readSolutionJs(join(fixtures, "carry-over.ts"));
    const reused = make({ reuseRealms: true });
    const fresh = make({ reuseRealms: false });
    try {
      const withReuse = await grade({ exercise, solutionJs, solutionLabel: "carry-over.ts", sandbox: reused, seeds: [1, 2] });
      const withFresh = await grade({ exercise, solutionJs, solutionLabel: "carry-over.ts", sandbox: fresh, seeds: [1, 2] });
      expect(withReuse.tests.map((t) => t.logs ?? []).flat()).toEqual([]);
      expect(withReuse.status, withReuse.message).toBe("pass");
      expect(withFresh.status, withFresh.message).toBe("pass");
      expect(withReuse.tests.map((t) => t.historyHash)).toEqual(withFresh.tests.map((t) => t.historyHash));
      // Four runs in one isolate, against one isolate a run.
      expect(reused.stats().isolates).toBe(1);
      expect(fresh.stats().isolates).toBe(4);
      if (name === "isolated-vm") expect(reused.stats().realms).toBe(5);
    } finally {
      reused.dispose();
      fresh.dispose();
    }
  }, 120_000);

  it("carries nothing from a crashed boot of a node to its restart in the same realm", async () => {
    const exercise = (await loadExercise("g-counter"))!;
    const solutionJs = await readSolutionJs(join(fixtures, "carry-over.ts"));
    const base = exercise.tasks[1]!.scenarios[0]!;
    const scenario: ScenarioSpec = { ...base, name: "crashes", faults: { crashes: { everyMs: 800, downMs: 150 } } };
    const reused = make({ reuseRealms: true });
    const fresh = make({ reuseRealms: false });
    try {
      for (const seed of [1, 2]) {
        const request = { scenario, knobs: expandKnobs(scenario, seed), solutionJs };
        const a = await reused.run(request);
        const b = await fresh.run(request);
        expect(a.kind, a.kind === "error" ? a.message : "").toBe("data");
        expect(logsOf(a).filter((l) => l.startsWith("carried over"))).toEqual([]);
        expect(hashOf(scenario, a)).toBe(hashOf(scenario, b));
      }
      const { boots, isolates } = reused.stats();
      expect(isolates).toBe(1);
      // Restarts booted the crashed nodes again (10 boots are the two runs' starts).
      expect(boots).toBeGreaterThan(10);
    } finally {
      reused.dispose();
      fresh.dispose();
    }
  }, 120_000);

  // A crash and a restart at one instant, struck from inside the node's own step (its reply to a client
  // triggers the script): the restart boots the realm whose runtime has just answered.
  it("restarts a node crashed and restarted at one instant, inside its own step, as fresh realms do", async () => {
    const exercise = (await loadExercise("g-counter"))!;
    const solutionJs = await readSolutionJs(join(fixtures, "carry-over.ts"));
    const base = exercise.tasks[1]!.scenarios[0]!;
    const scenario = {
      ...base,
      name: "same-instant-restart",
      faults: { script: [{ when: { from: ["n1"], to: "client", body: { type: "read_ok" } }, do: [{ crash: "n1" }, { restart: "n1" }] }, { afterMs: 200, do: [{ crash: "n2" }, { restart: "n2" }] }] },
    } as ScenarioSpec;
    const reused = make({ reuseRealms: true });
    const fresh = make({ reuseRealms: false });
    try {
      const request = { scenario, knobs: expandKnobs(scenario, 1), solutionJs, limits: { wallMs: 30_000 } };
      const a = await reused.run(request);
      const b = await fresh.run(request);
      expect(a.kind, a.kind === "error" ? a.message : "").toBe("data");
      expect(logsOf(a)).toEqual([]);
      expect(hashOf(scenario, a)).toBe(hashOf(scenario, b));
      // Five starts and the two restarts, all in the first isolate's realms.
      expect(reused.stats()).toMatchObject({ isolates: 1, boots: 7 });
    } finally {
      reused.dispose();
      fresh.dispose();
    }
  }, 120_000);

  it("starts the run after one that ended in an error (wall time, memory) in a fresh isolate", async () => {
    const exercise = (await loadExercise("g-counter"))!;
    const solutionJs = await readSolutionJs(join(fixtures, "fails-by-size.ts"));
    const three = exercise.tasks[0]!.scenarios[0]!;
    const sized = (nodes: number): ScenarioSpec => ({ ...three, name: `${nodes}-nodes`, nodes });
    const sandbox = make({ reuseRealms: true });
    try {
      // A short wall budget for the loop; a long one for the rest, so that load cannot turn them into wall verdicts.
      const run = (scenario: ScenarioSpec, seed = 1, wallMs = 30_000) => sandbox.run({ scenario, knobs: expandKnobs(scenario, seed), solutionJs, limits: { wallMs, memoryMb: 64 } });
      const first = await run(three);
      expect(first.kind).toBe("data");
      expect((await run(three, 2)).kind).toBe("data");
      expect(sandbox.stats().isolates).toBe(1);
      const loops = await run(sized(5), 1, 1000);
      expect(loops.kind === "error" && loops.budget).toBe("wall");
      const again = await run(three);
      expect(sandbox.stats().isolates).toBe(2);
      expect(hashOf(three, again)).toBe(hashOf(three, first));
      const bomb = await run(sized(4));
      expect(bomb.kind === "error" && bomb.budget).toBe("memory");
      const afterBomb = await run(three);
      expect(sandbox.stats().isolates).toBe(3);
      expect(hashOf(three, afterBomb)).toBe(hashOf(three, first));
    } finally {
      sandbox.dispose();
    }
  }, 120_000);
});
