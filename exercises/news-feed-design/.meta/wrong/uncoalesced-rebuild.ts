// fails: latency
// The reference's celebrity timelines without the rebuild's lock: each is cached for 2 s, and a reader
// that misses it reads the timeline and fills the entry itself. Every follower of a celebrity reads that
// one entry (19,000 readers a second for the largest), so when it expires every reader who arrives
// before the first rebuild is done misses and rebuilds it too: a cache stampede. With a cheap rebuild
// that is harmless; with the ranked timelines of the ranked-timelines task (a 20 ms query each), the
// rebuilds take more CPU than the celebrity's shard has, every read on that shard slows to about 270 ms,
// and the feeds that wait on them take the feed p99 from about 25 ms to 270 ms.
import { design, lb, pool, cache, sql } from "clusterlab";
import type { Ctx, NewsFeedFeedRequest } from "clusterlab";

const celebrityFollowers = 100_000;
const batchSize = 100;
const timelineTtlSec = 2;
const recentSec = 30;

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
  const recent = await ctx.call("cache", "get", `recent:${req.user}`);
  const own = ctx.call("db", "range", `feed:${req.user}`, 0, { from: recent !== undefined ? "primary" : "replica" });
  const lists = await Promise.all([own.then((l) => l.slice(-20)), ...req.celebrities.map((c) => timeline(ctx, c))]);
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
      await ctx.call("cache", "set", `recent:${req.author}`, "1", recentSec).catch(() => {});
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
