// The engine benchmark compares the sandbox with baselines built in the same run; a baseline that does
// different work (or no longer runs) would make its ratios meaningless. Timings are not asserted here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runNaive, runOneRealmInIsolate, runSimOnly } from "../bench/engine.ts";
import { expandKnobs } from "../graders/index.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../graders/sandbox/node/index.ts";
import { loadExercise } from "../src/cli/exercises.ts";

describe("engine benchmark baselines", () => {
  it("the naive one-crossing-per-step sandbox and the one-realm what-if deliver exactly the messages the real sandbox does", async () => {
    const broadcast = (await loadExercise("broadcast"))!;
    const scenario = broadcast.tasks.find((t) => t.id === "efficiency")!.scenarios[0]!;
    const source = readFileSync(new URL("../exercises/broadcast/.meta/solution.ts", import.meta.url), "utf8");
    const compiled = await transpileSolution(source, "broadcast/solution.ts");
    if ("errors" in compiled) throw new Error("reference does not compile");
    const real = await createIsolatedVmSandbox().run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: compiled.js });
    if (real.kind !== "data") throw new Error(real.message);
    const naive = await runNaive(scenario, compiled.js);
    expect(real.data.stats.messagesDelivered).toBeGreaterThan(10_000);
    expect(naive.delivered).toBe(real.data.stats.messagesDelivered);
    const oneRealm = await runOneRealmInIsolate(scenario, compiled.js);
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
