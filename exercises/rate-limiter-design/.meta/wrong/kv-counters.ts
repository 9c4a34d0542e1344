// fails: cost
// The reference's counting in a managed key-value store per region instead of a cache: three writes per
// check (one local, two remote) at a price per write, which at 30,000 checks a second is far over budget.
import { design, lb, pool, kv } from "clusterlab";
import type { Region } from "clusterlab";

const regions: Region[] = ["us-east-1", "eu-west-1", "us-west-2"];
const counters = { "us-east-1": "counters-use1", "eu-west-1": "counters-euw1", "us-west-2": "counters-usw2" } as const;

export default design({
  prompt: "rate-limiter",
  regions,
  components: {
    lb: lb({ target: "api-use1", byRegion: { "eu-west-1": "api-euw1", "us-west-2": "api-usw2" } }),
    "api-use1": pool({ region: "us-east-1", instance: "c7g.large", count: 8, zones: ["a", "b", "c"], concurrency: 256, autoscale: { min: 3, max: 40, targetCpu: 0.4 } }),
    "api-euw1": pool({ region: "eu-west-1", instance: "c7g.large", count: 5, zones: ["a", "b", "c"], concurrency: 256, autoscale: { min: 3, max: 30, targetCpu: 0.4 } }),
    "api-usw2": pool({ region: "us-west-2", instance: "c7g.large", count: 4, zones: ["a", "b", "c"], concurrency: 256, autoscale: { min: 3, max: 30, targetCpu: 0.4 } }),
    "counters-use1": kv({ region: "us-east-1", partitions: 40 }),
    "counters-euw1": kv({ region: "eu-west-1", partitions: 40 }),
    "counters-usw2": kv({ region: "us-west-2", partitions: 40 }),
  },
  calls: {
    "counters-use1": { timeoutMs: 5 },
    "counters-euw1": { timeoutMs: 5 },
    "counters-usw2": { timeoutMs: 5 },
  },
  handlers: {
    async check(ctx, req) {
      const key = `${req.key}:${Math.floor(ctx.now() / 60_000)}`;
      // The other regions learn of this check soon: one-way messages, nobody waits for them.
      for (const region of regions) if (region !== ctx.region) ctx.send(counters[region], "increment", key);
      try {
        const count = await ctx.call(counters[ctx.region], "increment", key);
        return { allowed: count <= req.limit };
      } catch {
        return { allowed: true };
      }
    },
  },
});
