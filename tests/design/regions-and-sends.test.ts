// Building blocks for prompts whose users are in several regions, checked against what they must be on
// short seeded runs of the rate-limiter prompt (users 50% us-east-1, 30% eu-west-1, 20% us-west-2):
// - geo routing: a user served by a pool in their own region pays no ocean; one served from another
//   region pays the round trip between the two (topology.ts) on top;
// - ctx.send: a one-way message happens (its increment is counted where it lands) and nobody waits for it;
// - the storage-outage fault: every cache of the first region hangs for the fault, then comes back empty,
//   and the other regions' caches are untouched.
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import { designScenario } from "../../graders/design/scenario.ts";
import { regionRoundTripMs } from "../../graders/design/topology.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";

const sandbox = createIsolatedVmSandbox();

async function run(source: string, options: { fault?: boolean } = {}): Promise<Record<string, number>> {
  const t = await transpileSolution(source, "design.ts");
  if ("errors" in t) throw new Error(t.errors[0]!.text);
  const scenario = designScenario({ name: "blocks", prompt: "rate-limiter", durationMin: 2, ...(options.fault ? { fault: { kind: "storage-outage", atMin: 0.5, forMin: 0.5 } } : {}) });
  const out = await sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: t.js, harness: "design", limits: { wallMs: 60_000 } });
  if (out.kind === "error") throw new Error(out.message);
  const data = out.data as unknown as { design: { figures: Record<string, number> }; errors: Array<{ text: string }> };
  expect(data.errors.map((e) => e.text)).toEqual([]);
  return data.design.figures;
}

const pools = `
    "api-use1": pool({ region: "us-east-1", instance: "c7g.xlarge", count: 6, zones: ["a", "b", "c"] }),
    "api-euw1": pool({ region: "eu-west-1", instance: "c7g.xlarge", count: 6, zones: ["a", "b", "c"] }),
    "api-usw2": pool({ region: "us-west-2", instance: "c7g.xlarge", count: 6, zones: ["a", "b", "c"] }),`;
const regions = `["us-east-1", "eu-west-1", "us-west-2"]`;

describe("users by region", () => {
  it("a pool in the user's own region adds no ocean; one elsewhere adds the round trip between the regions", async () => {
    const handler = `async check() { return { allowed: true }; }`;
    const geo = await run(`import { design, lb, pool } from "clusterlab";
export default design({ prompt: "rate-limiter", regions: ${regions}, components: { lb: lb({ target: "api-use1", byRegion: { "eu-west-1": "api-euw1", "us-west-2": "api-usw2" } }),${pools} }, handlers: { ${handler} } });`);
    const home = await run(`import { design, lb, pool } from "clusterlab";
export default design({ prompt: "rate-limiter", regions: ${regions}, components: { lb: lb({ target: "api-use1" }),${pools} }, handlers: { ${handler} } });`);
    // Geo routed, every request stays in its region: well under a millisecond or two.
    expect(geo["check.p99Ms"]).toBeLessThan(3);
    // All served from us-east-1: its own users are fast, Europe's (30%) pay the 70 ms round trip.
    const farthest = Math.max(regionRoundTripMs("us-east-1", "eu-west-1"), regionRoundTripMs("us-east-1", "us-west-2"));
    expect(home["check.p99Ms"]).toBeGreaterThanOrEqual(farthest);
    expect(home["check.p99Ms"]).toBeLessThan(farthest + 5);
  }, 120_000);
});

describe("one-way sends", () => {
  it("happen where they land, and nobody waits for them", async () => {
    // Every check sends an increment to a far-away counter and awaits only a local one; the far counter
    // then holds one count per check (read back by the next check of the same key in its minute).
    const source = (send: boolean) => `import { design, lb, pool, cache } from "clusterlab";
export default design({ prompt: "rate-limiter", regions: ${regions},
  components: { lb: lb({ target: "api-use1", byRegion: { "eu-west-1": "api-euw1", "us-west-2": "api-usw2" } }),${pools}
    near: cache({ memoryGb: 1, zones: ["a", "b", "c"], nodes: 3 }),
    far: cache({ region: "eu-west-1", memoryGb: 1, zones: ["a", "b", "c"], nodes: 3 }) },
  calls: { near: { timeoutMs: 50 }, far: { timeoutMs: 500 } },
  handlers: { async check(ctx, req) {
    const key = req.key + ":" + Math.floor(ctx.now() / 60000);
    ${send ? `ctx.send("far", "increment", key, 120);` : `await ctx.call("far", "increment", key, 120);`}
    await ctx.call("near", "increment", key, 120);
    return { allowed: true };
  } } });`;
    const sent = await run(source(true));
    const awaited = await run(source(false));
    // Sending one way costs the handler nothing it waits for; awaiting the far counter costs the ocean.
    expect(sent["check.p99Ms"]).toBeLessThan(awaited["check.p50Ms"]!);
    expect(awaited["check.p50Ms"]).toBeGreaterThan(regionRoundTripMs("us-east-1", "eu-west-1") / 2);
    // No call of the send path failed or was retried, and it still did its work: the far counter was used.
    expect(sent["util.far"]).toBeGreaterThan(0.01);
    expect(sent["attemptsPerCall.far"]).toBeUndefined();
  }, 120_000);
});

describe("the storage-outage fault", () => {
  it("stops the first region's caches for the fault (they hang), and leaves the other regions' alone", async () => {
    const figures = await run(`import { design, lb, pool, cache } from "clusterlab";
export default design({ prompt: "rate-limiter", regions: ${regions},
  components: { lb: lb({ target: "api-use1", byRegion: { "eu-west-1": "api-euw1", "us-west-2": "api-usw2" } }),${pools}
    "c-use1": cache({ memoryGb: 1, zones: ["a", "b", "c"], nodes: 3 }),
    "c-euw1": cache({ region: "eu-west-1", memoryGb: 1, zones: ["a", "b", "c"], nodes: 3 }),
    "c-usw2": cache({ region: "us-west-2", memoryGb: 1, zones: ["a", "b", "c"], nodes: 3 }) },
  calls: { "c-use1": { timeoutMs: 20 }, "c-euw1": { timeoutMs: 20 }, "c-usw2": { timeoutMs: 20 } },
  handlers: { async check(ctx, req) {
    const cache = ctx.region === "us-east-1" ? "c-use1" : ctx.region === "eu-west-1" ? "c-euw1" : "c-usw2";
    await ctx.call(cache, "increment", req.key, 120);
    return { allowed: true };
  } } });`, { fault: true });
    // us-east-1's checks are 37.6% of all (half the light keys' 60%, 18.9% of the heavy and busy keys' 40%):
    // during the fault those fail (their cache hangs until the 20 ms timeout), before and after none do.
    expect(figures["check.before.availability"]).toBe(1);
    expect(figures["check.after.availability"]).toBe(1);
    expect(figures["check.during.availability"]).toBeGreaterThan(0.624 - 0.03);
    expect(figures["check.during.availability"]).toBeLessThan(0.624 + 0.03);
  }, 120_000);
});
