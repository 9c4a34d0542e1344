/**
 * "Design a news feed": users write posts (post) and read their home feed (feed: the newest posts of the
 * accounts they follow, their own included). Who follows whom is skewed: most accounts have tens of
 * followers, a few celebrities millions. A social-graph service (out of scope) answers who follows whom,
 * and its answers ride on each request: a post lists the author's followers, a feed the accounts its
 * reader follows, the celebrities among them marked.
 *
 * The follow graph is workload data: the run's readers are a sample of users (`readers`), each following
 * `ordinaryFollows` accounts drawn by a Zipf law over the sample and each celebrity with its own
 * probability (its real followers over the real users).
 *
 * Scaling rule (fan-out is quadratic in a sample, so it is stated here): a simulated ordinary post stands
 * for `weight` real posts of authors like it, so its follower list is the author's real one in full (the
 * readers of the sample who follow it, then unread accounts up to its real count): each of its appends,
 * weighing `weight`, is the real load. A celebrity's post is one real post (the task draws it as an
 * event), so its list is 1 in `weight` of its real followers (the sampled readers who follow it, then
 * unread ones): its appends, each weighing `weight`, add up to its real fan-out.
 *
 * Ranked celebrity timelines (the "ranked-timelines" task): while its window lasts, reading a celebrity's
 * timeline from a store (any store read of a key that names a celebrity's account, e.g. `posts:c0`) is a
 * ranked query that scores its posts, `rankedReadCpuMs` of the shard's CPU instead of a fraction of a
 * millisecond. Every follower of a celebrity reads the same timeline, so when its cached copy expires,
 * readers who miss it and rebuild it each put that query on one shard: at the real rate of a celebrity's
 * readers (19,000 a second for the largest) even a few milliseconds of rebuild time are hundreds of
 * concurrent queries, more CPU than the shard has (a cache stampede). A design that lets one reader
 * rebuild (a lock with the cache's `add`) while the others serve the copy they have pays for one query.
 * A celebrity's keys name a shared entity (Workload.sharedEntity): the real readers a simulated one stands for
 * all read that one timeline, so one of them wins a race for its lock (simulation.ts, call weights).
 *
 * Correctness, judged on what readers got back (the first `feedSize` post ids of each feed):
 * - freshness: a post by an account the reader follows, acknowledged more than `freshnessBoundMs` before
 *   the feed was asked for, is in it (unless `feedSize` newer posts of theirs push it out);
 * - own posts: the reader's own post, acknowledged before the feed was asked for, is in it (read your
 *   own writes: at once, not within a bound).
 */
import type { Drawn, Prompt, Workload, WorkloadContext } from "../prompt.ts";
import { LinkUniverse } from "../links.ts";

const POST = 0;
const FEED = 1;

/** Post ids a feed answers (newest first); posts beyond are not judged. */
export const feedSize = 20;
/** A followed account's post must be in feeds asked for this long after its acknowledgement. */
export const freshnessBoundMs = 5000;
/** Posts older than this are not judged (the work of judging each feed stays bounded). */
const horizonMs = 120_000;
/**
 * Readers in the sample, and the accounts of the sample each follows besides celebrities (Zipf over the
 * sample). A reader follows more accounts than that (`followsPerReader` in all, as real users do): the
 * others are outside the sample, and their posts reach the feed store as the unread followers of sampled
 * posts do (see the scaling rule), so a feed that pulls every followed timeline pays for all of them.
 */
const readers = 3000;
const ordinaryFollows = 10;
const followsPerReader = 100;
const followSkew = 0.8;
/** Real users (for celebrities' follow probability). */
const realUsers = 100_000_000;
/** The celebrities and their real followers. */
const celebrityFollowers = [40_000_000, 20_000_000, 10_000_000, 6_000_000, 4_000_000, 2_000_000];
/** The graph service marks a followed account with more followers than this as a celebrity. */
export const celebrityThreshold = 100_000;
/** An ordinary account's real followers: a base, plus this many per sampled reader following it, at most the cap. */
const baseFollowers = 20;
const followersPerReader = 3;
const ordinaryFollowersMax = 1000;
/** A ranked read of a celebrity's timeline: the shard's CPU it takes (ms) in the ranked-timelines task. */
export const rankedReadCpuMs = 20;
/** In the celebrity-post task, one celebrity posts every this often while the fault lasts. */
const celebrityEveryMs = 20_000;
/** Feeds asked for by someone who has just posted (checking their post went out), and how recent. */
const ownReadShare = 0.15;
const ownReadWithinMs = 3000;

interface Post {
  id: string;
  author: string;
  sentMs: number;
  ackedMs: number;
}

export const newsFeed: Prompt = {
  name: "news-feed",
  summary: "a social network's home feed: 100 M users, posts fanned out to followers, a few celebrities with millions of them",
  types: [
    { name: "post", share: 0.05, cpuMs: 0.5, timeoutMs: 2000, retries: 2, retryDelayMs: 1000, responseBytes: 100 },
    { name: "feed", share: 0.95, cpuMs: 0.6, timeoutMs: 2000, retries: 1, retryDelayMs: 1000, responseBytes: 1000 },
  ],
  traffic: { peakPerSec: 50_000, meanOverPeak: 0.55 },
  // Posts kept (a few months of them), 300 bytes each; a cached entry is a timeline of 20 posts.
  data: { existing: 0, skew: 0.9, entryBytes: 2000, recordBytes: 300, storedRecords: 3_000_000_000 },
  staleBoundMs: freshnessBoundMs,
  edgeKey: () => undefined,
  edgeValue: () => "",
  createWorkload: (ctx) => new NewsFeedWorkload(ctx),
  checks: {
    freshness(run, params) {
      const f = run.design.figures;
      const max = params.maxStaleShare ?? 0.001;
      const share = f.staleShare ?? 0;
      const judged = f.judgedPosts ?? 0;
      if (judged === 0) return { ok: false, message: "no feed could be judged: no post of a followed account was acknowledged long enough before a feed that answered" };
      if (share > max) return { ok: false, message: `${f.stalePosts} of ${judged} followed posts (${(share * 100).toFixed(2)}%, at most ${(max * 100).toFixed(2)}%) were missing from feeds asked for more than ${freshnessBoundMs / 1000} s after their acknowledgement (e.g. ${run.design.findings.stalePosts}). A fan-out backlog (millions of appends for one celebrity's post), a cache without expiry, or a copy that lags delays them` };
      return { ok: true, message: `followed posts were in feeds ${freshnessBoundMs / 1000} s after their acknowledgement: ${judged - (f.stalePosts ?? 0)} of ${judged} (${f.celebrityJudged ?? 0} of them celebrities')` };
    },
    "own-posts"(run, params) {
      const f = run.design.figures;
      const max = params.maxMissing ?? 0;
      const missing = f.ownMissing ?? 0;
      if ((f.ownJudged ?? 0) === 0) return { ok: false, message: "no author read their feed after an acknowledged post of theirs that answered" };
      if (missing > max) return { ok: false, message: `${missing} times an author's own acknowledged post was missing from the feed they asked for right after it (e.g. ${run.design.findings.ownMissing}): read your own writes. A replica may not have the post yet: read a recent author's feed where the post was written` };
      return { ok: true, message: `every author saw their own post in the feeds they asked for after it (${f.ownJudged} judged)` };
    },
  },
};

/** The celebrity a key names (one of its words, split at anything but letters and digits, is "c<i>"), or −1. */
function celebrityOf(key: string): number {
  for (const word of key.split(/[^A-Za-z0-9]+/)) {
    if (word.length < 2 || word.charCodeAt(0) !== 99 /* c */) continue;
    const i = Number(word.slice(1));
    if (Number.isInteger(i) && i >= 0 && i < celebrityFollowers.length && word === `c${i}`) return i;
  }
  return -1;
}

/** Words that name a sampled account: a reader "u<n>", an unread follower "x<author>", an account outside the sample "y<n>". */
const sampledAccount = /^(u\d+|x[uc]\d+|y\d+)$/;

/**
 * The celebrity a key is shared by every user through ("c3" for `tl:c3`), or undefined: a key that also
 * names a sampled account (`lock:c3:u17`) is that user's own, and stands for `weight` real users' keys.
 */
export function sharedEntityOf(key: string): string | undefined {
  const i = celebrityOf(key);
  if (i < 0) return undefined;
  for (const word of key.split(/[^A-Za-z0-9]+/)) if (sampledAccount.test(word)) return undefined;
  return `c${i}`;
}

class NewsFeedWorkload implements Workload {
  private readonly rng: ReturnType<WorkloadContext["rng"]["fork"]>;
  private readonly weight: number;
  private readonly fault: WorkloadContext["fault"];
  /** Per reader: the accounts followed (celebrities as "c<i>"). */
  private readonly following: string[][] = [];
  private readonly celebritiesOf: string[][] = [];
  /** Per account: the sampled readers following it. */
  private readonly followers = new Map<string, string[]>();
  /** Per account: its posts, in the order they were sent. */
  private readonly posts = new Map<string, Post[]>();
  private readonly byId = new Map<string, Post>();
  /** Recently acknowledged posts' authors (for feeds asked for right after a post). */
  private readonly recentAuthors: Array<{ author: string; ackedMs: number }> = [];
  private made = 0;
  private celebrityPosts = 0;
  private readonly counts = { judged: 0, stale: 0, celebrityJudged: 0, celebrityStale: 0, ownJudged: 0, ownMissing: 0, feeds: 0, malformed: 0, acked: 0 };
  private readonly first: Record<string, string> = {};

  constructor(ctx: WorkloadContext) {
    this.rng = ctx.rng.fork("news-feed");
    this.fault = ctx.fault;
    // The simulation's weight (simulation.ts): real requests per simulated one.
    this.weight = Math.max(1, (newsFeed.traffic.peakPerSec * ctx.growth) / ctx.sampledPeakPerSec);
    const graph = this.rng.fork("graph");
    const zipf = new LinkUniverse(readers, followSkew);
    for (let r = 0; r < readers; r++) {
      const me = `u${r}`;
      const follows = new Set<string>();
      for (let tries = 0; follows.size < ordinaryFollows && tries < 100; tries++) {
        const a = `u${zipf.rankAt(graph.next())}`;
        if (a !== me) follows.add(a);
      }
      const celebrities: string[] = [];
      celebrityFollowers.forEach((n, i) => {
        if (graph.chance(n / realUsers)) celebrities.push(`c${i}`);
      });
      const all = [...follows, ...celebrities];
      const outside: string[] = [];
      for (let i = all.length; i < followsPerReader; i++) outside.push(`y${r}.${i}`);
      this.following.push([...all, ...outside]);
      this.celebritiesOf.push(celebrities);
      for (const a of all) {
        let list = this.followers.get(a);
        if (!list) this.followers.set(a, (list = []));
        list.push(me);
      }
    }
  }

  private celebrityDue(nowMs: number): number {
    const f = this.fault;
    if (!f || f.kind !== "celebrity-post" || nowMs < f.fromMs || nowMs >= f.toMs) return -1;
    const due = Math.floor((nowMs - f.fromMs) / celebrityEveryMs) + 1;
    return this.celebrityPosts < due ? this.celebrityPosts % celebrityFollowers.length : -1;
  }

  /** What one simulated post of this author must write: see the scaling rule above. */
  private followerList(author: string, celebrity: number): { list: string[]; count: number } {
    const sampled = this.followers.get(author) ?? [];
    const count = celebrity >= 0 ? celebrityFollowers[celebrity]! : Math.min(ordinaryFollowersMax, baseFollowers + followersPerReader * sampled.length);
    const listed = celebrity >= 0 ? Math.max(sampled.length, Math.round(count / this.weight)) : Math.max(sampled.length, count);
    const list = sampled.slice();
    for (let i = 0; list.length < listed; i++) list.push(`x${author}.${i}`);
    return { list, count };
  }

  draw(type: number, nowMs: number): Drawn {
    const rng = this.rng;
    if (type === POST) {
      const celebrity = this.celebrityDue(nowMs);
      if (celebrity >= 0) this.celebrityPosts++;
      const author = celebrity >= 0 ? `c${celebrity}` : `u${rng.int(readers)}`;
      const { list, count } = this.followerList(author, celebrity);
      const id = `p${++this.made}`;
      const post: Post = { id, author, sentMs: nowMs, ackedMs: NaN };
      this.byId.set(id, post);
      let mine = this.posts.get(author);
      if (!mine) this.posts.set(author, (mine = []));
      mine.push(post);
      return { payload: { author, postId: id, text: `post ${id}`, followers: list, followerCount: count }, key: author };
    }
    // A feed: now and then of someone who has just posted, else of any reader.
    let reader = -1;
    while (this.recentAuthors.length > 0 && this.recentAuthors[0]!.ackedMs < nowMs - ownReadWithinMs) this.recentAuthors.shift();
    if (this.recentAuthors.length > 0 && rng.chance(ownReadShare)) {
      const pick = this.recentAuthors[rng.int(this.recentAuthors.length)]!.author;
      reader = Number(pick.slice(1));
    }
    if (reader < 0) reader = rng.int(readers);
    return { payload: { user: `u${reader}`, following: this.following[reader]!, celebrities: this.celebritiesOf[reader]! }, key: `u${reader}` };
  }

  observe(type: number, drawn: Drawn, response: unknown, sentMs: number, endMs: number): void {
    if (type === POST) {
      const post = this.byId.get(String(drawn.payload.postId));
      if (!post || !Number.isNaN(post.ackedMs)) return;
      post.ackedMs = endMs;
      this.counts.acked++;
      if (post.author.startsWith("u")) this.recentAuthors.push({ author: post.author, ackedMs: endMs });
      return;
    }
    this.judge(String(drawn.payload.user), response, sentMs);
  }

  private judge(user: string, response: unknown, sentMs: number): void {
    this.counts.feeds++;
    const raw = (response as { posts?: unknown } | null)?.posts;
    const shown = new Set<string>();
    if (Array.isArray(raw)) for (const id of raw.slice(0, feedSize)) shown.add(String(id));
    else {
      this.counts.malformed++;
      this.first.malformed ??= `a feed of ${user} answered ${JSON.stringify(response)?.slice(0, 80)}: it returns { posts: [postId, …] }, newest first`;
    }
    // Posts that must be there (due), and newer ones that may be and may push older ones out.
    const due: Array<{ post: Post; own: boolean }> = [];
    let newer = 0;
    const index = Number(user.slice(1));
    for (const account of [user, ...this.following[index]!]) {
      const own = account === user;
      const bound = own ? 0 : freshnessBoundMs;
      const list = this.posts.get(account);
      if (!list) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const p = list[i]!;
        if (p.sentMs < sentMs - horizonMs) break;
        if (!Number.isNaN(p.ackedMs) && p.ackedMs <= sentMs - bound) due.push({ post: p, own });
        else newer++;
      }
    }
    due.sort((a, b) => b.post.ackedMs - a.post.ackedMs);
    const judged = due.slice(0, Math.max(0, feedSize - newer));
    for (const { post, own } of judged) {
      const seen = shown.has(post.id);
      const celebrity = post.author.startsWith("c");
      if (own) {
        this.counts.ownJudged++;
        if (!seen) {
          this.counts.ownMissing++;
          this.first.ownMissing ??= `${user}'s post ${post.id}, acknowledged at ${(post.ackedMs / 1000).toFixed(2)} s, was not in their feed asked for at ${(sentMs / 1000).toFixed(2)} s`;
        }
        continue;
      }
      this.counts.judged++;
      if (celebrity) this.counts.celebrityJudged++;
      if (!seen) {
        this.counts.stale++;
        if (celebrity) this.counts.celebrityStale++;
        this.first.stalePosts ??= `${post.author}'s post ${post.id}, acknowledged at ${(post.ackedMs / 1000).toFixed(1)} s, was missing from ${user}'s feed asked for at ${(sentMs / 1000).toFixed(1)} s`;
      }
    }
  }

  lost(_key: string): void {}

  sharedEntity(key: string): string | undefined {
    return sharedEntityOf(key);
  }

  readCpuMs(key: string, nowMs: number): number {
    const f = this.fault;
    if (!f || f.kind !== "ranked-timelines" || nowMs < f.fromMs || nowMs >= f.toMs) return 0;
    return celebrityOf(key) >= 0 ? rankedReadCpuMs : 0;
  }

  figures(): Record<string, number> {
    const c = this.counts;
    return {
      posts: c.acked,
      celebrityPosts: this.celebrityPosts,
      feeds: c.feeds,
      malformedFeeds: c.malformed,
      judgedPosts: c.judged,
      stalePosts: c.stale,
      staleShare: c.judged ? Math.round((c.stale / c.judged) * 1e5) / 1e5 : 0,
      celebrityJudged: c.celebrityJudged,
      celebrityStale: c.celebrityStale,
      ownJudged: c.ownJudged,
      ownMissing: c.ownMissing,
    };
  }

  examples(): Record<string, string> {
    return { ...this.first };
  }
}
