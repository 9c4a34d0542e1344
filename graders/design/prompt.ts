/**
 * What a design prompt is ("design a URL shortener for N users"): its request types, how users behave
 * (timeouts, retries), the traffic at its launch, the data that already exists, and its own correctness
 * (a workload that draws each request and judges each answer). The engine is the same for every prompt;
 * adding one is a module in prompts/ and a line in prompts/index.ts.
 */
import type { Rng } from "../sim/prng.ts";
import type { LinkUniverse } from "./links.ts";
import type { DesignCheck } from "./checks.ts";

export interface RequestType {
  name: string;
  /** Share of all requests. */
  share: number;
  /** The handler's own CPU time on a pool instance (ms at one vCPU, before contention). */
  cpuMs: number;
  /** A user gives up on one attempt after this long… */
  timeoutMs: number;
  /** …and tries again this many times, after this long (with the same request: an idempotency key stays). */
  retries: number;
  retryDelayMs: number;
  /** Bytes of a response to the user (internet egress). */
  responseBytes: number;
  /**
   * The share of successful responses lost on their way back to the user (a mobile network dropping a
   * reply): the user hears nothing, and retries after its timeout what the design already did.
   */
  responseLoss?: number;
}

export interface PromptTraffic {
  /** Requests per second at the busiest moment of the launch day (all types together), real users. */
  peakPerSec: number;
  /** The day's mean rate over its peak (for monthly volumes and costs). */
  meanOverPeak: number;
}

export interface PromptData {
  /** Links (or records) that exist at launch, and the Zipf skew of their popularity. */
  existing: number;
  skew: number;
  /** Bytes one cached entry takes (key, value and the cache's overhead). */
  entryBytes: number;
  /** Bytes one stored record takes, for storage costs. */
  recordBytes: number;
  /** Records kept besides the existing ones, for storage costs only (a chat's history), at launch. */
  storedRecords?: number;
}

/** A request as drawn: its payload, the key it is about (the CDN's cache key), and a small tag for the record. */
export interface Drawn {
  payload: Record<string, unknown>;
  key: string;
  /**
   * The region the user is in (a region name of topology.ts). The balancer sends the request to the pool
   * its `byRegion` names for that region, else to its target; a pool in another region adds the internet
   * between the two to the request and to its response. Unset: the user is beside the design's first region.
   */
  origin?: string;
}

/**
 * Long-lived connections (a chat client's socket to a gateway): a request of type `type` opens one on the
 * pool instance that served it, and the user stays connected there. When that instance's zone fails, every
 * user connected in it reconnects, each after a random wait of up to `reconnectWithinMs` (the clients'
 * jitter): the reconnect storm. `users` is how many are connected at the launch peak (real users; the
 * sample holds users × growth / weight of them).
 */
export interface PromptConnections {
  type: string;
  users: number;
  reconnectWithinMs: number;
}

export interface Workload {
  /** `surge`: the request is one of the task's surge (a marketing blast), beside the day's own traffic. */
  draw(type: number, nowMs: number, surge?: boolean): Drawn;
  /** The user got a response (any JSON) to a request sent at `sentMs`, at `endMs`. */
  observe(type: number, drawn: Drawn, response: unknown, sentMs: number, endMs: number): void;
  /** Acknowledged writes a store lost in a failover, by key: reads of them are the loss, not a bug. */
  lost(key: string): void;
  /** The prompt's correctness figures (counts and ratios), and the first examples of each violation. */
  figures(): Record<string, number>;
  examples(): Record<string, string>;
  /** With `Prompt.connections`: the connect request of connected user number `index` (of the sample). */
  connection?(index: number): Drawn;
  /** A provider component delivered `body` to user `to` at `atMs` (what users actually received). */
  delivered?(provider: string, to: string, body: string, atMs: number): void;
  /**
   * The one real thing every user shares that a design's key names (a celebrity's account, where a
   * sampled user's key stands for `weight` real users' own), or undefined: the real requests a simulated
   * one stands for all meet at that key, so one of them wins a race for it (a cache's `add`:
   * simulation.ts, call weights). Default: none.
   */
  sharedEntity?(key: string): string | undefined;
  /** CPU time (ms) a store read of `key` costs at `nowMs` beyond an ordinary read's (a ranked query); default 0. */
  readCpuMs?(key: string, nowMs: number): number;
}

export interface WorkloadContext {
  rng: Rng;
  universe: LinkUniverse;
  /** The run's traffic over the prompt's launch traffic (10 for "10× growth"). */
  growth: number;
  /** When a link goes viral, for how long, and the share of resolves it takes (none when 0). */
  viral: { fromMs: number; toMs: number; share: number };
  staleBoundMs: number;
  /** Simulated requests per second at the peak (the sample's rate: a prompt whose rules count requests per key counts them in the sample's units). */
  sampledPeakPerSec: number;
  /** The task's fault, if any, and when it strikes and ends (a prompt may leave those windows out of a judgement). */
  fault?: { kind: string; fromMs: number; toMs: number };
  /** The task's surge, if any: extra requests at `factor` − 1 times the day's mean rate from `fromMs` to `toMs`. */
  surge?: { fromMs: number; toMs: number; factor: number };
  /** Simulated ms when users stop sending (the run goes on after it until every request has had its last chance). */
  durationMs: number;
}

export interface Prompt {
  name: string;
  summary: string;
  types: readonly RequestType[];
  traffic: PromptTraffic;
  data: PromptData;
  /** After a write is acknowledged, reads may return the old value for at most this long. */
  staleBoundMs: number;
  /** The CDN's cache key of a request of this type, when its response may be kept at the edge. */
  edgeKey(type: number, drawn: Drawn): string | undefined;
  /** The response a warm CDN holds for an existing link of this rank (a resolve's answer). */
  edgeValue(universe: LinkUniverse, rank: number): string;
  createWorkload(ctx: WorkloadContext): Workload;
  /** Users who hold a connection open (see PromptConnections); none when absent. */
  connections?: PromptConnections;
  /** The prompt's own correctness checks, by name (beside the design checks of checks.ts). */
  checks: Record<string, DesignCheck>;
}
