// fails: latency
// The reference's rebuild lock, keyed by the reader as well as the timeline (`rebuild:tl:c0:u17`): each
// reader takes a lock of their own, so every reader who finds the copy old wins one and rebuilds it. That
// is no coalescing at all: in the ranked-timelines task (a celebrity's timeline read is a 20 ms query)
// the celebrity's shard saturates as it does with no lock, and feed p99 goes to about 270 ms.
import { design, lb, pool, cache, sql } from "clusterlab";
import type { Ctx, NewsFeedFeedRequest } from "clusterlab";

const celebrityFollowers = 100_000;
const batchSize = 100;
/** A cached timeline is served as it is for 2 s; then one reader rebuilds it. */
const timelineFreshMs = 2000;
/** The copy stays this long, so readers have one to serve while it is rebuilt. */
const timelineKeepSec = 60;
/** The rebuild's lock: long enough for a rebuild, short enough that a dead winner frees it soon. */
const rebuildLockSec = 1;
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

/** A celebrity's newest posts: the reference's, but the lock is the reader's own. */
async function timeline(ctx: Ctx<C>, celebrity: string, reader: string): Promise<string[]> {
  const key = `tl:${celebrity}`;
  const cached = await ctx.call("cache", "get", key);
  const copy = cached === undefined ? undefined : (JSON.parse(cached) as { at: number; list: string[] });
  if (copy && ctx.now() - copy.at < timelineFreshMs) return copy.list;
  const mine = await ctx.call("cache", "add", `rebuild:${key}:${reader}`, "1", rebuildLockSec).catch(() => false);
  if (!mine && copy) return copy.list;
  const list = (await ctx.call("db", "range", `posts:${celebrity}`, 0, { from: "replica" })).slice(-20);
  if (mine) await ctx.call("cache", "set", key, JSON.stringify({ at: ctx.now(), list }), timelineKeepSec);
  return list;
}

async function feed(ctx: Ctx<C>, req: NewsFeedFeedRequest) {
  const recent = await ctx.call("cache", "get", `recent:${req.user}`);
  const own = ctx.call("db", "range", `feed:${req.user}`, 0, { from: recent !== undefined ? "primary" : "replica" });
  const lists = await Promise.all([own.then((l) => l.slice(-20)), ...req.celebrities.map((c) => timeline(ctx, c, req.user))]);
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
