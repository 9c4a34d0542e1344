// Design the news feed: its components and one handler per request type (see the instructions).
// This starter runs, but falls over: one small pool in one zone, one database primary, and every feed is
// rebuilt by reading the timeline of each account the reader follows.
// `ctx.call(component, op, …args)` resolves at the virtual time the answer arrives; ctx.random() is seeded.
import { design, lb, pool, sql } from "clusterlab";

export default design({
  prompt: "news-feed",
  regions: ["us-east-1"],
  components: {
    lb: lb({ target: "api" }),
    api: pool({ instance: "c7g.large", count: 2 }),
    db: sql({ instance: "db.r7g.large" }),
  },
  handlers: {
    async post(ctx, req) {
      await ctx.call("db", "append", `posts:${req.author}`, JSON.stringify({ id: req.postId, at: ctx.now() }));
      return {};
    },
    async feed(ctx, req) {
      const lists = await Promise.all([req.user, ...req.following].map((a) => ctx.call("db", "range", `posts:${a}`, 0)));
      const posts = lists.flat().map((p) => JSON.parse(p) as { id: string; at: number });
      posts.sort((a, b) => b.at - a.at);
      return { posts: posts.slice(0, 20).map((p) => p.id) };
    },
  },
});
