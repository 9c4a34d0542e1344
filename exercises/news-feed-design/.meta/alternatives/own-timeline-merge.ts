// A correct alternative: read your own writes without a marker. Every feed is read from the async
// replica and merged with the reader's own timeline, read from the primary (one more read per feed, on
// the primaries, instead of a cache lookup): the author's posts are always there at once.
import { design, lb, pool, cache, sql } from "clusterlab";
import type { Ctx, NewsFeedFeedRequest } from "clusterlab";

const celebrityFollowers = 100_000;
const batchSize = 100;
const timelineTtlSec = 2;

const components = {
  lb: lb({ target: "api" }),
  api: pool({ instance: "c7g.xlarge", count: 16, zones: ["a", "b", "c"], concurrency: 256 }),
  fanout: pool({ instance: "c7g.large", count: 6, zones: ["a", "b", "c"], concurrency: 256 }),
  cache: cache({ memoryGb: 2, nodes: 3, zones: ["a", "b", "c"] }),
  db: sql({ instance: "db.r7g.2xlarge", shards: 12, zones: ["a", "b", "c"], replicas: 1, replication: "async", failoverSec: 10 }),
};
type C = typeof components;

interface Entry {
  id: string;
  at: number;
}

const newest = (lists: string[][]) => {
  const seen = new Set<string>();
  const all = lists.flat().map((s) => JSON.parse(s) as Entry).sort((a, b) => b.at - a.at);
  const ids: string[] = [];
  for (const e of all) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    ids.push(e.id);
    if (ids.length === 20) break;
  }
  return ids;
};

/** A celebrity's newest posts, from the cache (2 s old at most), else from its timeline. */
async function timeline(ctx: Ctx<C>, celebrity: string): Promise<string[]> {
  const cached = await ctx.call("cache", "get", `tl:${celebrity}`);
  if (cached !== undefined) return JSON.parse(cached) as string[];
  const list = (await ctx.call("db", "range", `posts:${celebrity}`, 0, { from: "replica" })).slice(-20);
  await ctx.call("cache", "set", `tl:${celebrity}`, JSON.stringify(list), timelineTtlSec);
  return list;
}

async function feed(ctx: Ctx<C>, req: NewsFeedFeedRequest) {
  const feedList = ctx.call("db", "range", `feed:${req.user}`, 0, { from: "replica" }).then((l) => l.slice(-20));
  const mine = ctx.call("db", "range", `posts:${req.user}`, 0).then((l) => l.slice(-20));
  const lists = await Promise.all([feedList, mine, ...req.celebrities.map((c) => timeline(ctx, c))]);
  return { posts: newest(lists) };
}

export default design({
  prompt: "news-feed",
  regions: ["us-east-1"],
  components,
  calls: {
    cache: { timeoutMs: 20 },
    db: { timeoutMs: 300 },
  },
  handlers: {
    async post(ctx, req) {
      const entry = JSON.stringify({ id: req.postId, at: ctx.now() });
      await Promise.all([ctx.call("db", "append", `posts:${req.author}`, entry), ctx.call("db", "append", `feed:${req.author}`, entry)]);
      if (req.followerCount <= celebrityFollowers) {
        for (let i = 0; i < req.followers.length; i += batchSize) ctx.send("fanout", "push", { entry, followers: req.followers.slice(i, i + batchSize) });
      }
      return {};
    },
    feed,
  },
  internal: {
    async push(ctx, job: { entry: string; followers: string[] }) {
      await Promise.all(job.followers.map((f) => ctx.call("db", "append", `feed:${f}`, job.entry)));
      return {};
    },
  },
});
