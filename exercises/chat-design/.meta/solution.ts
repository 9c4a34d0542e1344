// The reference design. Each region's users are served by a pool there (the balancer's byRegion); a
// conversation lives in the store of its home region, as one list (`conv:<id>`) whose order its shard's
// primary keeps, and a send or sync of a conversation homed in the other region is forwarded to that
// region's pool: one ocean round trip, then the same local path. Each store is sharded by hash of the key,
// each primary with a synchronous replica in another zone of its region (a failover loses no acknowledged
// message). A send first claims its message id (insert refuses a taken one): a repeat finds the position
// of the first instead of appending again. Presence lives in a cache per region with a TTL, so a reconnect
// storm costs cache writes, not database writes. Each region's store has a shard per zone, so a zone's
// loss doubles the load of a third of the shards, not of half. Syncs read the synchronous replica, which has every
// acknowledged message. Gateways mostly wait on I/O (a forwarded request waits a round trip across the
// ocean), so each instance runs 256 requests at once; Europe's pool never shrinks below half again its
// peak's need, as the end of a partition sends it the requests held back on both sides at once.
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
  dbUs: sql({ instance: "db.r7g.xlarge", shards: 4, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 10 }),
  dbEu: sql({ region: "eu-west-1", instance: "db.r7g.xlarge", shards: 3, zones: ["a", "b", "c"], replicas: 1, replication: "sync", failoverSec: 10 }),
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
