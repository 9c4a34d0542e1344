// fails: latency
// The reference design with each store's replica in the other region, written synchronously ("a whole
// region can burn down and we keep every message"): every send waits for a round trip across the ocean,
// and a European's send to a North American conversation for two.
import { design, lb, pool, cache, sql } from "clusterlab";
import type { ChatSendRequest, ChatSyncRequest, Ctx } from "clusterlab";

const poolOf = { "us-east-1": "apiUs", "eu-west-1": "apiEu" } as const;
const dbOf = { "us-east-1": "dbUs", "eu-west-1": "dbEu" } as const;
const presenceOf = { "us-east-1": "presenceUs", "eu-west-1": "presenceEu" } as const;

const components = {
  lb: lb({ target: "apiUs", byRegion: { "eu-west-1": "apiEu" } }),
  apiUs: pool({ instance: "c7g.large", count: 24, concurrency: 256, zones: ["a", "b", "c"], autoscale: { min: 12, max: 60, targetCpu: 0.35 } }),
  apiEu: pool({ region: "eu-west-1", instance: "c7g.large", count: 18, concurrency: 256, zones: ["a", "b", "c"], autoscale: { min: 18, max: 45, targetCpu: 0.35 } }),
  presenceUs: cache({ memoryGb: 2, nodes: 3, zones: ["a", "b", "c"], ttlSec: 300 }),
  presenceEu: cache({ region: "eu-west-1", memoryGb: 2, nodes: 3, zones: ["a", "b", "c"], ttlSec: 300 }),
  dbUs: sql({ instance: "db.r7g.xlarge", shards: 4, zones: ["a", "b", "c"], replicaRegions: ["eu-west-1"], replication: "sync", failoverSec: 10 }),
  dbEu: sql({ region: "eu-west-1", instance: "db.r7g.xlarge", shards: 3, zones: ["a", "b", "c"], replicaRegions: ["us-east-1"], replication: "sync", failoverSec: 10 }),
};
type C = typeof components;

const idOf = (stored: string) => (JSON.parse(stored) as { id: string }).id;

/** Stores a message in its home region's store, once: its position. */
async function store(ctx: Ctx<C>, req: ChatSendRequest): Promise<{ seq: number }> {
  const db = dbOf[req.home];
  const conversation = `conv:${req.conversation}`;
  const fresh = await ctx.call(db, "insert", `id:${req.messageId}`, req.conversation);
  if (!fresh) {
    // A repeat: the first attempt most likely stored it; find where.
    const list = await ctx.call(db, "range", conversation, 0);
    const at = list.findIndex((m) => idOf(m) === req.messageId);
    if (at >= 0) return { seq: at + 1 };
  }
  const seq = await ctx.call(db, "append", conversation, JSON.stringify({ id: req.messageId, from: req.sender, text: req.text }));
  return { seq };
}

async function read(ctx: Ctx<C>, req: ChatSyncRequest) {
  const list = await ctx.call(dbOf[req.home], "range", `conv:${req.conversation}`, req.after, { from: "replica" });
  return { messages: list.map((m, i) => ({ id: idOf(m), seq: req.after + 1 + i })) };
}

export default design({
  prompt: "chat",
  regions: ["us-east-1", "eu-west-1"],
  components,
  calls: {
    apiUs: { timeoutMs: 400 },
    apiEu: { timeoutMs: 400 },
    presenceUs: { timeoutMs: 20 },
    presenceEu: { timeoutMs: 20 },
    dbUs: { timeoutMs: 300 },
    dbEu: { timeoutMs: 300 },
  },
  handlers: {
    async send(ctx, req) {
      if (req.home !== ctx.region) return (await ctx.call(poolOf[req.home], "sendHome", req)) as { seq: number };
      return store(ctx, req);
    },
    async sync(ctx, req) {
      if (req.home !== ctx.region) return (await ctx.call(poolOf[req.home], "syncHome", req)) as Awaited<ReturnType<typeof read>>;
      return read(ctx, req);
    },
    async connect(ctx, req) {
      // Presence is best effort: a lost cache node forgets where some users are until they reconnect.
      await ctx.call(presenceOf[ctx.region as keyof typeof presenceOf], "set", `presence:${req.user}`, ctx.zone).catch(() => {});
      return { ok: true };
    },
  },
  internal: {
    sendHome: (ctx, req: ChatSendRequest) => store(ctx, req),
    syncHome: (ctx, req: ChatSyncRequest) => read(ctx, req),
  },
});
