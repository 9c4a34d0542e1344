// fails: stale-reads
// The links cached in a module-level Map instead of a cache component, the entry deleted when its link
// is updated, as if the module were one memory for the whole service. Each api instance has its own
// copy of the module (its process's memory): an update deletes the entry of the one instance that took
// it, and every other instance that had read the link keeps answering the old URL, with no TTL to end it.
import { design, lb, pool, sql } from "clusterlab";
import type { CallError } from "clusterlab";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Links kept in the module, as if it were one memory for the service: no cache nodes to pay for. */
const links = new Map<string, string>();
const unavailable = (error: unknown) => (error as CallError).reason === "unavailable" || (error as CallError).reason === "timeout";

export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 20, zones: ["a", "b", "c"], autoscale: { min: 3, max: 90, targetCpu: 0.3 } }),
    db: sql({ instance: "db.r7g.large", shards: 6, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 20 }),
  },
  calls: {
    db: { timeoutMs: 200, retries: 1, retryBudget: 0.1 },
  },
  handlers: {
    async resolve(ctx, req) {
      const cached = links.get(req.code);
      if (cached !== undefined) return { url: cached };
      // The primary has every acknowledged write; while it fails over, a replica is the next best answer.
      const url = await ctx.call("db", "get", req.code).catch((error) => {
        if (unavailable(error)) return ctx.call("db", "get", req.code, { from: "replica" });
        throw error;
      });
      if (url !== undefined) links.set(req.code, url);
      return { url };
    },
    async shorten(ctx, req) {
      const idempotency = `idem:${req.idempotencyKey}`;
      const earlier = await ctx.call("db", "get", idempotency).catch(() => undefined);
      if (earlier !== undefined) return { code: earlier };
      for (let attempt = 0; attempt < 6; attempt++) {
        let code = "";
        for (let i = 0; i < 7; i++) code += alphabet[Math.floor(ctx.random() * 62)];
        // A shard failing over refuses the write: another code most likely lives on another shard.
        const written = await ctx.call("db", "insert", code, req.url).catch((error) => {
          if (unavailable(error)) return false;
          throw error;
        });
        if (written) {
          await ctx.call("db", "put", idempotency, code).catch(() => {});
          return { code };
        }
      }
      throw new Error("no code could be written");
    },
    async update(ctx, req) {
      await ctx.call("db", "put", req.code, req.url);
      links.delete(req.code);
      return {};
    },
  },
});
