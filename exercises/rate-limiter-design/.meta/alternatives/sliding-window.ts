// A correct alternative: a sliding-window counter of admissions (the previous minute's admissions weighted
// by the share of it the last 60 s still cover, plus this minute's), counted in each region and sent to the
// others one way, as the reference does. It spreads a key's admissions over the minute instead of
// admitting its whole limit in the first seconds of each.
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
    "counters-use1": { timeoutMs: 5 },
    "counters-euw1": { timeoutMs: 5 },
    "counters-usw2": { timeoutMs: 5 },
  },
  handlers: {
    async check(ctx, req) {
      const now = ctx.now();
      const minute = Math.floor(now / 60_000);
      const current = `${req.key}:${minute}`;
      try {
        // Only admissions are counted, so a key over its limit keeps getting its limit's worth.
        const [previous, sofar] = await Promise.all([
          ctx.call(counters[ctx.region], "get", `${req.key}:${minute - 1}`),
          ctx.call(counters[ctx.region], "get", current),
        ]);
        const elapsed = (now - minute * 60_000) / 60_000;
        const estimate = Number(previous ?? 0) * (1 - elapsed) + Number(sofar ?? 0);
        if (estimate >= req.limit) return { allowed: false };
        for (const region of regions) if (region !== ctx.region) ctx.send(counters[region], "increment", current, 180);
        await ctx.call(counters[ctx.region], "increment", current, 180);
        return { allowed: true };
      } catch {
        return { allowed: true };
      }
    },
  },
});
