// Design the URL shortener: its components and one handler per request type (see the instructions).
// This starter runs, but falls over: one instance in one zone, no cache, a single database primary.
// `ctx.call(component, op, …args)` resolves at the virtual time the answer arrives; ctx.random() is seeded.
import { design, lb, pool, sql } from "clusterlab";

export default design({
  prompt: "url-shortener",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.medium", count: 1 }),
    db: sql({ instance: "db.r7g.large" }),
  },
  handlers: {
    async resolve(ctx, req) {
      return { url: await ctx.call("db", "get", req.code) };
    },
    async shorten(ctx, req) {
      const code = String(Math.floor(ctx.random() * 1e6));
      await ctx.call("db", "put", code, req.url);
      return { code };
    },
    async update(ctx, req) {
      await ctx.call("db", "put", req.code, req.url);
      return {};
    },
  },
});
