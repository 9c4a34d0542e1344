// The component harness end to end in the isolated-vm sandbox: determinism, what crosses into the
// learner's realm, budgets and errors, and realms that share no memory.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { componentScenario, expandKnobs, type ScenarioSpec } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";

const sandbox = createIsolatedVmSandbox();

async function run(source: string, scenario: ScenarioSpec, seed = 1, wallMs = 10_000) {
  const out = await transpileSolution(source, "solution.ts");
  if ("errors" in out) throw new Error(JSON.stringify(out.errors));
  return sandbox.run({ scenario, knobs: expandKnobs(scenario, seed), solutionJs: out.js, harness: "component", limits: { wallMs } });
}

async function figures(source: string, scenario: ScenarioSpec, seed = 1) {
  const outcome = await run(source, scenario, seed);
  if (outcome.kind !== "data") throw new Error(outcome.message);
  if (outcome.data.harness !== "component") throw new Error(`a ${outcome.data.harness} run, not a component run`);
  return outcome.data;
}

const lb = (options: Record<string, string | number | boolean> = {}) =>
  componentScenario({ name: "lb", system: "load-balancer", durationMs: 2000, ratePerSec: 200, options: { strategy: "roundRobin", servers: 4, ...options } });

/** One balancer for every strategy, built from a pick function body. */
const balancer = (pick: string, extra = "") => `
${extra}
const make = (servers: readonly { index: number }[]) => ({ pick(client: number) { ${pick} } });
export default { roundRobin: make, weightedRoundRobin: make, leastConnections: make, ipHash: make, powerOfTwo: make };
`;

describe("component harness", () => {
  it("is deterministic: same seed, same record hash; another seed, another", async () => {
    const source = balancer("return Math.floor(Math.random() * servers.length);");
    const a = await figures(source, lb(), 1);
    const b = await figures(source, lb(), 1);
    const c = await figures(source, lb(), 2);
    expect(a.components.recordHash).toBe(b.components.recordHash);
    expect(a.components.figures).toEqual(b.components.figures);
    expect(c.components.recordHash).not.toBe(a.components.recordHash);
    // A component run is its own kind: no client history, no message trace pretending to be a node run's.
    expect(a).not.toHaveProperty("history");
    expect(a).not.toHaveProperty("trace");
  });

  it("gives the same history hash in another process (the CLI), seed by seed", async () => {
    const root = join(import.meta.dirname, "..", "..");
    const args = ["grade", "circuit-breaker", "exercises/circuit-breaker/.meta/solution.ts", "--seeds", "2", "--json", "--no-typecheck"];
    let out = "";
    const code = await main(args, { isTty: false, color: false, cwd: root, stdout: (t) => void (out += t), stderr: () => undefined });
    expect(code).toBe(0);
    const other = execFileSync(process.execPath, ["--no-node-snapshot", join(root, "bin", "clusterlab.mjs"), ...args], { cwd: root, encoding: "utf8" });
    const here = JSON.parse(out) as { historyHash: string; tests: Array<{ historyHash: string }> };
    const there = JSON.parse(other) as typeof here;
    expect(there.tests.map((t) => t.historyHash)).toEqual(here.tests.map((t) => t.historyHash));
    expect(there.historyHash).toBe(here.historyHash);
  });

  it("hands the component numbers only, and the simulated clock", async () => {
    // Date.now() must be virtual time (< the 2 s run), and the argument a plain number.
    const source = balancer(`
      if (typeof client !== "number") throw new Error("client is " + typeof client);
      if (!(Date.now() >= 0 && Date.now() <= 2000)) throw new Error("Date.now() is " + Date.now());
      // A Date's time value is whole ms, as in every engine; performance.now() keeps the fraction.
      if (Date.now() !== Math.floor(performance.now())) throw new Error("performance.now() disagrees");
      return client % servers.length;`);
    const run = await figures(source, lb());
    expect(run.errors).toEqual([]);
    expect(run.components.figures.ok).toBeGreaterThan(300);
  });

  it("sees none of the engine's globals from the learner's realm", async () => {
    const source = balancer(`
      const g = globalThis as Record<string, unknown>;
      const leaked = ["__sim_run", "__sim_create", "__sim_entry_slot", "__clusterlab_entry", "__clusterlab_load", "__clusterlab_solution"].filter((k) => g[k] !== undefined);
      if (leaked.length) throw new Error("leaked " + leaked.join(","));
      return 0;`);
    const run = await figures(source, lb());
    expect(run.errors).toEqual([]);
  });

  it("turns a throw or a wrong answer into an error that names the method", async () => {
    const throws = await figures(balancer(`throw new Error("boom");`), lb());
    expect(throws.errors[0]?.text).toMatch(/pick\(\) threw Error: boom/);
    expect(throws.components.figures.errorRate).toBe(1);
    const object = await figures(balancer(`return { server: 1 } as unknown as number;`), lb());
    expect(object.errors[0]?.text).toMatch(/pick\(\) must return a number, string or boolean/);
    const outOfRange = await figures(balancer(`return 17;`), lb());
    expect(outOfRange.errors[0]?.text).toMatch(/pick\(\d+\) returned 17/);
  });

  it("takes any string a method returns as its value, whatever it starts with, in both sandboxes", async () => {
    // A fault crossed as "f<words>" and a string as "s<text>" once; now both cross as they are, and a fault
    // as its own answer: a get that answers "f…" or "s…" gives wrong values, never a fault in its words.
    const source = `export default () => { const m = new Map<string, string>(); let n = 0; return { get: (k: string) => (m.has(k) ? (n++ % 2 ? "f" : "s") + m.get(k) : undefined), put: (k: string, v: string) => void m.set(k, v) }; };`;
    const scenario = componentScenario({ name: "lru", system: "lru-cache", durationMs: 1, options: { capacity: 10, keys: 50, ops: 300 } });
    const out = await transpileSolution(source, "solution.ts");
    if ("errors" in out) throw new Error(JSON.stringify(out.errors));
    for (const each of [sandbox, createOneRealmIvmSandbox()]) {
      const outcome = await each.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: out.js, harness: "component", limits: { wallMs: 10_000 } });
      if (outcome.kind !== "data" || outcome.data.harness !== "component") throw new Error(outcome.kind === "data" ? outcome.data.harness : outcome.message);
      expect(outcome.data.errors).toHaveLength(1);
      expect(outcome.data.errors[0]?.text).toMatch(/^get\("k\d+"\) returned "svalue-of-k\d+", but the key's current value is "value-of-k\d+"/);
      expect(outcome.data.components.figures.wrongValues).toBeGreaterThan(10);
      expect(outcome.data.components.figures.hits).toBe(0);
    }
  });

  it("reports a missing factory", async () => {
    const run = await figures(`export default { roundRobin: () => ({ pick: () => 0 }) };`, lb({ strategy: "ipHash" }));
    expect(run.errors[0]?.text).toMatch(/no function "ipHash"/);
  });

  it("stops an endless loop in the component at the wall-time budget", async () => {
    const outcome = await run(balancer(`for (;;) {}`), lb(), 1, 1500);
    expect(outcome.kind).toBe("error");
    if (outcome.kind === "error") expect(outcome.message).toMatch(/wall-time budget exceeded.*component/);
  });

  it("gives every gateway its own realm: module state is not shared", async () => {
    // Each realm counts the limiters made in it. Shared memory would make every gateway but one refuse.
    const source = `
      let made = 0;
      export default () => { made++; const mine = made; return { allow: () => mine === 1 }; };`;
    const scenario = componentScenario({ name: "gateways", system: "rate-limiter", durationMs: 2000, realms: 4, options: { rates: "50", ratePerSec: 100, shares: "0.25,0.25,0.25,0.25" } });
    const run = await figures(source, scenario);
    expect(run.components.figures.requests).toBeGreaterThan(50);
    expect(run.components.figures.admitted).toBe(run.components.figures.requests);
  });
});
