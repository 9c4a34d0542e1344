// fails: retry-storm
// The reference design with its retry budget removed: a call that times out is tried three (cache) or four
// (store) more times at once. When a zone fails, every call to its dead cache node and to the shards
// failing over times out and comes back as more attempts: the load on the failing parts doubles or more
// exactly while they fail, the retry storm that turns a brief overload into a lasting one (on the seeds
// where a burst of traffic lands in the outage it does: the store stays overloaded until the zone returns).
// The reference (the cache not retried, the store once, at most 10% extra calls) keeps it near 1×.
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
    cache: cache({ memoryGb: 39, nodes: 3, zones: ["a", "b", "c"], ttlSec: 86_400 }),
    db: sql({ instance: "db.r7g.large", shards: 6, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 20 }),
  },
  calls: {
    cache: { timeoutMs: 20, retries: 3, backoffMs: 0 },
    db: { timeoutMs: 100, retries: 4, backoffMs: 0 },
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
      await ctx.call("cache", "delete", req.code).catch(() => {});
      return {};
    },
  },
});
