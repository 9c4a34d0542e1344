// Bad designs get a verdict, not a crash: each names the field or the call, with the learner's line where
// there is one, and both sandboxes say the same.
import { describe, expect, it } from "vitest";
import { defineExercise, grade, type Results, type Sandbox } from "../../graders/index.ts";
import { designScenario } from "../../graders/design/scenario.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { designCost } from "../../graders/design/cost.ts";
import { validateDesign } from "../../graders/design/validate.ts";

const exercise = defineExercise({
  slug: "design-probe",
  title: "Probe",
  lesson: "x",
  harness: "design",
  instructions: "",
  hints: [],
  tasks: [{ id: "t", title: "T", description: "", scenarios: [designScenario({ name: "one-minute", prompt: "url-shortener", durationMin: 1 })], checks: [{ name: "availability", params: { min: 0.99 } }] }],
});

const isolated = createIsolatedVmSandbox();
const oneRealm = createOneRealmIvmSandbox();

/** A design around handlers written for the probe (a pool, a store, a cache). */
function solution(handlers: string, extra = ""): string {
  return `import { design, lb, pool, cache, sql } from "clusterlab";
export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 4, zones: ["a", "b"] }),
    cache: cache({ memoryGb: 13 }),
    db: sql({ instance: "db.r7g.large", replicas: 1 }),${extra}
  },
  handlers: {
${handlers}
  },
});
`;
}

const fine = {
  resolve: `    async resolve(ctx, req) { return { url: await ctx.call("db", "get", req.code) }; },`,
  shorten: `    async shorten(ctx, req) { const code = "n" + Math.floor(ctx.random() * 1e9); await ctx.call("db", "insert", code, req.url); return { code }; },`,
  update: `    async update(ctx, req) { await ctx.call("db", "put", req.code, req.url); return {}; },`,
};

async function gradeSource(source: string, sandbox: Sandbox = isolated, wallMs = 10_000): Promise<Results> {
  const file = "probe.ts";
  const t = await transpileSolution(source, file);
  if ("errors" in t) throw new Error(t.errors[0]!.text);
  return grade({ exercise, solutionJs: t.js, sourceMap: t.map, solutionLabel: file, sandbox, seeds: [1], limits: { wallMs } });
}

async function bothSandboxes(source: string, wallMs?: number): Promise<Results> {
  const a = await gradeSource(source, isolated, wallMs);
  const b = await gradeSource(source, oneRealm, wallMs);
  expect(b.tests.map((t) => [t.status, t.check, t.historyHash])).toEqual(a.tests.map((t) => [t.status, t.check, t.historyHash]));
  return a;
}

describe("bad designs get a verdict that names the problem", () => {
  it("a call to a component the design does not have: the call, its name and the learner's line", async () => {
    const r = await bothSandboxes(solution([fine.resolve.replace('"db", "get"', '"cahce", "get"'), fine.shorten, fine.update].join("\n")));
    expect(r.status).toBe("fail");
    expect(r.tests[0]!.check).toBe("no-errors");
    expect(r.tests[0]!.message).toMatch(/ctx\.call: the design has no component "cahce" \(it has lb, api, cache, db\)/);
    expect(r.tests[0]!.message).toMatch(/probe\.ts:\d+:\d+/);
  }, 60_000);

  it("an op the component does not offer", async () => {
    const r = await gradeSource(solution([fine.resolve.replace('"db", "get"', '"cache", "select"'), fine.shorten, fine.update].join("\n")));
    expect(r.tests[0]!.message).toMatch(/ctx\.call\("cache", "select"\): a cache offers get, set, delete/);
  }, 60_000);

  it("a call cycle: a handler that calls itself through its pool", async () => {
    const source = solution([`    async resolve(ctx, req) { return (await ctx.call("api", "lookup", req)) as { url: string | undefined }; },`, fine.shorten, fine.update].join("\n")).replace(
      "  handlers: {",
      `  internal: {\n    async lookup(ctx, req) { return ctx.call("api", "lookup", req); },\n  },\n  handlers: {`,
    );
    const r = await gradeSource(source);
    expect(r.tests[0]!.check).toBe("no-errors");
    expect(r.tests[0]!.message).toMatch(/call cycle: api\.lookup → api\.lookup calls itself again/);
  }, 60_000);

  it("absurd sizes: a million instances, a negative TTL, an unknown instance size, each with its field", async () => {
    const source = solution([fine.resolve, fine.shorten, fine.update].join("\n"))
      .replace("count: 4", "count: 1_000_000")
      .replace("cache({ memoryGb: 13 })", "cache({ memoryGb: 13, ttlSec: -5 })")
      .replace('instance: "db.r7g.large"', 'instance: "db.r7g.huge" as never');
    const r = await bothSandboxes(source);
    const message = r.tests[0]!.message;
    expect(message).toMatch(/components\.api\.count: must be a whole number from 1 to 1000, got 1000000 \(at probe\.ts:\d+:\d+\)/);
    expect(message).toMatch(/components\.cache\.ttlSec: must be a number from 1 to 31536000, got -5/);
    expect(message).toMatch(/components\.db\.instance: must be one of "db\.r7g\.large"/);
  }, 60_000);

  it("a handler that never returns", async () => {
    const r = await bothSandboxes(solution([`    async resolve(ctx, req) { await new Promise(() => {}); return { url: undefined }; },`, fine.shorten, fine.update].join("\n")));
    expect(r.tests[0]!.check).toBe("no-errors");
    expect(r.tests[0]!.message).toMatch(/the resolve handler never returned .*: it awaits something that never settles/);
  }, 60_000);

  it("a handler that loops forever: the wall-time budget, naming the handler", async () => {
    const r = await gradeSource(solution([`    async resolve(ctx, req) { for (;;) {} },`, fine.shorten, fine.update].join("\n")), isolated, 3000);
    expect(r.status).toBe("error");
    expect(r.tests[0]!.message).toMatch(/wall-time budget exceeded.*the resolve handler/);
  }, 60_000);

  // The drain stops the simulation after 100,000 hops that each ran a continuation, but nothing in the realm
  // can stop the loop itself: it goes on in the microtask queue until the sandbox's wall-time budget ends it.
  it("an async loop that never waits on a call: the wall-time budget, naming the design's promise continuations, in both sandboxes", async () => {
    const r = await bothSandboxes(solution([`    async resolve(ctx, req) { for (;;) await null; },`, fine.shorten, fine.update].join("\n")), 3000);
    expect(r.status).toBe("error");
    expect(r.tests[0]!.message).toMatch(/wall-time budget exceeded.*the design's promise continuations/);
  }, 60_000);

  it("a handler that throws a TypeError: no-errors with the learner's line", async () => {
    const r = await gradeSource(solution([`    async resolve(ctx, req) { const x = (req as any).nothing.deeper; return { url: x }; },`, fine.shorten, fine.update].join("\n")));
    expect(r.tests[0]!.check).toBe("no-errors");
    expect(r.tests[0]!.message).toMatch(/the resolve handler rejected with TypeError: .*\(at probe\.ts:\d+:\d+\)/);
  }, 60_000);

  it("a missing handler and a default export that is not a design", async () => {
    const missing = await gradeSource(solution([fine.resolve, fine.shorten].join("\n")));
    expect(missing.tests[0]!.message).toMatch(/handlers\.update: the prompt sends "update" requests: write a handler for them/);
    const plain = await gradeSource("export default { prompt: 'url-shortener' };");
    expect(plain.tests[0]!.message).toMatch(/the solution must `export default design\(\{ … \}\)`/);
  }, 60_000);

  it("a cost that is not finite cannot come from a valid design: sizes are bounded where they are read", () => {
    const data = { prompt: "url-shortener", regions: ["us-east-1"], components: { lb: { kind: "lb" as const, target: "api" }, api: { kind: "pool" as const, instance: "c7g.4xlarge", count: 1000 }, cache: { kind: "cache" as const, memoryGb: 1e308 } }, handlers: ["resolve", "shorten", "update"], internal: [], calls: {} };
    const checked = validateDesign(data, { name: "url-shortener", types: ["resolve", "shorten", "update"] });
    expect("problems" in checked && checked.problems.join("; ")).toMatch(/components\.cache\.memoryGb: must be a number from 0\.1 to 10000, got 1e\+308/);
    const biggest = validateDesign({ ...data, components: { ...data.components, cache: { kind: "cache" as const, memoryGb: 10_000, nodes: 100 } } }, { name: "url-shortener", types: ["resolve", "shorten", "update"] });
    if (!("config" in biggest)) throw new Error(biggest.problems.join("; "));
    const cost = designCost(biggest.config, { weight: 1, simulatedMs: 60_000, meanOverPeak: 0.5, peakShare: 0.9, transfer: { crossZone: 0, crossRegion: 0 }, responseBytes: 0, world: new Map(), storedGb: 1, autoscaled: new Map(), edgeRequests: 0, userRequests: 0 });
    expect(Number.isFinite(cost.total)).toBe(true);
  });
});

// The engine drains a handler's continuations after each answer until a microtask hop runs none: a handler
// whose continuations take more microtask turns to get back to it (async helpers, awaits of plain values,
// Promise.all, then callbacks) must be timed as the same calls written inline.
describe("a handler's calls through async helpers, extra awaits, Promise.all or then chains", () => {
  it("give the same history as the calls written inline, in both sandboxes", async () => {
    const helpers = `async function readThrough(ctx: any, code: string) { const v = await ctx.call("cache", "get", code); if (v !== undefined) return v; const d = await ctx.call("db", "get", code); if (d !== undefined) await ctx.call("cache", "set", code, d); return d; }
async function deeper(ctx: any, code: string) { return await readThrough(ctx, code); }
`;
    const inline = `    async resolve(ctx, req) { const v = await ctx.call("cache", "get", req.code); if (v !== undefined) return { url: v }; const d = await ctx.call("db", "get", req.code); if (d !== undefined) await ctx.call("cache", "set", req.code, d); return { url: d }; },`;
    const viaHelpers = [
      `    async resolve(ctx, req) { return { url: await readThrough(ctx, req.code) }; },`,
      `    async resolve(ctx, req) { return { url: await deeper(ctx, req.code) }; },`,
      // Awaits that wait on nothing, a Promise.all, and a chain of then callbacks: none takes simulated time.
      `    async resolve(ctx, req) { const v = await ctx.call("cache", "get", req.code); await null; if (v !== undefined) return { url: v }; const d = await ctx.call("db", "get", req.code); await null; await null; if (d !== undefined) await ctx.call("cache", "set", req.code, d); return { url: d }; },`,
      `    async resolve(ctx, req) { const [v] = await Promise.all([ctx.call("cache", "get", req.code)]); if (v !== undefined) return { url: v }; const [d] = await Promise.all([ctx.call("db", "get", req.code)]); if (d !== undefined) await ctx.call("cache", "set", req.code, d); return { url: d }; },`,
      `    resolve(ctx, req) { return ctx.call("cache", "get", req.code).then((v) => v !== undefined ? { url: v } : ctx.call("db", "get", req.code).then(async (d) => { if (d !== undefined) await ctx.call("cache", "set", req.code, d); return { url: d }; })); },`,
    ];
    const source = (resolve: string) => helpers + solution([resolve, fine.shorten, fine.update].join("\n"));
    const expected = await bothSandboxes(source(inline));
    expect(expected.status).toBe("pass");
    for (const resolve of viaHelpers) expect((await bothSandboxes(source(resolve))).historyHash).toBe(expected.historyHash);
  }, 60_000);
});

describe("the other building blocks run", () => {
  it("a CDN in front, a queue whose consumer counts clicks in a key-value store, object storage", async () => {
    const source = `import { design, lb, pool, kv, cdn, queue, objectStore } from "clusterlab";
export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    edge: cdn({ origin: "lb", cache: ["resolve"], ttlSec: 30 }),
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 4, zones: ["a", "b"] }),
    workers: pool({ instance: "c7g.medium", count: 2, zones: ["a", "b"] }),
    links: kv({ partitions: 8 }),
    clicks: queue({ partitions: 4, consumer: { pool: "workers", handler: "countClick", inFlight: 32 } }),
    archive: objectStore(),
  },
  internal: {
    async countClick(ctx, message: string) { await ctx.call("links", "increment", "clicks:" + message); return {}; },
  },
  handlers: {
    async resolve(ctx, req) {
      const url = await ctx.call("links", "get", req.code);
      ctx.call("clicks", "publish", req.code).catch(() => {});
      return { url };
    },
    async shorten(ctx, req) {
      const code = "n" + Math.floor(ctx.random() * 1e12).toString(36);
      await ctx.call("links", "insert", code, req.url);
      await ctx.call("archive", "put", code, req.url);
      return { code };
    },
    async update(ctx, req) { await ctx.call("links", "put", req.code, req.url); return {}; },
  },
});
`;
    const t = await transpileSolution(source, "blocks.ts");
    if ("errors" in t) throw new Error(t.errors[0]!.text);
    const scenario = exercise.tasks[0]!.scenarios[0]!;
    const { expandKnobs } = await import("../../graders/index.ts");
    const run = await isolated.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: t.js, harness: "design" });
    if (run.kind === "error") throw new Error(run.message);
    const design = (run.data as unknown as { design: { figures: Record<string, number>; cost: Record<string, number> } }).design;
    expect(run.data.errors).toEqual([]);
    expect(design.figures.cdnHitRatio).toBeGreaterThan(0.2);
    expect(design.figures["published.clicks"]).toBeGreaterThan(100);
    expect(design.figures["consumed.clicks"]).toBeGreaterThan(0.9 * design.figures["published.clicks"]!);
    expect(design.figures["resolve.availability"]).toBeGreaterThan(0.99);
    for (const line of ["cdn", "kv requests", "queue", "object storage", "compute"]) expect(design.cost[line], line).toBeGreaterThan(0);
  }, 60_000);
});
