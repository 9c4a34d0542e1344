// A component's module-level state is per instance, as a process's memory is: the 100 clients of the
// circuit-breaker fleet each make their policy from their own evaluation of the module, so a
// module-level variable cannot coordinate the fleet (one shared "the downstream is down" flag, a global
// retry schedule) for free. Shown by a module-level count of the policies made, logged by each policy
// as it is made: 1 for every client (before, 1 to 100), the same log and hash in both sandboxes.
import { describe, expect, it } from "vitest";
import { componentScenario, expandKnobs } from "../../graders/index.ts";
import { getHarness } from "../../graders/harness/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import type { RunData } from "../../graders/contract.ts";

const source = `
import type { CallPolicyFactory } from "clusterlab";
let made = 0;
const tag = Math.floor(Math.random() * 1e9);
const createPolicy: CallPolicyFactory = () => {
  made++;
  console.log("made " + made + " tag " + tag);
  return { allow: () => true, onResult() {}, retryDelayMs: () => -1 };
};
export default createPolicy;
`;

const scenario = componentScenario({ name: "fleet", system: "circuit-breaker", durationMs: 200, ratePerSec: 200, options: { clients: 100, slots: 24, failRate: 0.1 } });

async function run(sandbox: ReturnType<typeof createIsolatedVmSandbox>) {
  const transpiled = await transpileSolution(source, "fleet-memory.ts");
  if ("errors" in transpiled) throw new Error(transpiled.errors[0]!.text);
  const outcome = await sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: transpiled.js, harness: "component", limits: { wallMs: 60_000 } });
  if (outcome.kind !== "data") throw new Error(outcome.message);
  const data = outcome.data as RunData;
  return { logs: data.logs.map((l) => l.text), hash: getHarness("component").historyHash(data as never) };
}

describe("component module state is per instance", () => {
  it("gives each of a fleet's 100 policies a module of its own, the same in both sandboxes", async () => {
    const a = await run(createIsolatedVmSandbox());
    const b = await run(createOneRealmIvmSandbox());
    expect(b.logs).toEqual(a.logs);
    expect(b.hash).toBe(a.hash);
    const made = a.logs.filter((t) => t.startsWith("made "));
    expect(made).toHaveLength(100);
    expect(made.every((t) => t.startsWith("made 1 "))).toBe(true);
    // A module of its own each: its top level ran for it (a tag drawn each time).
    expect(new Set(made.map((t) => t.split(" tag ")[1])).size).toBe(100);
  }, 60_000);
});
