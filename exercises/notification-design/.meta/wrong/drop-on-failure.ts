// fails: lost
// One provider, and a consumer that catches a failed send and lets the queue drop the message ("we tried"):
// through the provider's outage every notification is acknowledged to the queue and never delivered.
import { design, lb, pool, queue, kv, provider } from "clusterlab";
import type { Ctx, NotifyRequest } from "clusterlab";

const components = {
  lb: lb({ target: "api" }),
  api: pool({ instance: "c7g.xlarge", count: 6, concurrency: 256, zones: ["a", "b", "c"] }),
  workers: pool({ instance: "c7g.large", count: 6, concurrency: 256, zones: ["a", "b", "c"] }),
  urgent: queue({ partitions: 4, consumer: { pool: "workers", handler: "deliver", inFlight: 128 } }),
  bulk: queue({ partitions: 128, consumer: { pool: "workers", handler: "deliver", inFlight: 5 } }),
  limits: kv({ partitions: 128 }),
  pushA: provider({ channel: "push" }),
  pushB: provider({ channel: "push" }),
};
type C = typeof components;

const perUserPerMinute = 3;

/** Whether this notification is among the first three of its user's minute (idempotent: a repeat appends again, and still finds its place). */
async function withinLimit(ctx: Ctx<C>, n: NotifyRequest): Promise<boolean> {
  const key = `limit:${n.user}:${Math.floor(n.at / 60_000)}`;
  await ctx.call("limits", "append", key, n.notificationId);
  const ids = await ctx.call("limits", "range", key, 0, { from: "primary" });
  const first = [...new Set(ids)].slice(0, perUserPerMinute);
  return first.includes(n.notificationId);
}

async function send(ctx: Ctx<C>, n: NotifyRequest): Promise<void> {
  const [main, other] = n.kind === "marketing" ? (["pushB", "pushA"] as const) : (["pushA", "pushB"] as const);
  void main;
  void other;
  await ctx.call("pushA", "send", n.user, n.text, n.notificationId).catch(() => ctx.log("send failed, dropped", n.notificationId));
}

export default design({
  prompt: "notifications",
  regions: ["us-east-1"],
  components,
  calls: {
    urgent: { timeoutMs: 200, retries: 2, backoffMs: 20, retryBudget: 0.1 },
    bulk: { timeoutMs: 200, retries: 2, backoffMs: 20, retryBudget: 0.1 },
    limits: { timeoutMs: 100, retries: 2, backoffMs: 10, retryBudget: 0.1 },
    pushA: { timeoutMs: 1000, retries: 1, backoffMs: 50, retryBudget: 0.1 },
    pushB: { timeoutMs: 1000, retries: 1, backoffMs: 50, retryBudget: 0.1 },
  },
  handlers: {
    async notify(ctx, req) {
      await ctx.call(req.kind === "marketing" ? "bulk" : "urgent", "publish", JSON.stringify(req));
      return { accepted: true };
    },
  },
  internal: {
    async deliver(ctx, message: string) {
      const n = JSON.parse(message) as NotifyRequest;
      if (await withinLimit(ctx, n)) await send(ctx, n);
      return {};
    },
  },
});
