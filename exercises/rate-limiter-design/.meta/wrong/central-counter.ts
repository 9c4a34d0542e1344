// fails: latency
// One counter for the world in us-east-1, called synchronously from every region: the limit holds
// exactly, but every check from Europe or the west coast waits a cross-region round trip (65–70 ms).
import { design, lb, pool, cache } from "clusterlab";
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
    "counters-use1": cache({ region: "us-east-1", memoryGb: 3, nodes: 3, zones: ["a", "b", "c"], ttlSec: 120 }),
    "counters-euw1": cache({ region: "eu-west-1", memoryGb: 3, nodes: 3, zones: ["a", "b", "c"], ttlSec: 120 }),
    "counters-usw2": cache({ region: "us-west-2", memoryGb: 3, nodes: 3, zones: ["a", "b", "c"], ttlSec: 120 }),
  },
  calls: {
    "counters-use1": { timeoutMs: 150 },
    "counters-euw1": { timeoutMs: 5 },
    "counters-usw2": { timeoutMs: 5 },
  },
  handlers: {
    async check(ctx, req) {
      const key = `${req.key}:${Math.floor(ctx.now() / 60_000)}`;
      try {
        // One counter for the world, in us-east-1: exact, and an ocean away from Europe's checks.
        const count = await ctx.call("counters-use1", "increment", key, 120);
        return { allowed: count <= req.limit };
      } catch {
        return { allowed: true };
      }
    },
  },
});
