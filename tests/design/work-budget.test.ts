// A design's work decides its run's cost, so it is bounded with a verdict, never a wall-time error:
// - a multi-key read (a store's rangeMany) answers each key's list as `range` would, in the keys' order,
//   as one query per shard (a visit per shard touched, each key still a read of its shard);
// - a design whose handlers make more calls per user request than the simulation's budget (64) is stopped
//   where it went over and judged on that part: "no-errors" names the budget, and its own figures fail
//   its SLOs. The news feed's fan-out on read, one call per followed account (about 100 per feed), took
//   the wall-time budget before; now it stops within ten simulated seconds, in both sandboxes alike;
// - the same design batched with rangeMany runs its whole task (an eighth of the events) and fails its
//   SLOs on the database's overload: one call saves round trips, not reads.
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../../graders/index.ts";
import { callsPerRequestBudget } from "../../graders/design/simulation.ts";
import type { CallResult } from "../../graders/design/world.ts";
import type { SqlConfig } from "../../graders/design/validate.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { directWorld } from "../support/design-world.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const wrong = (name: string) => join(exercisesDir, "news-feed-design", ".meta", "wrong", name);

async function gradeLaunch(file: string, sandbox = createIsolatedVmSandbox()) {
  const exercise = (await loadExercise("news-feed-design"))!;
  return grade({ exercise, solutionJs: await readSolutionJs(file), solutionLabel: file, sandbox, seeds: [1], scenario: 1 });
}

describe("rangeMany: one call for many lists", () => {
  it("answers each key's list after `after`, in the keys' order, one visit per shard touched", async () => {
    const { SqlComponent } = await import("../../graders/design/world.ts");
    const { events, host } = directWorld(["us-east-1"], 1);
    const config: SqlConfig = { kind: "sql", name: "db", region: "us-east-1", zones: ["a", "b", "c"], instance: "db.r7g.large", vcpu: 2, shards: 4, shardKey: "hash", replicas: 0, replicaRegions: [], replication: "async", failoverSec: 10 };
    const db = new SqlComponent(config, host);
    const keys = Array.from({ length: 12 }, (_, i) => `posts:u${i}`);
    keys.forEach((key, i) => {
      for (let n = 0; n <= i % 4; n++) db.serve("append", [key, `${key}#${n}`], 0, [], () => {});
    });
    while (events.step());
    const served = () => db.stations().reduce((n, s) => n + s.served, 0);
    const before = served();
    const box: { result?: CallResult } = {};
    db.serve("rangeMany", [[...keys, "posts:none"], 1], 0, [], (r) => (box.result = r));
    while (events.step());
    const shards = new Set([...keys, "posts:none"].map((k) => db.store.shardOf(k).index)).size;
    expect(served() - before).toBe(shards);
    const one = (key: string) => {
      const b: { result?: CallResult } = {};
      db.serve("range", [key, 1], 0, [], (r) => (b.result = r));
      while (events.step());
      return (b.result as { ok: true; value: string[] }).value;
    };
    expect(box.result).toEqual({ ok: true, value: [...keys, "posts:none"].map(one) });
    // posts:u3 holds four posts: after the first, three; a key never appended to answers [].
    expect((box.result as { ok: true; value: string[][] }).value.map((l) => l.length)).toEqual([...keys.map((_, i) => i % 4), 0]);
  });
});

describe("the calls-per-request budget", () => {
  it(`stops fan-out on read (one call per followed account) past ${callsPerRequestBudget} calls per request, with a verdict, the same in both sandboxes`, async () => {
    const file = wrong("fanout-on-read.ts");
    const [a, b] = [await gradeLaunch(file), await gradeLaunch(file, createOneRealmIvmSandbox())];
    const run = a.tests[0]!;
    expect(run.status).toBe("fail");
    const failed = run.failures?.map((f) => f.check) ?? [run.check];
    expect(failed).toContain("no-errors");
    expect(failed).toContain("availability");
    expect(run.message).toMatch(new RegExp(`over the simulation's budget of ${callsPerRequestBudget}`));
    // Stopped early: a few simulated seconds, tens of thousands of events (the whole run was 1.3 million).
    expect(run.metrics.simulatedMs).toBeLessThan(20_000);
    expect(run.metrics.events).toBeLessThan(100_000);
    expect(run.metrics.callsPerRequest).toBeGreaterThan(callsPerRequestBudget);
    expect(b.tests.map((t) => [t.status, t.historyHash])).toEqual(a.tests.map((t) => [t.status, t.historyHash]));
  }, 120_000);

  it("stops the worst a handler may do (1,000 calls per request, the per-request cap) within a few thousand events of the budget", async () => {
    const source = readFileSync(wrong("fanout-on-read.ts"), "utf8").replace("const accounts = [req.user, ...req.following];", "const accounts = Array.from({ length: 999 }, (_, i) => `${req.user}.${i}`);");
    const file = join(tmpdir(), "feed-thousand-calls.ts");
    writeFileSync(file, source);
    const run = (await gradeLaunch(file)).tests[0]!;
    expect(run.status).toBe("fail");
    expect(run.message).toMatch(/calls per user request .* over the simulation's budget of 64/);
    // At most the budget of the first 200 requests (12,800 calls), plus the calls of the requests in flight when it was checked.
    expect(run.metrics.events).toBeLessThan(60_000);
    expect(run.metrics.simulatedMs).toBeLessThan(5_000);
  }, 120_000);

  it("runs the batched fan-out on read (one rangeMany per feed) to its end, and it fails on the database's overload", async () => {
    const run = (await gradeLaunch(wrong("fanout-on-read-batched.ts"))).tests[0]!;
    expect(run.status).toBe("fail");
    expect(run.failures?.map((f) => f.check) ?? [run.check]).toContain("availability");
    expect(run.failures?.map((f) => f.check) ?? [run.check]).not.toContain("no-errors");
    expect(run.metrics.simulatedMs).toBeGreaterThanOrEqual(150_000);
    expect(run.metrics.events).toBeLessThan(200_000);
    expect(run.metrics.callsPerRequest).toBeLessThan(2);
    expect(run.metrics["util.db"]).toBeGreaterThan(1);
  }, 120_000);

  it("leaves the reference's run whole (under 6 calls per request)", async () => {
    const run = (await gradeLaunch(join(exercisesDir, "news-feed-design", ".meta", "solution.ts"))).tests[0]!;
    expect(run.status).toBe("pass");
    expect(run.metrics.simulatedMs).toBeGreaterThanOrEqual(150_000);
    expect(run.metrics.callsPerRequest).toBeLessThan(6);
  }, 120_000);
});
