// Design the rate limiter service: its components and the check handler (see the instructions).
// This starter runs, but it is wrong: one pool in one region for the gateways of three (Europe's checks
// cross the ocean twice), and a counter per key that never starts again (a key over its limit once is
// refused for good). `ctx.call(component, op, …args)` resolves at the virtual time the answer arrives;
// ctx.now() is the virtual clock and ctx.region the region the handler runs in.
import { design, lb, pool, cache } from "clusterlab";

export default design({
  prompt: "rate-limiter",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.medium", count: 2 }),
    counters: cache({ memoryGb: 1 }),
  },
  handlers: {
    async check(ctx, req) {
      const count = await ctx.call("counters", "increment", req.key);
      return { allowed: count <= req.limit };
    },
  },
});
