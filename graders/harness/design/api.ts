// The API of a design exercise: the learner default-exports a whole architecture, written with these
// building blocks, and handlers that say how each request flows through it. Declarations only: the CLI
// type check and the editor append this file to `declare module "clusterlab" { … }` (api-dts.ts), and the
// design runtime (realm/runtime.ts) implements the functions, so what is checked is what runs.
//
//   import { design, lb, pool, cache, sql } from "clusterlab";
//   export default design({
//     prompt: "url-shortener",
//     regions: ["us-east-1"],
//     components: {
//       lb: lb({ target: "api" }),
//       api: pool({ instance: "c7g.large", count: 4, zones: ["a", "b"] }),
//       cache: cache({ memoryGb: 13, ttlSec: 300 }),
//       db: sql({ instance: "db.r7g.large", replicas: 1 }),
//     },
//     handlers: {
//       async resolve(ctx, req) {
//         const url = (await ctx.call("cache", "get", req.code)) ?? (await ctx.call("db", "get", req.code));
//         return { url };
//       },
//       …
//     },
//   });

/** Regions a design may run in; each has zones a, b and c (separate failure domains, ~1 ms apart). */
export type Region = "us-east-1" | "us-west-2" | "eu-west-1";
export type Zone = "a" | "b" | "c";

/** Compute instances for a pool (AWS Graviton sizes): vCPUs 1, 2, 4, 8, 16. */
export type PoolInstance = "c7g.medium" | "c7g.large" | "c7g.xlarge" | "c7g.2xlarge" | "c7g.4xlarge";
/** Database instances for `sql` (vCPUs 2, 4, 8, 16). */
export type DbInstance = "db.r7g.large" | "db.r7g.xlarge" | "db.r7g.2xlarge" | "db.r7g.4xlarge";

/** Where a component's instances run. */
export interface Placement {
  /** Default: the design's first region. */
  region?: Region;
  /**
   * Zones its instances (or a store's primaries) are spread over, round robin. Default `["a"]`: ONE
   * failure domain, so a zone outage takes the whole component down.
   */
  zones?: Zone[];
}

/** A load balancer: requests of every type go to `target` (a pool) unless `routes` names another. */
export interface LbSpec {
  readonly kind: "lb";
  target: string;
  /** Per request type, the pool that serves it, e.g. `{ shorten: "writers" }`. */
  routes?: Record<string, string>;
  /**
   * Geo routing: per users' region, the pool (in that region) that serves them, e.g.
   * `{ "eu-west-1": "api-eu" }`. Users of a region not listed go to `target`, across the internet
   * (half a round trip between the regions each way) when it is elsewhere.
   */
  byRegion?: Partial<Record<Region, string>>;
}

export interface Autoscale {
  min: number;
  max: number;
  /** Add or remove instances (every 30 s) to keep the pool's CPU use near this share (0.2…0.9). */
  targetCpu: number;
}

/**
 * Service instances that run the handlers. Each request's handler runs on one instance (the balancer or
 * caller picks the zone's group, then its instances take turns), and every instance has its own copy of
 * the design's module, evaluated when it takes its first request: a module-level variable (a Map, a
 * counter) is that one instance's process memory. No other instance sees it, it is gone when the
 * instance dies (its zone fails) or is scaled in, and a new instance starts with a fresh one. State that
 * requests must share goes in a cache or a store. At most 16 copies per zone's group are kept; a larger
 * group's instances share them in turn.
 */
export interface PoolSpec extends Placement {
  readonly kind: "pool";
  instance: PoolInstance;
  /** Instances at the start (1…1000). */
  count: number;
  /** Requests one instance runs at once, awaits included (default 64; at most 256 per vCPU). */
  concurrency?: number;
  /** Requests one instance holds waiting for a slot; one more is refused at once (default 2 × concurrency). */
  queue?: number;
  autoscale?: Autoscale;
}

/** An in-memory key-value cache (Redis/Memcached-like), sharded over its nodes by key. */
export interface CacheSpec extends Placement {
  readonly kind: "cache";
  /** Memory for entries, all nodes together (each entry of the prompt takes its stated bytes). */
  memoryGb: number;
  /** Nodes the keys are spread over (default 1); losing one loses its share of the entries. */
  nodes?: number;
  /** What goes when memory is full (default "lru"). */
  eviction?: "lru" | "fifo";
  /** Entries expire this long after they were set (default: never). */
  ttlSec?: number;
  /**
   * "cache-aside" (default): handlers fill the cache themselves. "read-through": a `get` that misses
   * reads `source` (a store) itself and keeps the value.
   */
  pattern?: "cache-aside" | "read-through";
  source?: string;
}

/** A relational database: primaries (one per shard) with replicas, failover to a replica. */
export interface SqlSpec extends Placement {
  readonly kind: "sql";
  instance: DbInstance;
  /** Shards (default 1); a key lives on one shard. */
  shards?: number;
  /** "hash" (default) spreads keys evenly; "range" keeps neighbouring keys (e.g. sequential codes) together. */
  shardKey?: "hash" | "range";
  /** Replicas per shard, in the primary's region, each in the next zone after the primary's (default 0). */
  replicas?: number;
  /** One more replica per shard in each of these regions (disaster recovery). */
  replicaRegions?: Region[];
  /** "async" (default): a write is acknowledged once the primary has it. "sync": once every replica has it. */
  replication?: "sync" | "async";
  /** From a primary's failure to a replica serving as primary: detection + promotion (default 30). */
  failoverSec?: number;
}

/** A managed key-value store (DynamoDB-like): three zones, quorum writes, paid per request. */
export interface KvSpec {
  readonly kind: "kv";
  region?: Region;
  /** Partitions (default 4); each serves at most 3000 reads/s and 1000 writes/s, beyond which it throttles. */
  partitions?: number;
  /** Reads from the quorum (true) or from any replica, possibly a few ms stale (default false). */
  consistentReads?: boolean;
}

/**
 * A log/queue with partitions (Kinesis/Kafka-like): each partition takes at most 1000 publishes/s, beyond
 * which a publish is throttled. A consumer pool runs one handler per message; a message whose handler
 * fails (throws) stays and is delivered again, so delivery is at least once. When a consumer's zone
 * fails, its messages in flight go to the group's live consumers after the group's session timeout
 * (10 s), as a Kafka rebalance does: they may have been half handled already.
 */
export interface QueueSpec {
  readonly kind: "queue";
  region?: Region;
  partitions?: number;
  consumer?: {
    /** The pool that runs `handler` (one of the design's `internal` handlers) for each message. */
    pool: string;
    handler: string;
    /** Messages of one partition handled at once (default 1: one at a time, in order; up to 1000). */
    inFlight?: number;
  };
}

/**
 * A third party that delivers to users' devices (a push service, an SMS gateway, an email API), reached
 * over the internet: tens of milliseconds a send, now and then seconds (the send was delivered; only its
 * answer is late). It allows the account at most its channel's rate (push 10,000 sends/s, SMS 100,
 * email 1,000) and answers 429 above it; it bills every send it delivers (graders/design/prices.ts). A
 * send with an idempotency key it has seen in the last day is answered again without a second delivery;
 * another provider does not know that key.
 */
export interface ProviderSpec {
  readonly kind: "provider";
  channel: "push" | "sms" | "email";
}

/**
 * A CDN in front of the entry: responses of the listed request types are cached at the edge by the
 * request's key for `ttlSec` (a hit never reaches the origin).
 */
export interface CdnSpec {
  readonly kind: "cdn";
  /** Where misses go (the load balancer). */
  origin: string;
  /** Request types whose responses the edge may keep (e.g. ["resolve"]). */
  cache: string[];
  ttlSec: number;
}

/** Blob storage (S3-like): durable, slow-ish, paid per request and per GB. */
export interface ObjectStoreSpec {
  readonly kind: "objectStore";
  region?: Region;
}

export type ComponentSpec = LbSpec | PoolSpec | CacheSpec | SqlSpec | KvSpec | QueueSpec | CdnSpec | ObjectStoreSpec | ProviderSpec;

/** Every attempt of a call to a component: a timeout, retries with backoff and jitter, and a budget. */
export interface CallRules {
  /** Give up on one attempt after this long (default 1000 ms): the call rejects, the work still happens. */
  timeoutMs?: number;
  /** Attempts after the first, on a timeout or an error (default 0). */
  retries?: number;
  /** Before retry n wait a random time up to backoffMs × 2^(n−1) (default 20). */
  backoffMs?: number;
  /**
   * Retries may add at most this share of the calls made to this component (the SRE book's retry budget,
   * e.g. 0.1). Without one, retries multiply load exactly when the component is overloaded.
   */
  retryBudget?: number;
}

/** Thrown by `ctx.call` when every attempt failed: a timeout, an overloaded or failed component. */
export interface CallError extends Error {
  /** "timeout" | "unavailable" (down, failing over, queue full, throttled) | "rejected" (the op refused the arguments). */
  reason: "timeout" | "unavailable" | "rejected";
}

export interface CacheOps {
  get(key: string): Promise<string | undefined>;
  /** `ttlSec` overrides the cache's own TTL for this entry. */
  set(key: string, value: string, ttlSec?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds 1 to a counter (Redis INCR) and returns the new count: a missing key starts at 1 and expires
   * `ttlSec` later (default: the cache's TTL); one that is there keeps its expiry.
   */
  increment(key: string, ttlSec?: number): Promise<number>;
  /**
   * Sets the key only if it holds nothing (Redis SET NX EX, Memcached add): true if this call set it,
   * false if an entry was there. It expires `ttlSec` later (default: the cache's TTL). Of many callers
   * racing for one key, exactly one wins: a lock or a lease, e.g. so that when a hot entry expires one
   * reader rebuilds it while the others serve the copy they have (or wait for the new one), instead of
   * every reader rebuilding it from the store at once (a cache stampede). Key the lock by the entry (one
   * lock for all its readers, not one per reader or per call), and give it a TTL that outlasts the
   * rebuild but frees it soon if the winner dies: the grader counts a lock of a second or more.
   */
  add(key: string, value: string, ttlSec?: number): Promise<boolean>;
}

export interface ReadOptions {
  /** "primary" (default) sees every acknowledged write; "replica" is cheaper and closer but may be stale. */
  from?: "primary" | "replica";
}

export interface StoreOps {
  get(key: string, options?: ReadOptions): Promise<string | undefined>;
  /** Writes the value (creating or replacing it). */
  put(key: string, value: string): Promise<void>;
  /** Writes only if the key has no value: true if it was written, false if the key was taken. */
  insert(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds 1 to a counter (0 if absent) and returns the new value: a ticket server. */
  increment(key: string): Promise<number>;
  /**
   * Appends a value to the list the key holds (an empty one if none) and returns the list's new length:
   * the value's position, counted from 1. Appends to one key are ordered by its shard's primary.
   */
  append(key: string, value: string): Promise<number>;
  /** The list's values after the first `after` (all of them for 0), in order; [] for a key never appended to. */
  range(key: string, after: number, options?: ReadOptions): Promise<string[]>;
  /**
   * `range` of many lists (1 to 1000 keys) in one call, e.g. the timelines of every account a reader
   * follows: one query per shard the keys live on (`WHERE key IN (…)`), sent together, answered when the
   * last shard has answered, the lists in the keys' order. It saves round trips, not work: each key is
   * still a read of its shard (its CPU, and for a `kv` store its partition's read limit), plus a little
   * I/O per key. One shard failing or overloaded fails the whole call.
   */
  rangeMany(keys: string[], after: number, options?: ReadOptions): Promise<string[][]>;
}

export interface QueueOps {
  /** Appends a message; the consumer's handler gets it as its request. */
  publish(message: string): Promise<void>;
}

export interface ProviderOps {
  /**
   * Delivers `body` to user `to`; resolves once the provider has accepted it. Rejects with "unavailable"
   * when the provider refuses it (the error's message says which: "429 Too Many Requests" over the rate,
   * "503 Service Unavailable" in an outage; neither delivered it) and "timeout" when its answer is late:
   * then it may or may not have been delivered. Pass the same `idempotencyKey` for every attempt of
   * one notification, and the provider delivers it once.
   */
  send(to: string, body: string, idempotencyKey?: string): Promise<void>;
}

export interface ObjectStoreOps {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}

/** Calls another pool's handler (an internal service): `ctx.call("ids", "nextId", {})`. */
export interface PoolOps {
  [handler: string]: (request: unknown) => Promise<unknown>;
}

/** What `ctx.call` offers for a component, by its kind. */
export type OpsOf<S> = S extends CacheSpec ? CacheOps : S extends SqlSpec | KvSpec ? StoreOps : S extends QueueSpec ? QueueOps : S extends ObjectStoreSpec ? ObjectStoreOps : S extends ProviderSpec ? ProviderOps : S extends PoolSpec ? PoolOps : never;

/** An op's arguments and its answer. */
export type ArgsOf<F> = F extends (...args: infer A) => unknown ? A : never;
export type ResultOf<F> = F extends (...args: never[]) => infer R ? R : never;

/** Components a handler can call (a balancer or a CDN is not called: requests pass through it). */
export type CallableNames<C> = { [K in keyof C & string]: C[K] extends LbSpec | CdnSpec ? never : K }[keyof C & string];

/** What a handler receives: calls to the design's components, the virtual clock and seeded randomness. */
export interface Ctx<C = Record<string, ComponentSpec>> {
  /**
   * Calls `op` on a component and resolves with its answer at the virtual time it arrives: network
   * latency, queues and the component's own work included. Rejects with a CallError when every attempt
   * (see the design's `calls` policies) failed.
   */
  call<K extends CallableNames<C>, O extends keyof OpsOf<C[K]> & string>(component: K, op: O, ...args: ArgsOf<OpsOf<C[K]>[O]>): ResultOf<OpsOf<C[K]>[O]>;
  /**
   * Sends `op` to a component one way: it happens (after the network's latency, in the component's queue,
   * paid as any call), but nobody waits for it, so it has no answer, no timeout and no retries, and a
   * failure is never heard of. For what the caller does not need to know the outcome of (telling another
   * region's counters of a request, warming a cache).
   */
  send<K extends CallableNames<C>, O extends keyof OpsOf<C[K]> & string>(component: K, op: O, ...args: ArgsOf<OpsOf<C[K]>[O]>): void;
  /** Virtual ms since the run started. */
  now(): number;
  /** Seeded, uniform in [0, 1): the same run gives the same numbers. */
  random(): number;
  /** Where the instance running this handler is. */
  readonly region: Region;
  readonly zone: Zone;
  /** A line in the run's log (shown with a failing result). */
  log(...args: unknown[]): void;
}

// ---- The prompts: request and response types per request type ----

export interface ShortenRequest {
  /** The long URL to shorten. */
  url: string;
  /** The customer's API key. */
  owner: string;
  /** The same for a client's retries of one request: mint one link, not two. */
  idempotencyKey: string;
}
export interface ShortenResponse {
  /** The short code (1–16 characters of A–Z, a–z, 0–9); `resolve` must then return `url` for it. */
  code: string;
}
export interface ResolveRequest {
  code: string;
}
export interface ResolveResponse {
  /** The long URL stored for the code, or undefined (404) if there is none. */
  url: string | undefined;
}
export interface UpdateRequest {
  code: string;
  /** The new long URL: from its acknowledgement on, resolves must return it (within the prompt's staleness bound). */
  url: string;
}
export interface UpdateResponse {}

export interface RateCheckRequest {
  /** The API key the gateway's request carries. */
  key: string;
  /**
   * The most checks of this key to allow per minute of the clock, over the whole world (windows start at
   * each whole minute of `ctx.now()`), counted in the run's sample of checks as they arrive.
   */
  limit: number;
}
export interface RateCheckResponse {
  /** true: the gateway serves the request; false: it answers 429 Too Many Requests. */
  allowed: boolean;
}

export interface ChatConnectRequest {
  /** The user (re)opening their connection to a gateway: note where they are (presence), so messages can reach them. */
  user: string;
  /** Their signed session token (checking its signature is part of the request's CPU time). */
  token: string;
}
export interface ChatConnectResponse {
  /** True: the connection is open. */
  ok: boolean;
}
export interface ChatSendRequest {
  conversation: string;
  /** The conversation's home region: the region whose users make up most of its members. */
  home: "us-east-1" | "eu-west-1";
  sender: string;
  /** Made by the client, the same for its retries of one message: store the message once. */
  messageId: string;
  text: string;
}
export interface ChatSendResponse {
  /** The message's position in its conversation (from 1), once it is stored for good. */
  seq: number;
}
export interface ChatMessage {
  id: string;
  seq: number;
}
export interface ChatSyncRequest {
  conversation: string;
  home: "us-east-1" | "eu-west-1";
  user: string;
  /** The position of the last message this device has: return the messages after it. */
  after: number;
}
export interface ChatSyncResponse {
  /** The conversation's messages after `after`, in order: positions after + 1, after + 2, … */
  messages: ChatMessage[];
}

export interface NotifyRequest {
  /** Made by the calling service, the same for its retries of one notification: deliver it once. */
  notificationId: string;
  /** The user to notify (their device's push token is the provider's `to`). */
  user: string;
  /** "transactional" (a login code, a payment, a message: wanted now) or "marketing" (a campaign's blast). */
  kind: "transactional" | "marketing";
  /** When the event happened (virtual ms): the per-user limit counts notifications by the minute of `at`. */
  at: number;
  /** What to deliver, as it is: the provider's `body`. */
  text: string;
}
export interface NotifyResponse {
  /** True: the system has it, and will deliver it (unless the user's limit for its minute is full). */
  accepted: boolean;
}

export interface NewsFeedPostRequest {
  author: string;
  /** The same for the client's retries of one post. */
  postId: string;
  text: string;
  /**
   * Whom to fan the post out to, as the social-graph service answers: the author's followers in full for
   * an ordinary account; for a celebrity, 1 in the run's sample weight of them (each append stands for that
   * many, so the list's load is the real fan-out).
   */
  followers: string[];
  /** The author's real number of followers (millions for a celebrity). */
  followerCount: number;
}
export interface NewsFeedPostResponse {}
export interface NewsFeedFeedRequest {
  /** The reader: their home feed holds the newest posts of the accounts they follow, and their own. */
  user: string;
  /** The accounts the reader follows (celebrities included). */
  following: string[];
  /** Those of them with more than 100,000 followers. */
  celebrities: string[];
}
export interface NewsFeedFeedResponse {
  /** Post ids, newest first; only the first 20 count. */
  posts: string[];
}

/** Each prompt's request types: a handler per type, with its request and response. */
export interface PromptTypes {
  "url-shortener": {
    shorten: [ShortenRequest, ShortenResponse];
    resolve: [ResolveRequest, ResolveResponse];
    update: [UpdateRequest, UpdateResponse];
  };
  "rate-limiter": {
    check: [RateCheckRequest, RateCheckResponse];
  };
  chat: {
    send: [ChatSendRequest, ChatSendResponse];
    sync: [ChatSyncRequest, ChatSyncResponse];
    connect: [ChatConnectRequest, ChatConnectResponse];
  };
  "news-feed": {
    post: [NewsFeedPostRequest, NewsFeedPostResponse];
    feed: [NewsFeedFeedRequest, NewsFeedFeedResponse];
  };
  notifications: {
    notify: [NotifyRequest, NotifyResponse];
  };
}

export type Handlers<P extends keyof PromptTypes, C> = {
  [T in keyof PromptTypes[P]]: PromptTypes[P][T] extends [infer Req, infer Res] ? (ctx: Ctx<C>, request: Req) => Promise<Res> : never;
};

export interface DesignInput<P extends keyof PromptTypes, C extends Record<string, ComponentSpec>> {
  /** The prompt this design answers (its request types and traffic). */
  prompt: P;
  /** Regions the design uses; the first is where users' requests arrive. */
  regions: Region[];
  components: C;
  /** The component requests arrive at (default: the CDN if there is one, else the balancer). */
  entry?: keyof C & string;
  /** One handler per request type of the prompt; each call runs on one pool instance, with that instance's module state (see PoolSpec). */
  handlers: Handlers<P, C>;
  /** Handlers only other handlers call (pool to pool) or a queue's consumer runs. */
  internal?: Record<string, (ctx: Ctx<C>, request: any) => Promise<unknown>>;
  /** Per component called, the timeout, retries and retry budget of each call to it. */
  calls?: { [K in CallableNames<C>]?: CallRules };
}

/** A design, as the grader receives it. */
export interface Design {
  readonly kind: "design";
}

export declare function design<P extends keyof PromptTypes, const C extends Record<string, ComponentSpec>>(input: DesignInput<P, C>): Design;
export declare function lb(spec: Omit<LbSpec, "kind">): LbSpec;
export declare function pool(spec: Omit<PoolSpec, "kind">): PoolSpec;
export declare function cache(spec: Omit<CacheSpec, "kind">): CacheSpec;
export declare function sql(spec: Omit<SqlSpec, "kind">): SqlSpec;
export declare function kv(spec?: Omit<KvSpec, "kind">): KvSpec;
export declare function queue(spec?: Omit<QueueSpec, "kind">): QueueSpec;
export declare function cdn(spec: Omit<CdnSpec, "kind">): CdnSpec;
export declare function objectStore(spec?: Omit<ObjectStoreSpec, "kind">): ObjectStoreSpec;
export declare function provider(spec: Omit<ProviderSpec, "kind">): ProviderSpec;
