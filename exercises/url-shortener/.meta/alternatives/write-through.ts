// Another correct design: write-through instead of invalidation. A new or updated link is written to the
// store, then to the cache with its new URL, so a resolve finds the current URL in the cache; misses read a
// replica first (synchronous replication: a replica has every acknowledged write), which spares the
// primaries for writes. Larger instances, fewer of them, and a fixed-size cache without a TTL (nothing in
// it can go stale: every write goes through it).
import { design, lb, pool, cache, sql } from "clusterlab";
import type { CallError } from "clusterlab";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const failed = (error: unknown) => (error as CallError).reason !== "rejected";

export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.xlarge", count: 10, zones: ["a", "b", "c"], concurrency: 128, autoscale: { min: 3, max: 45, targetCpu: 0.3 } }),
    cache: cache({ memoryGb: 39, nodes: 3, zones: ["a", "b", "c"] }),
    db: sql({ instance: "db.r7g.large", shards: 6, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 15 }),
  },
  calls: {
    cache: { timeoutMs: 20 },
    db: { timeoutMs: 150, retries: 1, backoffMs: 5, retryBudget: 0.1 },
  },
  handlers: {
    async resolve(ctx, req) {
      const cached = await ctx.call("cache", "get", req.code).catch(() => undefined);
      if (cached !== undefined) return { url: cached };
      const url = await ctx.call("db", "get", req.code, { from: "replica" }).catch((error) => {
        if (failed(error)) return ctx.call("db", "get", req.code);
        throw error;
      });
      if (url !== undefined) ctx.call("cache", "set", req.code, url).catch(() => {});
      return { url };
    },
    async shorten(ctx, req) {
      const record = `idem:${req.idempotencyKey}`;
      const earlier = await ctx.call("db", "get", record).catch(() => undefined);
      if (earlier !== undefined) return { code: earlier };
      for (let attempt = 0; attempt < 6; attempt++) {
        let code = "";
        for (let i = 0; i < 7; i++) code += alphabet[Math.floor(ctx.random() * 62)];
        const written = await ctx.call("db", "insert", code, req.url).catch((error) => {
          if (failed(error)) return false;
          throw error;
        });
        if (!written) continue;
        await ctx.call("db", "put", record, code).catch(() => {});
        ctx.call("cache", "set", code, req.url).catch(() => {});
        return { code };
      }
      throw new Error("no code could be written");
    },
    async update(ctx, req) {
      await ctx.call("db", "put", req.code, req.url);
      // Written through: the cache holds the new URL from now on (if the set is lost, delete the old one).
      await ctx.call("cache", "set", req.code, req.url).catch(() => ctx.call("cache", "delete", req.code).catch(() => {}));
      return {};
    },
  },
});
