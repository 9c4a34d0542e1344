// Another correct design: the reference's cache in front of a managed key-value store instead of SQL. The
// store replicates every write to a quorum of three zones before it acknowledges it (a failover loses
// nothing) and elects a new leader in seconds, so there is no replica to fall back on by hand; it is paid
// per request rather than per instance.
import { design, lb, pool, cache, kv } from "clusterlab";
import type { CallError } from "clusterlab";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const unavailable = (error: unknown) => (error as CallError).reason === "unavailable" || (error as CallError).reason === "timeout";

export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 20, zones: ["a", "b", "c"], autoscale: { min: 3, max: 90, targetCpu: 0.3 } }),
    cache: cache({ memoryGb: 39, nodes: 3, zones: ["a", "b", "c"], ttlSec: 86_400 }),
    db: kv({ partitions: 16 }),
  },
  calls: {
    cache: { timeoutMs: 20 },
    db: { timeoutMs: 100, retries: 2, backoffMs: 10, retryBudget: 0.1 },
  },
  handlers: {
    async resolve(ctx, req) {
      const cached = await ctx.call("cache", "get", req.code).catch(() => undefined);
      if (cached !== undefined) return { url: cached };
      // Any replica: the store's replicas trail its quorum by milliseconds, far inside the 60 s bound.
      const url = await ctx.call("db", "get", req.code);
      if (url !== undefined) ctx.call("cache", "set", req.code, url).catch(() => {});
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
      await ctx.call("cache", "delete", req.code).catch(() => {});
      return {};
    },
  },
});
