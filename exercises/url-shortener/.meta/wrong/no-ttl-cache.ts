// fails: stale-reads
// The cache keeps links forever and an update does not touch it: a link whose owner changed its URL keeps
// redirecting to the old one for as long as it stays cached.
import { design, lb, pool, cache, sql } from "clusterlab";
import type { CallError } from "clusterlab";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const unavailable = (error: unknown) => (error as CallError).reason === "unavailable" || (error as CallError).reason === "timeout";

export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 20, zones: ["a", "b", "c"], autoscale: { min: 3, max: 90, targetCpu: 0.3 } }),
    cache: cache({ memoryGb: 39, nodes: 3, zones: ["a", "b", "c"] }),
    db: sql({ instance: "db.r7g.large", shards: 6, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 20 }),
  },
  calls: {
    cache: { timeoutMs: 20 },
    db: { timeoutMs: 200, retries: 1, retryBudget: 0.1 },
  },
  handlers: {
    async resolve(ctx, req) {
      const cached = await ctx.call("cache", "get", req.code).catch(() => undefined);
      if (cached !== undefined) return { url: cached };
      // The primary has every acknowledged write; while it fails over, a replica is the next best answer.
      const url = await ctx.call("db", "get", req.code).catch((error) => {
        if (unavailable(error)) return ctx.call("db", "get", req.code, { from: "replica" });
        throw error;
      });
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
      return {};
    },
  },
});
