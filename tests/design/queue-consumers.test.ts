// Queues and their consumer groups, on short seeded runs of the notifications prompt:
// - scaled traffic: a partition handles at most `inFlight` messages at once, each holding its place for
//   weight × its own time (station.ts's rule), so a saturated queue drains at the same real rate whatever
//   the sample: the real throughput of a 32-partition queue agrees within 5% between the unscaled run
//   (weight 1) and samples of weight 50 and 500;
// - a consumer's zone fails in the middle of its messages: the group hands them to its live consumers after
//   the session timeout (rebalanceMs), so their partitions go on, late by about that much, not stuck for good.
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/index.ts";
import { designScenario, type DesignScenarioSpec } from "../../graders/design/scenario.ts";
import { rebalanceMs } from "../../graders/design/world.ts";
import { notifications } from "../../graders/design/prompts/notifications.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";

const sandbox = createIsolatedVmSandbox();

async function run(source: string, spec: Omit<DesignScenarioSpec, "prompt">): Promise<Record<string, number>> {
  const t = await transpileSolution(source, "design.ts");
  if ("errors" in t) throw new Error(t.errors[0]!.text);
  const scenario = designScenario({ prompt: "notifications", ...spec });
  const out = await sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: t.js, harness: "design", limits: { wallMs: 120_000 } });
  if (out.kind === "error") throw new Error(out.message);
  const data = out.data as unknown as { design: { figures: Record<string, number> }; errors: Array<{ text: string }> };
  expect(data.errors.map((e) => e.text)).toEqual([]);
  return data.design.figures;
}

describe("a queue's throughput under sampling", () => {
  // 32 partitions, one message at a time each, a send of about 45 ms a message (cut at 100 ms: a slow
  // answer, one in 200, is tried again, so one rare draw cannot swing a coarse sample): some 650 real
  // messages a second, below the 1,000 a second offered, so the queue is saturated from the start.
  const source = `import { design, lb, pool, queue, provider } from "clusterlab";
export default design({
  prompt: "notifications", regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.xlarge", count: 4, concurrency: 256, zones: ["a", "b"] }),
    workers: pool({ instance: "c7g.large", count: 2, concurrency: 256, zones: ["a", "b"] }),
    q: queue({ partitions: 32, consumer: { pool: "workers", handler: "deliver" } }),
    push: provider({ channel: "push" }),
  },
  calls: { push: { timeoutMs: 100 } },
  handlers: { async notify(ctx, req) { await ctx.call("q", "publish", JSON.stringify(req)); return { accepted: true }; } },
  internal: { async deliver(ctx, message: string) { const n = JSON.parse(message); await ctx.call("push", "send", n.user, n.text, n.notificationId); return {}; } },
});`;
  const realRate = (f: Record<string, number>, seconds: number) => (f["consumed.q"]! * f.sampleWeight!) / seconds;

  it("a saturated queue drains at the same real rate unscaled (weight 1) and sampled (weights 50 and 500)", async () => {
    const full = await run(source, { name: "unscaled", durationMin: 1, sampledPeakPerSec: 1000 });
    const fine = await run(source, { name: "weight-50", durationMin: 3, sampledPeakPerSec: 20 });
    const coarse = await run(source, { name: "weight-500", durationMin: 10, sampledPeakPerSec: 2 });
    expect([full.sampleWeight, fine.sampleWeight, coarse.sampleWeight]).toEqual([1, 50, 500]);
    // Saturated in every run: much of what was published is still waiting at the end.
    for (const f of [full, fine, coarse]) expect(f["backlogEnd.q"]!).toBeGreaterThan(0.1 * f["published.q"]!);
    // The consumer's rate: partitions / time per message, whatever the sample. The run lasts a little
    // longer than its users' minutes: the time the last user's request has for its retries.
    const t = notifications.types[0]!;
    const seconds = (_f: Record<string, number>, min: number) => min * 60 + ((t.timeoutMs + t.retryDelayMs) * (t.retries + 1)) / 1000;
    const rates = [realRate(full, seconds(full, 1)), realRate(fine, seconds(fine, 3)), realRate(coarse, seconds(coarse, 10))];
    expect(rates[0]).toBeGreaterThan(400);
    expect(rates[0]).toBeLessThan(900);
    for (const r of rates.slice(1)) expect(Math.abs(r - rates[0]!) / rates[0]!, `real rates ${rates.map((x) => x.toFixed(1)).join(", ")}`).toBeLessThan(0.05);
  }, 240_000);
});

describe("a consumer's zone fails", () => {
  it("its messages in flight go to the live consumers after the session timeout, each delivered once", async () => {
    // The fault strikes the zone of the only SQL primary (zone a); half the consumers are there, and each
    // message takes some 60 ms (five reads, then the send), so several are in flight there when it
    // strikes. Each partition handles one message at a time, so a message the dead consumer holds holds up
    // its partition until the rebalance: the messages behind it arrive about rebalanceMs late. (A handler
    // on a failed instance still finishes its calls, its answer lost: the crash falls after the send, and
    // the provider's idempotency key keeps the redelivered message from reaching the user twice.)
    const source = `import { design, lb, pool, queue, provider, sql, kv } from "clusterlab";
export default design({
  prompt: "notifications", regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.xlarge", count: 4, concurrency: 256, zones: ["b", "c"] }),
    workers: pool({ instance: "c7g.large", count: 4, concurrency: 256, zones: ["a", "b"] }),
    q: queue({ partitions: 200, consumer: { pool: "workers", handler: "deliver" } }),
    anchor: sql({ instance: "db.r7g.large", zones: ["a"] }),
    store: kv({ partitions: 64 }),
    push: provider({ channel: "push" }),
  },
  calls: { push: { timeoutMs: 1000 }, q: { timeoutMs: 200, retries: 2 } },
  handlers: { async notify(ctx, req) { await ctx.call("q", "publish", JSON.stringify(req)); return { accepted: true }; } },
  internal: {
    async deliver(ctx, message: string) {
      const n = JSON.parse(message);
      for (let i = 0; i < 5; i++) await ctx.call("store", "get", "k" + i);
      await ctx.call("push", "send", n.user, n.text, n.notificationId);
      return {};
    },
  },
});`;
    const f = await run(source, { name: "zone", durationMin: 1.5, sampledPeakPerSec: 100, fault: { kind: "zone-outage", atMin: 0.5, forMin: 0.5 } });
    expect(f.faultZone).toBe(0);
    expect(f["redelivered.q"]!).toBeGreaterThan(0);
    // Every accepted notification arrived (this design has no per-user limit), those behind a dead
    // consumer's message at least one session timeout late, and none twice. (Without the rebalance the
    // partitions the dead consumers held stop for good, and what waits in them is lost.)
    expect(f.lostNotifications).toBe(0);
    expect(f.duplicates).toBe(0);
    expect(f.delayMaxMs!).toBeGreaterThanOrEqual(rebalanceMs);
  }, 240_000);
});
