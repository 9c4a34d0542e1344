// The API of a component exercise. Declarations only: the CLI type check and the editor append this file,
// with every other harness's api.ts, to `declare module "clusterlab" { … }` (runtime/api-dts.ts).
//
// The learner exports an object (or factories) implementing one of these interfaces, and the simulated
// system calls it (graders/harness/component/realm/runtime.ts). Components are called synchronously with the
// simulated clock already set: `Date.now()` and `performance.now()` give virtual time and `Math.random()`
// is seeded, so a run replays exactly; there are no timers. Every instance the system makes (each of a
// fleet's client policies, each rollout's controller) stands for a process of its own: it is made from
// its own evaluation of your module, so module-level variables are that instance's memory, never shared.

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
