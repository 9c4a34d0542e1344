// A design's module-level state is per pool instance, as a process's memory is: each instance of a pool
// runs its handlers on its own evaluation of the module, made at its first request; two instances never
// see each other's writes; an instance that dies (its zone fails) comes back with none of what it held;
// scaling in forgets the removed instances' state. Shown by a handler that counts its requests in a
// module-level variable and logs the count with a tag drawn at its module's top level, in both sandboxes
// (same log, same hash). Before, one module served every instance of every pool: one count for all.
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import { designHarness } from "../../graders/harness/design/index.ts";
import { designScenario } from "../../graders/design/scenario.ts";
import { InstanceMemory, copiesPerGroupMax } from "../../graders/design/instance-memory.ts";
import type { DesignRunData } from "../../graders/harness/design/run.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";

const source = `
import { design, lb, pool, sql } from "clusterlab";
// This instance's memory: a tag drawn when its module is evaluated, and its count of requests.
const tag = Math.floor(Math.random() * 1e9).toString(36);
let served = 0;
const count = (ctx: { zone: string; log(...a: unknown[]): void }) => ctx.log(ctx.zone + " " + tag + " " + ++served);
export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 4, zones: ["a", "b"] }),
    db: sql({ instance: "db.r7g.large", zones: ["a"] }),
  },
  handlers: {
    async shorten(ctx) { count(ctx); return { code: "x" }; },
    async resolve(ctx) { count(ctx); return { url: undefined }; },
    async update(ctx) { count(ctx); return {}; },
  },
});
`;

// Zone a (the database's, so the outage's) fails from 18 s to 36 s; about 100 requests in all.
const fault = { atMs: 18_000, forMs: 18_000 };
const scenario = designScenario({ name: "memory", prompt: "url-shortener", durationMin: 1, sampledPeakPerSec: 2, fault: { kind: "zone-outage", atMin: fault.atMs / 60_000, forMin: fault.forMs / 60_000 } });

interface Line {
  ms: number;
  zone: string;
  tag: string;
  count: number;
}

async function run(sandbox: ReturnType<typeof createIsolatedVmSandbox>) {
  const transpiled = await transpileSolution(source, "instance-memory.ts");
  if ("errors" in transpiled) throw new Error(transpiled.errors[0]!.text);
  const outcome = await sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: transpiled.js, harness: "design", limits: { wallMs: 60_000 } });
  if (outcome.kind !== "data") throw new Error(outcome.message);
  const data = outcome.data as unknown as DesignRunData;
  const lines: Line[] = data.logs.map(({ text }) => {
    const [, ms, zone, tag, count] = /^([\d.]+) ms: (\S+) (\S+) (\d+)$/.exec(text)!;
    return { ms: Number(ms), zone: zone!, tag: tag!, count: Number(count) };
  });
  return { lines, hash: designHarness.historyHash(data), logs: data.logs.map((l) => l.text) };
}

const tagsOf = (lines: Line[]) => [...new Set(lines.map((l) => l.tag))];

describe("module-level state is per pool instance", () => {
  it("gives each instance its own memory, lost when its zone fails, the same in both sandboxes", async () => {
    const a = await run(createIsolatedVmSandbox());
    const b = await run(createOneRealmIvmSandbox());
    expect(b.logs).toEqual(a.logs);
    expect(b.hash).toBe(a.hash);
    const lines = a.lines;
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.length).toBeLessThan(200);
    // Each memory counts only its own requests: 1, 2, 3… in order, whatever the other instances did.
    for (const tag of tagsOf(lines)) expect(lines.filter((l) => l.tag === tag).map((l) => l.count)).toEqual(lines.filter((l) => l.tag === tag).map((_, i) => i + 1));
    // Zone b's two instances: two memories, taking requests in turn (round robin), neither seeing the other's.
    const b2 = lines.filter((l) => l.zone === "b");
    expect(tagsOf(b2)).toHaveLength(2);
    const [x, y] = tagsOf(b2).map((t) => b2.filter((l) => l.tag === t).length);
    expect(Math.abs(x! - y!)).toBeLessThanOrEqual(1);
    expect(x! + y!).toBe(b2.length);
    // Zone a's two instances die at 18 s: their memories never serve again; the instances that start when
    // the zone is back have new ones, counting from 1.
    const before = tagsOf(lines.filter((l) => l.zone === "a" && l.ms < fault.atMs));
    const after = tagsOf(lines.filter((l) => l.zone === "a" && l.ms >= fault.atMs));
    expect(before).toHaveLength(2);
    expect(after).toHaveLength(2);
    expect(after.filter((t) => before.includes(t))).toEqual([]);
    for (const tag of after) {
      const first = lines.find((l) => l.tag === tag)!;
      expect(first.count).toBe(1);
      expect(first.ms).toBeGreaterThanOrEqual(fault.atMs + fault.forMs);
    }
  }, 120_000);
});

// Objects every copy of the module is handed (the building blocks, the globals, ctx's functions) hold no
// property a copy writes, so none is a memory the instances share behind the module's back.
const channelsSource = `
import { design, lb, pool, sql } from "clusterlab";
const bump = (name: string, o: any) => {
  try { o.__n = (o.__n ?? 0) + 1; } catch {}
  console.log(name + " " + o.__n);
};
const probe = (ctx: any) => {
  for (const [name, o] of Object.entries({ design, lb, pool, log: console.log, console, now: performance.now, ctxNow: ctx.now, ctxRandom: ctx.random, ctxLog: ctx.log, global: globalThis })) bump(name, o);
};
export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: { lb: lb({ target: "api" }), api: pool({ instance: "c7g.large", count: 3, zones: ["a"] }), db: sql({ instance: "db.r7g.large", zones: ["a"] }) },
  handlers: {
    async shorten(ctx) { probe(ctx); return { code: "x" }; },
    async resolve(ctx) { probe(ctx); return { url: undefined }; },
    async update(ctx) { probe(ctx); return {}; },
  },
});
`;

describe("no shared object is a back channel", () => {
  it("refuses properties on the building blocks, globals and ctx's functions, in both sandboxes", async () => {
    const short = designScenario({ name: "channels", prompt: "url-shortener", durationMin: 0.1, sampledPeakPerSec: 2 });
    const transpiled = await transpileSolution(channelsSource, "channels.ts");
    if ("errors" in transpiled) throw new Error(transpiled.errors[0]!.text);
    for (const sandbox of [createIsolatedVmSandbox(), createOneRealmIvmSandbox()]) {
      const outcome = await sandbox.run({ scenario: short, knobs: expandKnobs(short, 1), solutionJs: transpiled.js, harness: "design", limits: { wallMs: 60_000 } });
      if (outcome.kind !== "data") throw new Error(outcome.message);
      const lines = (outcome.data as unknown as DesignRunData).logs.map((l) => l.text.replace(/^[\d.]+ ms: /, ""));
      expect(lines.length).toBeGreaterThan(20);
      expect(lines.filter((t) => !t.endsWith(" undefined"))).toEqual([]);
    }
  }, 120_000);
});

describe("InstanceMemory", () => {
  const host = () => {
    let made = 0;
    const gone: number[] = [];
    return { gone, newInstance: () => ++made, instanceGone: (id: number) => void gone.push(id) };
  };

  it("takes a group's instances in turn, forgets scaled-in and crashed ones, and caps the copies", () => {
    const h = host();
    const m = new InstanceMemory(h);
    expect([1, 2, 3, 4, 5, 6].map(() => m.next(3))).toEqual([1, 2, 3, 1, 2, 3]);
    m.resize(2);
    expect(h.gone).toEqual([3]);
    expect([1, 2, 3, 4].map(() => m.next(2))).toEqual([1, 2, 1, 2]);
    // Scaled out again: the new instance starts with a memory of its own.
    m.resize(3);
    expect([1, 2, 3].map(() => m.next(3))).toEqual([2, 4, 1]);
    m.crash();
    expect(h.gone).toEqual([3, 4, 2, 1]);
    expect(m.next(3)).toBe(5);
    // A group larger than the cap shares its copies in turn.
    const big = new InstanceMemory(host());
    const ids = Array.from({ length: 100 }, () => big.next(50));
    expect(new Set(ids).size).toBe(copiesPerGroupMax);
  });
});
