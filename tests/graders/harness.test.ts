// The harness registry: every scenario is run by exactly one harness, derived from its workload, and an
// exercise that declares another harness is refused when it is defined, not graded into a confusing failure.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineExercise, getHarness, harnessFor, harnesses, type ScenarioSpec } from "../../graders/index.ts";
import { realmEntries } from "../../graders/sandbox/node/bundles.ts";

const root = join(import.meta.dirname, "..", "..");
const scenario = (workload: string): ScenarioSpec => ({ name: "s", nodes: 1, durationMs: 100, network: { latency: { dist: "constant", ms: 1 } }, workload: { name: workload, rate: 1 } });
const exercise = (harness: "node" | "component", workload: string, over: Partial<ScenarioSpec> = {}) =>
  defineExercise({ slug: "probe", title: "Probe", lesson: "x", harness, instructions: "", hints: [], tasks: [{ id: "t", title: "T", description: "", scenarios: [{ ...scenario(workload), ...over }], checks: [{ name: "no-errors" }] }] });

describe("harness registry", () => {
  it("derives the harness from the workload", () => {
    expect(harnessFor(scenario("echo")).name).toBe("node");
    expect(harnessFor(scenario("lru-cache")).name).toBe("component");
  });

  it("refuses a workload no harness runs", () => {
    expect(() => harnessFor(scenario("nope"))).toThrow(/no harness runs the workload "nope"/);
    expect(() => getHarness("nope" as never)).toThrow(/unknown harness "nope"/);
  });

  it("refuses an exercise that declares the wrong harness, naming the scenario and workload", () => {
    expect(() => exercise("component", "echo")).toThrow(/scenario "s": its workload "echo" runs in the node harness, but the exercise declares harness "component"/);
    expect(() => exercise("node", "lru-cache")).toThrow(/runs in the component harness/);
    expect(exercise("node", "echo").harness).toBe("node");
  });

  it("refuses a scenario with another harness's realm field: nodes in a component scenario, realms in a node one", () => {
    expect(() => exercise("component", "lru-cache")).toThrow(/scenario "s": a component scenario names its instances `realms`/);
    expect(exercise("component", "lru-cache", { nodes: undefined, realms: 2 }).harness).toBe("component");
    expect(() => exercise("node", "echo", { nodes: undefined })).toThrow(/a node scenario says how many nodes/);
    expect(() => exercise("node", "echo", { realms: 2 })).toThrow(/realms are a component scenario's instances/);
  });

  it("bundles a realm entry for every harness, found by its folder, and none for a folder the registry lacks", () => {
    const entries = realmEntries();
    expect(Object.keys(entries).sort()).toEqual(Object.keys(harnesses).sort());
    for (const [name, entry] of Object.entries(entries)) expect(entry, name).toBe(join(root, "graders", "harness", name, "realm", "entry.ts"));
  });
});
