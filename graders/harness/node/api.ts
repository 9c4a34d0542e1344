// The API a learner's solution sees. This file holds type declarations only: the CLI type check and the
// editor wrap it verbatim in `declare module "clusterlab" { … }`, so what they check is what runs.

/** A message body. `type` names the message; replies use `<type>_ok` or `error`. */
export interface Body {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [field: string]: any;
}

/** A message on the wire (Maelstrom's envelope). Node ids are n1…nN, clients c1…cK. */
export interface Message<B extends Body = Body> {
  src: string;
  dest: string;
  body: B;
}

/**
 * An error reply, with Maelstrom's codes. A definite error tells the client the operation did not happen (and
 * never will); an indefinite one that it may have, so the client cannot treat it as failed. The codes
 * (written from graders/protocol/errors.ts by scripts/error-docs.ts):
 * <error-codes>
 *   0 timeout (indefinite): No reply in time: the request may or may not have taken effect.
 *   1 node-not-found (definite): The request was sent to a node that does not exist.
 *   10 not-supported (definite): The node has no handler for this request type.
 *   11 temporarily-unavailable (definite): The node cannot serve the request now (e.g. no leader, no quorum); it did not happen.
 *   12 malformed-request (definite): The request did not match the schema the node expects.
 *   13 crash (indefinite): The node's handler crashed while serving the request: it may have taken effect.
 *   14 abort (definite): The node aborted the operation; it did not happen.
 *   20 key-does-not-exist (definite): The key read or updated has no value.
 *   21 key-already-exists (definite): The key created already has a value.
 *   22 precondition-failed (definite): A compare-and-set found another value than expected; nothing was written.
 *   30 txn-conflict (definite): The transaction conflicted with another and was aborted.
 * </error-codes>
 */
export interface ErrorBody extends Body {
  type: "error";
  code: number;
  text?: string;
}

export type Handler = (msg: Message) => void | Promise<void>;

/** Durable storage: survives a crash of this node (everything else in memory is lost). Values are JSON. */
export interface Storage {
  get<T = any>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  keys(): string[];
}

export interface RpcOptions {
  /** Reject with an error of code 0 after this many ms of this node's clock without a reply (default 1000). */
  timeoutMs?: number;
}

/** Raised by `node.rpc` when the reply is an error body or the call timed out (code 0). */
export interface RpcError extends Error {
  code: number;
  body?: ErrorBody;
}

export interface Node {
  /** This node's id, e.g. "n3". */
  readonly id: string;
  /** Every other node's id. */
  readonly peers: readonly string[];
  /** Every node's id, this one included, in order. */
  readonly nodeIds: readonly string[];
  /** Handle messages of one type. A second call for the same type replaces the handler. */
  on(type: string, handler: Handler): void;
  /** Send a message; delivery is not guaranteed (the network may drop, delay, duplicate or reorder it). */
  send(dest: string, body: Body): void;
  /** Reply to a request: sets `in_reply_to` from the request's `msg_id`. */
  reply(request: Message, body: Body): void;
  /** Send a request and wait for its reply. Rejects with an RpcError on an error reply or timeout. */
  rpc(dest: string, body: Body, options?: RpcOptions): Promise<Message>;
  /**
   * Run `fn` once after `ms` milliseconds of this node's clock (`now()` reads `ms` more in `fn`). Timers run
   * off the same clock as `now()`: on a clock that runs 2% slow, `after(300)` fires 306 ms later in true time.
   * Returns a timer id for `cancel`.
   */
  after(ms: number, fn: () => void): number;
  /** Run `fn` every `ms` milliseconds of this node's clock (drifting with it, as `after` does). Returns a timer id for `cancel`. */
  every(ms: number, fn: () => void): number;
  cancel(timerId: number): void;
  /** This node's local clock in ms. It may be skewed against other nodes' clocks and may drift; this node's timers drift with it. */
  now(): number;
  /** A deterministic random number in [0, 1) from this node's own stream. */
  random(): number;
  readonly storage: Storage;
  /** Write a line to this node's log (shown with failures; capped). */
  log(...args: unknown[]): void;
}

// ── Component exercises ──────────────────────────────────────────────────────────────────────────────
// The learner exports an object (or factories) implementing one of these interfaces, and the simulated
// system calls it (graders/harness/component/realm/runtime.ts). Components are called synchronously with the
// simulated clock already set: `Date.now()` and `performance.now()` give virtual time and `Math.random()`
// is seeded, so a run replays exactly; there are no timers.

/** One backend server as the load balancer is told about it. */
export interface ServerInfo {
  /** Its index: what `pick` returns to choose it. */
  readonly index: number;
  readonly name: string;
  /** Its capacity relative to the others (a weight of 2 can take twice the load of 1). */
  readonly weight: number;
}

/** A load balancer's choice of backend, called for every request. */
export interface Balancer {
  /** Choose a server for a request from `client` (a number that identifies the client, like its IP). */
  pick(client: number): number;
  /** The request sent to `server` finished: its latency, and whether it succeeded. */
  done?(server: number, latencyMs: number, ok: boolean): void;
  /** The health checker saw `server` go down (`up` false) or come back (`up` true). */
  health?(server: number, up: boolean): void;
}

export type BalancerFactory = (servers: readonly ServerInfo[]) => Balancer;

/** The load-balancer exercise's default export: one factory per strategy. */
export interface LoadBalancers {
  roundRobin: BalancerFactory;
  weightedRoundRobin: BalancerFactory;
  leastConnections: BalancerFactory;
  ipHash: BalancerFactory;
  powerOfTwo: BalancerFactory;
}

/** Consistent hashing: which node owns a key, as nodes join and leave. */
export interface HashRing {
  addNode(node: string): void;
  removeNode(node: string): void;
  /** The node that owns `key` (one of the nodes added and not removed). */
  lookup(key: string): string;
}

/** The consistent-hashing exercise's default export. */
export type HashRingFactory = (options: { virtualNodes: number }) => HashRing;

/** A key-value cache holding at most `capacity` entries. */
export interface Cache {
  /** The value stored for `key`, or undefined on a miss. */
  get(key: string): string | undefined;
  /** Store a value; evict to stay within the capacity. */
  put(key: string, value: string): void;
}

/** The lru-cache exercise's default export. */
export type CacheFactory = (capacity: number) => Cache;

/** A rate limiter at one API gateway: may this client's request go through now (`Date.now()`)? */
export interface RateLimiter {
  allow(client: string): boolean;
  /** With several gateways: what this gateway tells the others (called every sync period). */
  state?(): string;
  /** With several gateways: a state another gateway sent (it arrives after a network delay). */
  merge?(state: string): void;
}

/** The rate-limiter exercise's default export; each gateway gets its own instance, in its own realm. */
export type RateLimiterFactory = (config: {
  /** Requests per second each client may make, on average… */
  ratePerSec: number;
  /** …and how many it may make at once after being idle. */
  burst: number;
  /** How many gateways share the limit, and which one this is (0…gateways−1). */
  gateways: number;
  gateway: number;
}) => RateLimiter;

/** What a client does around each call to a flaky downstream service: retries, backoff, a circuit breaker. */
export interface CallPolicy {
  /** Before each attempt: make it (true), or fail the request at once (false: the breaker is open). */
  allow(): boolean;
  /** The attempt's outcome and how long it took. */
  onResult(ok: boolean, latencyMs: number): void;
  /** After failed attempt number `attempt` (1 = the first try failed): ms to wait before the next, or −1 to give up. */
  retryDelayMs(attempt: number): number;
}

/** The circuit-breaker exercise's default export. */
export type CallPolicyFactory = () => CallPolicy;

/** What the application does around its cache and its (slow) database, for each read and write. */
export interface CachePolicy {
  /**
   * A read of `key`. `ageMs` is how long ago its cache entry was stored, or −1 when it is not cached (or
   * has outlived the time-to-live). "cache": answer from the cache; "database": read the database and
   * store the answer in the cache; "cache+refresh": answer from the cache and reload it in the background.
   */
  read(key: string, ageMs: number): "cache" | "database" | "cache+refresh";
  /**
   * A write of `key`. "invalidate": write the database, then delete the cache entry; "write-through":
   * write the database, then the cache; "write-behind": write the cache and acknowledge at once (the
   * database gets it when tick() names the key); "database": write the database only.
   */
  write(key: string): "invalidate" | "write-through" | "write-behind" | "database";
  /** Called every 100 ms: keys whose cached value must be written to the database now, comma-separated. */
  tick?(): string;
}

export type CachePolicyFactory = (config: { ttlMs: number }) => CachePolicy;

/** The cache-patterns exercise's default export: one factory per pattern. */
export interface CachePatterns {
  cacheAside: CachePolicyFactory;
  writeThrough: CachePolicyFactory;
  writeBehind: CachePolicyFactory;
  refreshAhead: CachePolicyFactory;
}

/**
 * A deployment controller for one rollout of a new version (the canary-rollout exercise). The canary
 * serves a share of the traffic that grows stage by stage (`stages`, percent); the old version (the
 * baseline) serves the rest. After each step — a minute of traffic — the controller is shown both
 * groups' figures, canary first, and then asked what to do.
 */
export interface RolloutController {
  /**
   * One step's figures for one group: requests it served, how many of them failed, and the 99th
   * percentile latency of the ones that succeeded (ms).
   */
  observe(group: "canary" | "baseline", requests: number, errors: number, p99Ms: number): void;
  /** "promote": the next stage (after the last, the whole fleet: done); "hold": another step at this share; "rollback": done, the version is rejected. */
  decide(): "promote" | "hold" | "rollback";
}

/** The canary-rollout exercise's default export: called once per rollout, with the rollout's plan. */
export type RolloutControllerFactory = (plan: { stages: number[]; stepRequests: number }) => RolloutController;
