// An alternative way to count per user: instead of a list per user-minute, three places per user-minute,
// each claimed once with insert (which refuses a taken key). A notification is sent if it claimed a place
// or finds its own id in one (a retry or a redelivery of the same notification), and dropped when all
// three hold others. Most users claim the first place with one write; only a user over the limit costs
// three inserts and reads. Everything else is the reference's.
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

/**
 * Whether this notification holds one of its user's three places for the minute of `at`: it claims the
 * first free place (insert refuses a taken one); a place already holding its own id is its own (a retry,
 * a redelivery). Three claims at most, each final once made.
 */
async function withinLimit(ctx: Ctx<C>, n: NotifyRequest): Promise<boolean> {
  const minute = Math.floor(n.at / 60_000);
  for (let place = 1; place <= perUserPerMinute; place++) {
    const key = `place:${n.user}:${minute}:${place}`;
    if (await ctx.call("limits", "insert", key, n.notificationId)) return true;
    if ((await ctx.call("limits", "get", key, { from: "primary" })) === n.notificationId) return true;
  }
  return false;
}

async function send(ctx: Ctx<C>, n: NotifyRequest): Promise<void> {
  const [main, other] = n.kind === "marketing" ? (["pushB", "pushA"] as const) : (["pushA", "pushB"] as const);
  try {
    await ctx.call(main, "send", n.user, n.text, n.notificationId);
    return;
  } catch (error) {
    // Only an outage (503) sends it elsewhere. A timeout may have been delivered, and a 429 says "later":
    // both go back to the queue, to be tried again at the same provider under the same key.
    if (!String((error as Error).message).includes("503")) throw error;
  }
  await ctx.call(other, "send", n.user, n.text, n.notificationId);
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
