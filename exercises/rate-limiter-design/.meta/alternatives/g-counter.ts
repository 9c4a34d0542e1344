// A correct alternative: a grow-only counter (a CRDT) per key and minute. Each region counts its own checks
// in its own entry (increment) and copies that count to the other regions (set, one way: an entry has one
// writer, so a copy only ever needs the latest value); a check sums its region's own count and its local
// copies of the others'. Every read is local; a region learns of the others' checks a round trip late.
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
      const window = `${req.key}:${Math.floor(ctx.now() / 60_000)}`;
      const others = regions.filter((r) => r !== ctx.region);
      try {
        // This region's own count (its entry of the G-counter), and its copies of the others', all local.
        const [mine, ...theirs] = await Promise.all([
          ctx.call(counters[ctx.region], "increment", `${window}:${ctx.region}`, 120),
          ...others.map((r) => ctx.call(counters[ctx.region], "get", `${window}:${r}`)),
        ]);
        for (const r of others) ctx.send(counters[r], "set", `${window}:${ctx.region}`, String(mine), 120);
        const world = (mine as number) + theirs.reduce((n: number, c) => n + Number(c ?? 0), 0);
        return { allowed: world <= req.limit };
      } catch {
        return { allowed: true };
      }
    },
  },
});
