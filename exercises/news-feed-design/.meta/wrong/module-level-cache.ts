// fails: freshness
// The celebrities' timelines kept in a module-level Map instead of the cache component, kept current by
// writing each celebrity's post into it, so no entry expires. That holds only if the module were one
// memory for the whole service. It is not: each of the api pool's 16 instances has its own copy of the
// module (its process's memory), a post updates the map of the one instance that took it, and every
// other instance keeps serving the timeline it first read: the celebrity's followers never see the post.
import { design, lb, pool, cache, sql } from "clusterlab";
import type { Ctx, NewsFeedFeedRequest } from "clusterlab";

const celebrityFollowers = 100_000;
const batchSize = 100;
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

/** Celebrities' timelines kept in the module, "one memory for every reader": kept current by their posts. */
const timelines = new Map<string, string[]>();

/** A celebrity's newest posts, from the module's map, else from its timeline (once). */
async function timeline(ctx: Ctx<C>, celebrity: string): Promise<string[]> {
  const known = timelines.get(celebrity);
  if (known) return known;
  const list = (await ctx.call("db", "range", `posts:${celebrity}`, 0, { from: "replica" })).slice(-20);
  timelines.set(celebrity, list);
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
      // A celebrity's post goes into the map, so no entry needs to expire.
      const known = timelines.get(req.author);
      if (known) timelines.set(req.author, [...known, entry].slice(-20));
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
