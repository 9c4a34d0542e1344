// fails: availability
// Fan-out on read for everyone: a post is one append to its author's timeline, and a feed reads the
// timeline of every account its reader follows (about 100), one call each, and merges them. At 47,500
// feeds a second that is 4.75 million reads a second: the database's shards refuse most of them, and
// the grader stops the run once its calls per request pass the simulation's budget (64).
import { design, lb, pool, sql } from "clusterlab";
import type { Ctx, NewsFeedFeedRequest } from "clusterlab";

const components = {
  lb: lb({ target: "api" }),
  api: pool({ instance: "c7g.xlarge", count: 16, zones: ["a", "b", "c"], concurrency: 256 }),
  db: sql({ instance: "db.r7g.2xlarge", shards: 12, zones: ["a", "b", "c"], replicas: 1, replication: "async", failoverSec: 10 }),
};
type C = typeof components;

interface Entry {
  id: string;
  at: number;
}

async function feed(ctx: Ctx<C>, req: NewsFeedFeedRequest) {
  const accounts = [req.user, ...req.following];
  const lists = await Promise.all(accounts.map((a) => ctx.call("db", "range", `posts:${a}`, 0).then((l) => l.slice(-20))));
  const all = lists.flat().map((s) => JSON.parse(s) as Entry).sort((a, b) => b.at - a.at);
  return { posts: all.slice(0, 20).map((e) => e.id) };
}

export default design({
  prompt: "news-feed",
  regions: ["us-east-1"],
  components,
  calls: { db: { timeoutMs: 300 } },
  handlers: {
    async post(ctx, req) {
      await ctx.call("db", "append", `posts:${req.author}`, JSON.stringify({ id: req.postId, at: ctx.now() }));
      return {};
    },
    feed,
  },
});
