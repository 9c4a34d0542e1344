// fails: availability
// Everything in us-east-1, built well (three zones, synchronous replicas, a presence cache): Europeans
// cross the ocean for every request, which the SLO tolerates, until the ocean is cut. Then a third of the
// users cannot reach the service at all, their own conversations included.
import { design, lb, pool, cache, sql } from "clusterlab";

const idOf = (stored: string) => (JSON.parse(stored) as { id: string }).id;

export default design({
  prompt: "chat",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 36, concurrency: 256, zones: ["a", "b", "c"], autoscale: { min: 18, max: 90, targetCpu: 0.35 } }),
    presence: cache({ memoryGb: 2, nodes: 3, zones: ["a", "b", "c"], ttlSec: 300 }),
    db: sql({ instance: "db.r7g.xlarge", shards: 6, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 10 }),
  },
  calls: { presence: { timeoutMs: 20 }, db: { timeoutMs: 300 } },
  handlers: {
    async send(ctx, req) {
      const conversation = `conv:${req.conversation}`;
      if (!(await ctx.call("db", "insert", `id:${req.messageId}`, req.conversation))) {
        const at = (await ctx.call("db", "range", conversation, 0)).findIndex((m) => idOf(m) === req.messageId);
        if (at >= 0) return { seq: at + 1 };
      }
      return { seq: await ctx.call("db", "append", conversation, JSON.stringify({ id: req.messageId, text: req.text })) };
    },
    async sync(ctx, req) {
      const list = await ctx.call("db", "range", `conv:${req.conversation}`, req.after, { from: "replica" });
      return { messages: list.map((m, i) => ({ id: idOf(m), seq: req.after + 1 + i })) };
    },
    async connect(ctx, req) {
      await ctx.call("presence", "set", `presence:${req.user}`, ctx.zone).catch(() => {});
      return { ok: true };
    },
  },
});
