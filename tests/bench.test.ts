// The engine benchmark compares the sandbox with baselines built in the same run; a baseline that does
// different work (or no longer runs) would make its ratios meaningless. Timings are not asserted here.
import { describe, expect, it } from "vitest";
import { runNaive, runOneRealmInIsolate, runSimOnly, solution } from "../bench/engine.ts";
import { expandKnobs } from "../graders/index.ts";
import { createIsolatedVmSandbox } from "../graders/sandbox/node/index.ts";
import { loadExercise } from "../src/cli/exercises.ts";

describe("engine benchmark baselines", () => {
  it("the naive one-crossing-per-step sandbox and the one-realm what-if deliver exactly the messages the real sandbox does", async () => {
    const broadcast = (await loadExercise("broadcast"))!;
    const scenario = broadcast.tasks.find((t) => t.id === "efficiency")!.scenarios[0]!;
    const js = await solution("broadcast");
    const real = await createIsolatedVmSandbox().run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: js });
    if (real.kind !== "data") throw new Error(real.message);
    if (real.data.harness !== "node") throw new Error(`a ${real.data.harness} run from a node scenario`);
    const naive = await runNaive(scenario, js);
    expect(real.data.stats.messagesDelivered).toBeGreaterThan(10_000);
    expect(naive.delivered).toBe(real.data.stats.messagesDelivered);
    const oneRealm = await runOneRealmInIsolate(scenario, js);
    expect(oneRealm.delivered).toBe(real.data.stats.messagesDelivered);
  });

  it("the simulator-alone run processes the same events every time", () => {
    const a = runSimOnly();
    const b = runSimOnly();
    // 10 nodes, a timer and a send each per virtual ms for 10 s: about 2 events per node per ms.
    expect(a.events).toBeGreaterThan(150_000);
    expect(b.events).toBe(a.events);
  });
});
