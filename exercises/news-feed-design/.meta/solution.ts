// The reference design: hybrid fan-out. A post goes to its author's timeline (`posts:<author>`) and
// their own feed on the primary; an ordinary author's post is then pushed to each follower's feed
// (`feed:<user>`, a list per user) by a pool of fan-out workers, sent one way in batches so the post is
// acknowledged at once; a celebrity's (over 100,000 followers) is not pushed at all: readers pull it.
// A feed is the reader's own list, merged with the timelines of the celebrities they follow, each kept
// in a cache (every reader of a celebrity reads the same key: without the cache its shard takes all of
// them) and rebuilt by one reader at a time once it is 2 s old (see timeline). Feeds are read from the async replica, except for an author who posted in the last 30 s
// (a marker in the cache): their feed is read from the primary, which has their post (read your writes).
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

/**
 * A celebrity's newest posts, from the cache. A copy younger than 2 s is served as it is. An older one is
 * rebuilt by ONE reader, the one whose `add` takes the rebuild's lock, while every other reader serves the
 * copy it found (at most 2 s and a rebuild old): when the copy ages, the celebrity's shard takes one read,
 * not one per reader who finds it old. Millions follow a celebrity, so thousands of readers find it old
 * within a rebuild's few milliseconds, and if each rebuilt it (a cache stampede), a dear rebuild (a
 * ranked query) would take more CPU than the shard has. Only a reader that finds no copy at all (the
 * cache's first reads, a lost node) and not the lock reads the timeline itself.
 */
async function timeline(ctx: Ctx<C>, celebrity: string): Promise<string[]> {
  const key = `tl:${celebrity}`;
  const cached = await ctx.call("cache", "get", key);
  const copy = cached === undefined ? undefined : (JSON.parse(cached) as { at: number; list: string[] });
  if (copy && ctx.now() - copy.at < timelineFreshMs) return copy.list;
  const mine = await ctx.call("cache", "add", `rebuild:${key}`, "1", rebuildLockSec).catch(() => false);
  if (!mine && copy) return copy.list;
  const list = (await ctx.call("db", "range", `posts:${celebrity}`, 0, { from: "replica" })).slice(-20);
  if (mine) await ctx.call("cache", "set", key, JSON.stringify({ at: ctx.now(), list }), timelineKeepSec);
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
