/**
 * The simulated infrastructure of one design: each component the learner declared, placed in zones, as
 * stations (station.ts) with the model of what it holds (cache-model.ts, store-model.ts). A call reaches
 * a component over the network from the caller's zone, waits for a slot, takes its service time (CPU
 * contention included), does its work on the data at the moment it completes, and its reply travels back:
 * `reply` runs when the answer reaches the caller. Failures come by failure domain: a zone takes every
 * station in it at once.
 */
import type { Rng } from "../sim/prng.ts";
import { lognormalDraw } from "./sampling.ts";
import { CacheModel, hashKey, type WarmStart } from "./cache-model.ts";
import type { EventQueue } from "./events.ts";
import type { LinkUniverse } from "./links.ts";
import { cacheNodes, providerChannels } from "./prices.ts";
import type { CallFailure } from "./protocol.ts";
import { Station } from "./station.ts";
import { InstanceMemory, type InstanceHost } from "./instance-memory.ts";
import { Shard, StoreCopy, StoreModel } from "./store-model.ts";
import type { Topology } from "./topology.ts";
import type { CacheConfig, ComponentConfig, DesignConfig, KvConfig, ObjectStoreConfig, PoolConfig, ProviderConfig, QueueConfig, SqlConfig } from "./validate.ts";

/**
 * A call's answer. `coalesced`, when set, names the shared entity (a celebrity) whose lock this call won
 * for ONE of the many real callers it stands for: what the winner then does to that entity's keys is one
 * real request's work (simulation.ts, call weights).
 */
export type CallResult = { ok: true; value: unknown; coalesced?: string } | { ok: false; reason: CallFailure; text: string };
export type Reply = (result: CallResult) => void;
/** The reply of a one-way message (ctx.send): nobody hears it, so it costs no event on its way back. */
export const noReply: Reply = () => {};

/** What the world needs from the engine: time, randomness, and running a handler on a pool. */
export interface WorldHost extends InstanceHost {
  events: EventQueue;
  topology: Topology;
  universe: LinkUniverse;
  rng: Rng;
  weight: number;
  /** Runs `later` after `ms` of virtual time. */
  after(ms: number, later: () => void): void;
  /** Runs an internal handler on a pool's instance in `zone` (its slot is held until the handler is done), standing for `weight` real calls. */
  runHandler(pool: PoolComponent, group: PoolGroup, handler: string, request: unknown, path: readonly string[], reply: Reply, from: number, weight: number): void;
  /** Makes a call from inside the infrastructure (a read-through cache to its store). */
  callFrom(zone: number, component: string, op: string, args: unknown[], reply: Reply): void;
  /** Bytes crossing zones and regions, for transfer costs. */
  transfer(from: number, to: number, bytes: number): void;
  /** A failure the design could not handle on its own (an infinite loop of calls…), said once. */
  designError(text: string): void;
  /** A store lost an acknowledged write in a failover. */
  lostWrite(key: string): void;
  /** A provider delivered `body` to user `to` now (the prompt judges what users received). */
  delivered?(provider: string, to: string, body: string): void;
  /**
   * The one real thing every user shares that a key names (a celebrity's account), if any: the real
   * requests a simulated one stands for all meet at that key (Workload.sharedEntity).
   */
  sharedEntity?(key: string): string | undefined;
  /** CPU time (ms) a store read of `key` costs beyond an ordinary read's, now (Workload.readCpuMs). */
  readCpuMs?(key: string): number;
}

/** A lognormal draw with this median and σ (a table lookup: sampling.ts). */
export const lognormal = lognormalDraw;

/** Service times of each kind's operations (ms): I/O and network inside the component, then CPU (stretched by contention). */
export const serviceMs = {
  cache: { ioMs: 0.08, cpuMs: 0.02 },
  sqlRead: { ioMs: 0.3, cpuMs: 0.2 },
  sqlWrite: { ioMs: 1.2, cpuMs: 0.4 },
  sqlApply: 0.15,
  kvRead: { ioMs: 1.5 },
  kvWrite: { ioMs: 3 },
  objectGet: { ioMs: 15 },
  objectPut: { ioMs: 25 },
  queuePublish: { ioMs: 3 },
};

/**
 * An asynchronous replica applies writes this long after they reach it (redrawn each second): its lag.
 * Replicas of busy databases commonly lag tens of milliseconds, with spikes to seconds.
 */
export const asyncDelay = { medianMs: 30, sigma: 1 };
/** The lag of a lagging replica (the "replica-lag" fault: a long query or a vacuum on it): seconds, not milliseconds. */
export const laggingDelay = { medianMs: 1500, sigma: 0.4 };

/** Bytes of a call's request and reply, on average, for transfer costs. */
export const callBytes = 700;

export abstract class Component {
  readonly name: string;
  readonly host: WorldHost;

  constructor(name: string, host: WorldHost) {
    this.name = name;
    this.host = host;
  }
  abstract readonly kind: ComponentConfig["kind"];
  /** Every station, for failures by zone and utilisation. */
  abstract stations(): Station[];
  /** Serves a call that stands for `weight` real ones (the sample's weight unless the caller's is lower). */
  serve(_op: string, _args: unknown[], _from: number, _path: readonly string[], reply: Reply, _weight?: number): void {
    reply({ ok: false, reason: "rejected", text: `a ${this.kind} cannot be called` });
  }
  /** Its zone's failure: what it loses. */
  zoneDown(zone: number): void {
    for (const s of this.stations()) if (s.zone === zone) s.crash();
  }
  zoneUp(zone: number): void {
    for (const s of this.stations()) if (s.zone === zone) s.recover();
  }

  /**
   * Sends to a station over the network, takes a slot, and replies back after its service time. The op
   * takes effect on the data when service starts (one event for the arrival, one for the reply: a run
   * pays two events per call, not five). A station that is down, or dies while serving, never answers:
   * a failed host looks like that to its callers (no reset, no reply), and only their timeout ends the
   * wait. An overloaded one refuses at once (its queue is full: a 503).
   */
  protected visit(station: Station | undefined, from: number, service: (station: Station, weight: number) => number, work: (station: Station) => CallResult | ((reply: Reply) => void), reply: Reply, weight = this.host.weight): void {
    const host = this.host;
    const events = host.events;
    if (!station || !station.up) return;
    // Across a partition the request is lost, as a dead host's: only the caller's timeout ends the wait.
    if (!host.topology.connected(from, station.zone)) return;
    host.transfer(from, station.zone, callBytes);
    host.after(host.topology.sampleMs(from, station.zone), () => {
      station.submit({
        started: (s) => {
          const startedMs = events.nowMs;
          const ms = service(s, weight);
          s.hold(startedMs, ms, weight);
          const backMs = host.topology.sampleMs(s.zone, from);
          const gen = s.gen;
          const outcome = work(s);
          const deliver = (r: CallResult) => {
            if (reply === noReply) return;
            const at = Math.max(events.nowMs, startedMs + ms) + backMs;
            host.after(at - events.nowMs, () => {
              if (s.gen === gen && host.topology.connected(s.zone, from)) reply(r);
            });
          };
          if (typeof outcome === "function") outcome(deliver);
          else deliver(outcome);
        },
        failed: (s, why) => {
          if (why === "full") host.after(host.topology.sampleMs(s.zone, from), () => reply({ ok: false, reason: "unavailable", text: `${this.name}'s queue is full (overloaded)` }));
        },
      });
    });
  }
}

// ---- Pools ----

export class PoolGroup {
  readonly station: Station;
  instances: number;
  readonly zone: number;
  /** Which instance runs each handler, each with its own module state (instance-memory.ts). */
  readonly memory: InstanceMemory;

  constructor(station: Station, instances: number, zone: number, memory: InstanceMemory) {
    this.station = station;
    this.instances = instances;
    this.zone = zone;
    this.memory = memory;
  }
}

export class PoolComponent extends Component {
  readonly kind = "pool";
  readonly groups: PoolGroup[];
  count: number;
  /** Instances booting: they join their group when ready. */
  booting = 0;
  private rr = 0;

  readonly config: PoolConfig;

  constructor(config: PoolConfig, host: WorldHost) {
    super(config.name, host);
    this.config = config;
    const zones = config.zones.map((z) => host.topology.zoneId(config.region, z));
    this.count = config.count;
    this.groups = zones.map((zone, i) => {
      const instances = Math.floor(config.count / zones.length) + (i < config.count % zones.length ? 1 : 0);
      const station = new Station(`${config.name}/${host.topology.label(zone)}`, zone, { slots: Math.max(1, instances * config.concurrency), queueMax: instances * config.queue, vcpuPerInstance: config.vcpu, instances }, host.weight, host.events);
      return new PoolGroup(station, instances, zone, new InstanceMemory(host));
    });
  }

  stations(): Station[] {
    return this.groups.map((g) => g.station);
  }

  /** Sets a group's instance count (autoscaling): its slots and queue follow. */
  resize(group: PoolGroup, instances: number): void {
    group.instances = instances;
    group.memory.resize(instances);
    group.station.instances = instances;
    group.station.slots = Math.max(instances > 0 ? 1 : 0, instances * this.config.concurrency);
    group.station.queueMax = instances * this.config.queue;
  }

  /** The zone's instances die, and with them what their processes held. */
  override zoneDown(zone: number): void {
    super.zoneDown(zone);
    for (const g of this.groups) if (g.zone === zone) g.memory.crash();
  }

  /** A group for a request from the balancer: round robin over instances that are up. */
  pickForLb(): PoolGroup | undefined {
    const live = this.groups.filter((g) => g.station.up && g.instances > 0);
    if (live.length === 0) return undefined;
    let total = 0;
    for (const g of live) total += g.instances;
    let k = this.rr++ % total;
    for (const g of live) {
      if (k < g.instances) return g;
      k -= g.instances;
    }
    return live[0];
  }

  /** For a call from another component: the nearest group that is up. */
  pickNear(from: number): PoolGroup | undefined {
    let best: PoolGroup | undefined;
    let bestMs = Infinity;
    for (const g of this.groups) {
      if (!g.station.up || g.instances === 0) continue;
      const ms = this.host.topology.baseMs(from, g.zone);
      if (ms < bestMs) {
        best = g;
        bestMs = ms;
      }
    }
    return best;
  }

  // A handler run here stands for the sample's weight, whatever its caller's (a rebuild handed to another
  // service is counted as every reader's: pessimistic, and no way round the coalescing rule).
  override serve(op: string, args: unknown[], from: number, path: readonly string[], reply: Reply): void {
    const group = this.pickNear(from);
    // No instance up: the call goes nowhere, and only its timeout ends it.
    if (!group) return;
    const here = `${this.name}.${op}`;
    if (path.includes(here)) {
      this.host.designError(`call cycle: ${[...path, here].join(" → ")} calls itself again; a request would never finish`);
      this.host.after(0, () => reply({ ok: false, reason: "rejected", text: `call cycle ${[...path, here].join(" → ")}` }));
      return;
    }
    if (path.length >= 8) {
      this.host.designError(`calls nested ${path.length + 1} deep (${[...path, here].join(" → ")}): at most 8`);
      this.host.after(0, () => reply({ ok: false, reason: "rejected", text: "calls nested too deep" }));
      return;
    }
    this.host.runHandler(this, group, op, args[0], [...path, here], reply, from, this.host.weight);
  }
}

// ---- Caches ----

/** The shortest lock (`add`'s TTL) taken to coalesce a rebuild: it must outlast the rebuild (milliseconds). */
export const coalescingLockMs = 1000;

export class CacheComponent extends Component {
  readonly kind = "cache";
  readonly model: CacheModel;
  readonly nodes: Station[];
  private readonly rng: Rng;
  /** Keys some call has `add`ed: a lock raced for again and again, not a key made up for one call. */
  private readonly raced = new Set<string>();

  readonly config: CacheConfig;

  constructor(config: CacheConfig, host: WorldHost, capacityEntries: number, warm: WarmStart | undefined) {
    super(config.name, host);
    this.config = config;
    const zones = config.zones.map((z) => host.topology.zoneId(config.region, z));
    const vcpu = cacheNodes[config.node].vcpu;
    this.nodes = Array.from({ length: config.nodes }, (_, i) => new Station(`${config.name}/node${i}`, zones[i % zones.length]!, { slots: 256 * vcpu, queueMax: 4096 * vcpu, vcpuPerInstance: vcpu, instances: 1 }, host.weight, host.events));
    this.model = new CacheModel(config.nodes, capacityEntries, { eviction: config.eviction, ttlMs: config.ttlSec * 1000, ...(warm ? { warm } : {}) });
    this.rng = host.rng.fork(`cache/${config.name}`);
  }

  stations(): Station[] {
    return this.nodes;
  }

  override zoneDown(zone: number): void {
    this.nodes.forEach((s, i) => {
      if (s.zone !== zone) return;
      s.crash();
      this.model.loseNode(i);
    });
  }

  /** A node restarts empty (the "cache node loss" fault). */
  loseNode(index: number): void {
    this.model.loseNode(index % this.nodes.length);
  }

  override serve(op: string, args: unknown[], from: number, _path: readonly string[], reply: Reply, weight = this.host.weight): void {
    const key = String(args[0]);
    const index = this.model.nodeOf(key);
    const node = this.nodes[index]!;
    const service = (s: Station, w: number) => lognormal(this.rng, serviceMs.cache.ioMs, 0.3) + s.cpu(serviceMs.cache.cpuMs, w);
    this.visit(node, from, service, (s): CallResult | ((reply: Reply) => void) => {
      const now = this.host.events.nowMs;
      if (op === "get") {
        const hit = this.model.get(key, now);
        if (hit !== undefined || this.config.pattern !== "read-through") return { ok: true, value: hit };
        // Read-through: the cache node reads its source itself and keeps the answer.
        return (back) =>
          this.host.callFrom(s.zone, this.config.source!, "get", [key], (r) => {
            if (r.ok && typeof r.value === "string") this.model.set(key, r.value, this.host.events.nowMs);
            back(r);
          });
      }
      if (op === "set") {
        const ttl = args[2];
        this.model.set(key, String(args[1]), now, typeof ttl === "number" ? ttl * 1000 : undefined);
        return { ok: true, value: undefined };
      }
      if (op === "increment") {
        const ttl = args[1];
        return { ok: true, value: this.model.increment(key, now, typeof ttl === "number" ? ttl * 1000 : undefined) };
      }
      if (op === "add") {
        const ttlMs = typeof args[2] === "number" ? args[2] * 1000 : this.config.ttlSec * 1000;
        const won = this.model.add(key, String(args[1]), now, ttlMs);
        // On a key every user shares, the real callers this one stands for all raced for that one key and
        // one of them won it: what the winner then does to the entity's keys (a rebuild) is one real
        // request's work. Only for a lock that is raced for again (the same key added before: a key made
        // up per call, e.g. with a random part, is every real caller's own, and each wins it) and that
        // outlasts a rebuild (a second at least; a shorter one lets more real callers in meanwhile).
        const entity = won && ttlMs >= coalescingLockMs && this.raced.has(key) ? this.host.sharedEntity?.(key) : undefined;
        this.raced.add(key);
        return entity !== undefined ? { ok: true, value: true, coalesced: entity } : { ok: true, value: won };
      }
      this.model.delete(key);
      return { ok: true, value: undefined };
    }, reply, weight);
  }
}

// ---- Stores ----

/** Each op's outcome on a copy, applied when its service completes. */
function storeWork(store: StoreModel, shard: Shard, copy: StoreCopy, op: string, args: unknown[]): CallResult | ((reply: Reply) => void) {
  const key = String(args[0]);
  const read = op === "get" || op === "range";
  shard.readsServed += read ? 1 : 0;
  if (op === "get") return { ok: true, value: store.read(copy, key) };
  if (op === "range") {
    const list = listAt(store, copy, key);
    if (list === undefined) return notAList(store, key);
    return { ok: true, value: list.slice(Math.max(0, Math.floor(Number(args[1]) || 0))) };
  }
  if (!shard.hasPrimary || shard.copies[shard.primary] !== copy) return { ok: false, reason: "unavailable", text: `${store.name} shard ${shard.index} lost its primary: failing over` };
  let value: string | null;
  let result: unknown;
  switch (op) {
    case "insert":
      if (store.read(copy, key) !== undefined) return { ok: true, value: false };
      value = String(args[1]);
      result = true;
      break;
    case "put":
      value = String(args[1]);
      result = undefined;
      break;
    case "delete":
      value = null;
      result = undefined;
      break;
    case "append": {
      // A list per key (a conversation's messages, a feed): the primary's order is the list's order.
      const list = listAt(store, copy, key);
      if (list === undefined) return notAList(store, key);
      list.push(String(args[1]));
      value = JSON.stringify(list);
      result = list.length;
      break;
    }
    case "increment": {
      const n = Number(store.read(copy, key) ?? "0");
      result = (Number.isFinite(n) ? n : 0) + 1;
      value = String(result);
      break;
    }
    default:
      return { ok: false, reason: "rejected", text: `unknown op ${op}` };
  }
  return (reply) => store.write(shard, key, value, () => reply({ ok: true, value: result }));
}

/** The list a key holds (empty if it holds nothing), or undefined when it holds a plain value. */
function listAt(store: StoreModel, copy: StoreCopy, key: string): string[] | undefined {
  const raw = store.read(copy, key);
  if (raw === undefined) return [];
  if (raw.charCodeAt(0) !== 91 /* [ */) return undefined;
  return JSON.parse(raw) as string[];
}

function notAList(store: StoreModel, key: string): CallResult {
  return { ok: false, reason: "rejected", text: `${store.name}: ${key} holds a value written with put, not a list (append and range work on lists)` };
}

/** Where a read's options sit: after the key, or after a range's start. */
function readFrom(op: string, args: unknown[]): "primary" | "replica" {
  const options = args[op === "range" || op === "rangeMany" ? 2 : 1] as { from?: unknown } | undefined;
  return options?.from === "replica" ? "replica" : "primary";
}

/** What a prompt adds to a store read of `key` (WorldHost.readCpuMs), 0 for most. */
function readCpuMs(host: WorldHost, key: string): number {
  return host.readCpuMs === undefined ? 0 : host.readCpuMs(key);
}

/** A multi-key read's further keys on one shard each add this much I/O to the shard's one query. */
export const perKeyReadMs = 0.05;

/**
 * A multi-key read (`rangeMany`): one call for many lists, served as one query per shard
 * (`WHERE key IN (…)`). The keys are grouped by shard and each group is one visit to a copy of its
 * shard (`visit(shard, keys, reply)`): a read's service, plus `perKeyReadMs` of I/O per further key, and
 * a read's CPU for every key (reading each list is the same work; only the round trips are saved). The
 * answer holds the lists in the keys' order once every group has answered; the first group that fails
 * fails the call, and one that never answers (its copy is down) leaves the call to its timeout.
 */
function readMany(store: StoreModel, args: unknown[], visit: (shard: Shard, keys: string[], reply: Reply) => void, reply: Reply): void {
  const keys = (args[0] as unknown[]).map(String);
  const after = Math.max(0, Math.floor(Number(args[1]) || 0));
  const groups = new Map<Shard, number[]>();
  keys.forEach((key, i) => {
    const shard = store.shardOf(key);
    let list = groups.get(shard);
    if (!list) groups.set(shard, (list = []));
    list.push(i);
  });
  const lists: string[][] = new Array(keys.length);
  let waiting = groups.size;
  let over = false;
  for (const [shard, indices] of groups) {
    visit(shard, indices.map((i) => keys[i]!), (r) => {
      if (over) return;
      if (!r.ok) {
        over = true;
        reply(r);
        return;
      }
      const got = r.value as string[][];
      indices.forEach((i, k) => (lists[i] = got[k]!.slice(after)));
      if (--waiting === 0) {
        over = true;
        reply({ ok: true, value: lists });
      }
    });
  }
}

/** One shard's part of a multi-key read, on `copy`: each key's list, or the first key that holds a plain value. */
function readShardLists(store: StoreModel, shard: Shard, copy: StoreCopy, keys: string[]): CallResult {
  shard.readsServed += keys.length;
  const lists: string[][] = [];
  for (const key of keys) {
    const list = listAt(store, copy, key);
    if (list === undefined) return notAList(store, key);
    lists.push(list);
  }
  return { ok: true, value: lists };
}

export class SqlComponent extends Component {
  readonly kind = "sql";
  readonly store: StoreModel;
  /** Its asynchronous replicas' lag: asyncDelay, or laggingDelay while a "replica-lag" fault lasts. */
  replicaLag: { medianMs: number; sigma: number } = asyncDelay;
  private readonly all: Station[] = [];
  private readonly rng: Rng;

  readonly config: SqlConfig;

  constructor(config: SqlConfig, host: WorldHost) {
    super(config.name, host);
    this.config = config;
    const delays = host.rng.fork(`sql/${config.name}/replica-delay`);
    const t = host.topology;
    const zones = config.zones.map((z) => t.zoneId(config.region, z));
    const make = (shard: number, copy: string, zone: number) => {
      const station = new Station(`${config.name}/shard${shard}/${copy}`, zone, { slots: 32 * config.vcpu, queueMax: 256 * config.vcpu, vcpuPerInstance: config.vcpu, instances: 1 }, host.weight, host.events);
      this.all.push(station);
      return new StoreCopy(station, zone);
    };
    const shards = Array.from({ length: config.shards }, (_, i) => {
      const home = zones[i % zones.length]!;
      const region = t.regionOf(home);
      const copies = [make(i, "primary", home)];
      for (let r = 0; r < config.replicas; r++) copies.push(make(i, `replica${r + 1}`, region * 3 + ((home % 3) + 1 + r) % 3));
      for (const remote of config.replicaRegions) copies.push(make(i, `replica-${remote}`, t.zoneId(remote, "a")));
      return new Shard(i, copies);
    });
    this.store = new StoreModel({ name: config.name, shards, shardKey: config.shardKey, replication: config.replication, failoverMs: config.failoverSec * 1000, applyMs: serviceMs.sqlApply, universe: host.universe, events: host.events, topology: t, weight: host.weight, drawDelayMs: () => lognormal(delays, this.replicaLag.medianMs, this.replicaLag.sigma), onLost: host.lostWrite, onTransfer: host.transfer });
    this.rng = host.rng.fork(`sql/${config.name}`);
  }

  stations(): Station[] {
    return this.all;
  }

  override zoneDown(zone: number): void {
    for (const shard of this.store.shards) for (const copy of shard.copies) if (copy.zone === zone) this.store.fail(copy);
  }

  override zoneUp(zone: number): void {
    for (const shard of this.store.shards) for (const copy of shard.copies) if (copy.zone === zone) this.store.recover(copy);
  }

  override serve(op: string, args: unknown[], from: number, _path: readonly string[], reply: Reply, weight = this.host.weight): void {
    if (op === "rangeMany") {
      const where = readFrom(op, args);
      const spec = serviceMs.sqlRead;
      readMany(this.store, args, (shard, keys, back) => {
        const copy = this.store.readCopy(shard, where, from);
        let cpuMs = spec.cpuMs * keys.length;
        for (const key of keys) cpuMs += readCpuMs(this.host, key);
        const service = (s: Station, w: number) => lognormal(this.rng, spec.ioMs, 0.5) + perKeyReadMs * (keys.length - 1) + s.cpu(cpuMs, w);
        this.visit(copy?.up ? copy.station : undefined, from, service, () => readShardLists(this.store, shard, copy!, keys), back, weight);
      }, reply);
      return;
    }
    const key = String(args[0]);
    const shard = this.store.shardOf(key);
    const read = op === "get" || op === "range";
    const copy = read ? this.store.readCopy(shard, readFrom(op, args), from) : shard.hasPrimary ? shard.copies[shard.primary] : undefined;
    const spec = read ? serviceMs.sqlRead : serviceMs.sqlWrite;
    // A prompt may make some reads dearer (a ranked query): that much more of the copy's CPU.
    const cpuMs = read ? spec.cpuMs + readCpuMs(this.host, key) : spec.cpuMs;
    const service = (s: Station, w: number) => lognormal(this.rng, spec.ioMs, read ? 0.5 : 0.4) + s.cpu(cpuMs, w);
    this.visit(copy?.up ? copy.station : undefined, from, service, () => storeWork(this.store, shard, copy!, op, args), reply, weight);
  }
}

/** A key-value partition banks up to this many seconds of unused capacity for bursts. */
const burstSec = 5;

export class KvComponent extends Component {
  readonly kind = "kv";
  readonly store: StoreModel;
  throttled = 0;
  private readonly all: Station[] = [];
  private readonly rng: Rng;
  /** Per partition: real reads and writes in the current second, against the partition's limits. */
  private readonly buckets: Array<{ atMs: number; reads: number; writes: number }>;

  static readonly readsPerSecMax = 3000;
  static readonly writesPerSecMax = 1000;

  readonly config: KvConfig;

  constructor(config: KvConfig, host: WorldHost) {
    super(config.name, host);
    this.config = config;
    const t = host.topology;
    const shards = Array.from({ length: config.partitions }, (_, i) => {
      const copies = [0, 1, 2].map((z) => {
        const zone = t.zoneId(config.region, ["a", "b", "c"][(i + z) % 3]!);
        const station = new Station(`${config.name}/p${i}/${z}`, zone, { slots: 4096, queueMax: 65_536, vcpuPerInstance: 64, instances: 1 }, host.weight, host.events);
        this.all.push(station);
        return new StoreCopy(station, zone);
      });
      return new Shard(i, copies);
    });
    this.store = new StoreModel({ name: config.name, shards, shardKey: "hash", replication: "quorum", failoverMs: 3000, applyMs: 0.5, universe: host.universe, events: host.events, topology: t, weight: host.weight, drawDelayMs: () => 0, onLost: host.lostWrite, onTransfer: host.transfer });
    this.buckets = shards.map(() => ({ atMs: 0, reads: KvComponent.readsPerSecMax * burstSec, writes: KvComponent.writesPerSecMax * burstSec }));
    this.rng = host.rng.fork(`kv/${config.name}`);
  }

  stations(): Station[] {
    return this.all;
  }

  override zoneDown(zone: number): void {
    for (const shard of this.store.shards) for (const copy of shard.copies) if (copy.zone === zone) this.store.fail(copy);
  }

  override zoneUp(zone: number): void {
    for (const shard of this.store.shards) for (const copy of shard.copies) if (copy.zone === zone) this.store.recover(copy);
  }

  override serve(op: string, args: unknown[], from: number, _path: readonly string[], reply: Reply, weight = this.host.weight): void {
    if (op === "rangeMany") {
      // Each key is a read of its partition (the partition's limits count keys): one visit per partition, as a batch get.
      readMany(this.store, args, (shard, keys, back) => {
        let extraMs = 0;
        for (const key of keys) extraMs += readCpuMs(this.host, key);
        this.visitPartition(shard, true, keys.length, extraMs, args[2], from, (copy) => readShardLists(this.store, shard, copy, keys), back, weight);
      }, reply);
      return;
    }
    const read = op === "get" || op === "range";
    const key = String(args[0]);
    const shard = this.store.shardOf(key);
    this.visitPartition(shard, read, 1, read ? readCpuMs(this.host, key) : 0, args[op === "range" ? 2 : 1], from, (copy) => storeWork(this.store, shard, copy, op, args), reply, weight);
  }

  /**
   * `ops` reads or writes of one partition (within its limits, else throttled), served by a copy of it;
   * `extraMs` is the time a prompt's dearer reads add (the managed store's servers' work, as its I/O).
   */
  private visitPartition(shard: Shard, read: boolean, ops: number, extraMs: number, options: unknown, from: number, work: (copy: StoreCopy) => CallResult | ((reply: Reply) => void), reply: Reply, weight: number): void {
    // A partition serves at most its limits (in real requests: each simulated one takes `weight` tokens)
    // from buckets that keep up to five seconds of unused capacity; beyond them it throttles.
    const bucket = this.buckets[shard.index]!;
    const now = this.host.events.nowMs;
    const seconds = (now - bucket.atMs) / 1000;
    bucket.atMs = now;
    bucket.reads = Math.min(KvComponent.readsPerSecMax * burstSec, bucket.reads + seconds * KvComponent.readsPerSecMax);
    bucket.writes = Math.min(KvComponent.writesPerSecMax * burstSec, bucket.writes + seconds * KvComponent.writesPerSecMax);
    const w = weight * ops;
    if ((read ? bucket.reads : bucket.writes) < w) {
      this.throttled++;
      this.host.after(this.host.topology.sampleMs(from, shard.copies[0]!.zone) * 2, () => reply({ ok: false, reason: "unavailable", text: `${this.name} partition ${shard.index} throttled (more than ${read ? KvComponent.readsPerSecMax : KvComponent.writesPerSecMax} ${read ? "reads" : "writes"}/s)` }));
      return;
    }
    if (read) bucket.reads -= w;
    else bucket.writes -= w;
    const consistent = this.config.consistentReads || (options as { from?: unknown } | undefined)?.from === "primary";
    const copy = read && !consistent ? this.store.readCopy(shard, "replica", from) : shard.hasPrimary ? shard.copies[shard.primary] : undefined;
    const ms = read ? serviceMs.kvRead.ioMs : serviceMs.kvWrite.ioMs;
    this.visit(copy?.up ? copy.station : undefined, from, () => lognormal(this.rng, ms, 0.35) + perKeyReadMs * (ops - 1) + extraMs, () => work(copy!), reply, weight);
  }
}

// ---- Queues, object storage ----

/**
 * A consumer group's session timeout: a consumer that stops answering (its zone failed) keeps the messages
 * it holds this long; then the group hands them to its live consumers, as a Kafka rebalance does. They
 * may have been half handled (sent, not yet acknowledged): delivery is at least once.
 */
export const rebalanceMs = 10_000;
/** Real publishes a partition takes per second (a Kinesis shard's 1000 records/s), and the seconds of unused capacity it banks. */
export const publishesPerSecMax = 1000;
/**
 * Kinesis banks nothing, but a sampled publish stands for `weight` real ones arriving at once: five seconds
 * of bank (as the key-value store keeps) let the sample's Poisson clumps through where the smooth real stream
 * would pass, and still throttle a partition offered more than its rate for longer.
 */
const publishBankSec = 5;
/** A message whose handler failed is offered again this long after its slot frees. */
const redeliverMs = 100;

interface Partition {
  messages: string[];
  head: number;
  /** Messages handed back (their handler failed, or their consumer died): offered before the rest. */
  again: string[];
  /** Slots of `inFlight` held now (a slot stays held for weight × its message's time: station.ts's rule). */
  held: number;
  tokens: number;
  atMs: number;
}

interface Dispatch {
  message: string;
  zone: number;
  over: boolean;
}

export class QueueComponent extends Component {
  readonly kind = "queue";
  readonly brokers: Station[];
  published = 0;
  consumed = 0;
  throttled = 0;
  redelivered = 0;
  backlogMax = 0;
  private readonly partitions: Partition[];
  private readonly rng: Rng;
  private consumer: PoolComponent | undefined;
  private readonly inFlight = new Set<Dispatch>();

  readonly config: QueueConfig;

  constructor(config: QueueConfig, host: WorldHost) {
    super(config.name, host);
    this.config = config;
    const zones = [0, 1, 2].map((z) => host.topology.zoneId(config.region, ["a", "b", "c"][z]!));
    this.brokers = zones.map((zone, i) => new Station(`${config.name}/broker${i}`, zone, { slots: 2048, queueMax: 65_536, vcpuPerInstance: 64, instances: 1 }, host.weight, host.events));
    this.partitions = Array.from({ length: config.partitions }, () => ({ messages: [], head: 0, again: [], held: 0, tokens: publishesPerSecMax * publishBankSec, atMs: 0 }));
    this.rng = host.rng.fork(`queue/${config.name}`);
  }

  bindConsumer(pool: PoolComponent | undefined): void {
    this.consumer = pool;
  }

  stations(): Station[] {
    return this.brokers;
  }

  get backlog(): number {
    let n = 0;
    for (const p of this.partitions) n += p.messages.length - p.head + p.again.length;
    return n;
  }

  override serve(_op: string, args: unknown[], from: number, _path: readonly string[], reply: Reply): void {
    const message = String(args[0]);
    const index = hashKey(message) % this.partitions.length;
    const partition = this.partitions[index]!;
    // A partition takes at most its rate of real publishes (each simulated one stands for `weight`): beyond it, throttled.
    const now = this.host.events.nowMs;
    partition.tokens = Math.min(publishesPerSecMax * publishBankSec, partition.tokens + ((now - partition.atMs) / 1000) * publishesPerSecMax);
    partition.atMs = now;
    const w = this.host.weight;
    const broker = this.brokers.find((b) => b.up && b.zone === from) ?? this.brokers.find((b) => b.up);
    if (broker && partition.tokens < w) {
      this.throttled++;
      this.host.after(this.host.topology.sampleMs(from, broker.zone) * 2, () => reply({ ok: false, reason: "unavailable", text: `${this.name} partition ${index} throttled (more than ${publishesPerSecMax} publishes/s)` }));
      return;
    }
    if (broker) partition.tokens -= w;
    this.visit(broker, from, () => lognormal(this.rng, serviceMs.queuePublish.ioMs, 0.3), () => {
      this.published++;
      partition.messages.push(message);
      this.backlogMax = Math.max(this.backlogMax, this.backlog);
      this.deliver(index);
      return { ok: true, value: undefined };
    }, reply);
  }

  /**
   * Hands a partition's next messages to the consumer pool, up to `inFlight` at once (1: in order). A
   * message's slot is held for weight × the time its handler took (the real messages it stands for,
   * back to back), so a sample drains a backlog at the real rate.
   */
  private deliver(index: number): void {
    const partition = this.partitions[index]!;
    const consumer = this.consumer;
    if (!consumer) return;
    const slots = this.config.consumer!.inFlight;
    while (partition.held < slots && (partition.again.length > 0 || partition.head < partition.messages.length)) {
      const group = consumer.pickForLb();
      if (!group) {
        this.host.after(1000, () => this.deliver(index));
        return;
      }
      const message = partition.again.length > 0 ? partition.again.shift()! : partition.messages[partition.head++]!;
      if (partition.head > 1024 && partition.head * 2 > partition.messages.length) {
        partition.messages = partition.messages.slice(partition.head);
        partition.head = 0;
      }
      partition.held++;
      const startMs = this.host.events.nowMs;
      const dispatch: Dispatch = { message, zone: group.zone, over: false };
      this.inFlight.add(dispatch);
      this.host.runHandler(consumer, group, this.config.consumer!.handler, message, [`${this.name}.consumer`], (r) => {
        if (dispatch.over) return;
        dispatch.over = true;
        this.inFlight.delete(dispatch);
        if (r.ok) this.consumed++;
        else partition.again.push(message);
        // A failed message waits redeliverMs before its next try: that wait too is each real message's.
        // (So through an outage a held message is tried again every weight × that in the sample: a
        // pessimistic cadence, where a real partition retries its head every few hundred ms; per-message
        // failures, a slow answer cut by a timeout, are what it gets right.)
        const now = this.host.events.nowMs;
        const heldMs = (now - startMs + (r.ok ? 0 : redeliverMs)) * this.host.weight;
        this.host.after(startMs + heldMs - now, () => {
          partition.held--;
          this.deliver(index);
        });
      }, group.zone, this.host.weight);
    }
  }

  /** Its brokers in the zone fail; the group's consumers there keep their messages until the rebalance hands them on. */
  override zoneDown(zone: number): void {
    super.zoneDown(zone);
    if (!this.consumer) return;
    this.host.after(rebalanceMs, () => {
      for (const d of [...this.inFlight]) {
        if (d.over || d.zone !== zone) continue;
        d.over = true;
        this.inFlight.delete(d);
        this.redelivered++;
        const index = hashKey(d.message) % this.partitions.length;
        const partition = this.partitions[index]!;
        partition.again.push(d.message);
        partition.held--;
        this.deliver(index);
      }
    });
  }
}

// ---- Third-party providers ----

/**
 * A send's round trip to a provider's API over the internet (lognormal), and its slow answers: this share
 * of sends is delivered at once but answered only after seconds (a provider's own queue backing up), so a
 * caller that times out cannot tell a slow success from a failure.
 */
export const providerLatency = { medianMs: 40, sigma: 0.5, slowShare: 0.005, slowMedianMs: 4000, slowSigma: 0.4 };
/**
 * Seconds of unused rate a provider account banks. A sampled send stands for `weight` real ones arriving
 * at once, and a consumer's slots all start together when a backlog appears: a bank of a few seconds
 * would refuse, in the sample, bursts that the real stream (spread over each slot's weight × its time)
 * never makes. Thirty seconds absorb those; a design that offers more than the rate for longer than that
 * still meets its 429s.
 */
const providerBankSec = 30;
/** Idempotency keys a provider remembers (a day, at most this many in a run). */
const providerKeysMax = 2_000_000;

export class ProviderComponent extends Component {
  readonly kind = "provider";
  /** Sends it delivered (billed), those it refused (429, 503), and repeats of a key it answered without delivering again. */
  delivered = 0;
  refused = 0;
  repeats = 0;
  /** The provider-outage fault: it answers 503 and delivers nothing. */
  down = false;
  private readonly keys = new Set<string>();
  private tokens: number;
  private atMs = 0;
  private readonly rng: Rng;
  private readonly rate: number;

  readonly config: ProviderConfig;

  constructor(config: ProviderConfig, host: WorldHost) {
    super(config.name, host);
    this.config = config;
    this.rate = providerChannels[config.channel].sendsPerSecMax;
    this.tokens = this.rate * providerBankSec;
    this.rng = host.rng.fork(`provider/${config.name}`);
  }

  /** A third party: none of its machines are in the design's zones. */
  stations(): Station[] {
    return [];
  }

  override serve(_op: string, args: unknown[], _from: number, _path: readonly string[], reply: Reply): void {
    const host = this.host;
    const roundTrip = lognormal(this.rng, providerLatency.medianMs, providerLatency.sigma);
    host.after(roundTrip / 2, () => {
      const now = host.events.nowMs;
      const back = (r: CallResult, ms = roundTrip / 2) => {
        if (reply !== noReply) host.after(ms, () => reply(r));
      };
      if (this.down) {
        this.refused++;
        back({ ok: false, reason: "unavailable", text: `${this.name} answered 503 Service Unavailable (an outage at the provider)` });
        return;
      }
      // The account's rate, in real sends (each simulated one stands for `weight`), with providerBankSec of it banked.
      this.tokens = Math.min(this.rate * providerBankSec, this.tokens + ((now - this.atMs) / 1000) * this.rate);
      this.atMs = now;
      if (this.tokens < host.weight) {
        this.refused++;
        back({ ok: false, reason: "unavailable", text: `${this.name} answered 429 Too Many Requests (more than ${this.rate} sends/s)` });
        return;
      }
      this.tokens -= host.weight;
      const key = typeof args[2] === "string" ? args[2] : undefined;
      if (key !== undefined && this.keys.has(key)) {
        this.repeats++;
        back({ ok: true, value: undefined });
        return;
      }
      if (key !== undefined && this.keys.size < providerKeysMax) this.keys.add(key);
      this.delivered++;
      host.delivered?.(this.name, String(args[0]), String(args[1]));
      const slow = this.rng.chance(providerLatency.slowShare);
      back({ ok: true, value: undefined }, slow ? lognormal(this.rng, providerLatency.slowMedianMs, providerLatency.slowSigma) : roundTrip / 2);
    });
  }
}

export class ObjectStoreComponent extends Component {
  readonly kind = "objectStore";
  readonly front: Station[];
  readonly data = new Map<string, string>();
  gets = 0;
  puts = 0;
  private readonly rng: Rng;

  readonly config: ObjectStoreConfig;

  constructor(config: ObjectStoreConfig, host: WorldHost) {
    super(config.name, host);
    this.config = config;
    const zones = [0, 1, 2].map((z) => host.topology.zoneId(config.region, ["a", "b", "c"][z]!));
    this.front = zones.map((zone, i) => new Station(`${config.name}/${i}`, zone, { slots: 8192, queueMax: 65_536, vcpuPerInstance: 64, instances: 1 }, host.weight, host.events));
    this.rng = host.rng.fork(`object/${config.name}`);
  }

  stations(): Station[] {
    return this.front;
  }

  override serve(op: string, args: unknown[], from: number, _path: readonly string[], reply: Reply): void {
    const key = String(args[0]);
    const front = this.front.find((f) => f.up && f.zone === from) ?? this.front.find((f) => f.up);
    const ms = op === "get" ? serviceMs.objectGet.ioMs : serviceMs.objectPut.ioMs;
    this.visit(front, from, () => lognormal(this.rng, ms, 0.4), () => {
      if (op === "get") {
        this.gets++;
        return { ok: true, value: this.data.get(key) };
      }
      this.puts++;
      this.data.set(key, String(args[1]));
      return { ok: true, value: undefined };
    }, reply);
  }
}

/** Every component of a design, built from its validated configuration. */
export function buildWorld(design: DesignConfig, host: WorldHost, cacheSetup: (config: CacheConfig) => { capacityEntries: number; warm: WarmStart | undefined }): Map<string, Component> {
  const world = new Map<string, Component>();
  for (const config of Object.values(design.components)) {
    switch (config.kind) {
      case "pool":
        world.set(config.name, new PoolComponent(config, host));
        break;
      case "cache": {
        const setup = cacheSetup(config);
        world.set(config.name, new CacheComponent(config, host, setup.capacityEntries, setup.warm));
        break;
      }
      case "sql":
        world.set(config.name, new SqlComponent(config, host));
        break;
      case "kv":
        world.set(config.name, new KvComponent(config, host));
        break;
      case "queue":
        world.set(config.name, new QueueComponent(config, host));
        break;
      case "objectStore":
        world.set(config.name, new ObjectStoreComponent(config, host));
        break;
      case "provider":
        world.set(config.name, new ProviderComponent(config, host));
        break;
      case "lb":
      case "cdn":
        // Requests pass through these: the engine's request path models them (engine.ts).
        break;
    }
  }
  for (const config of Object.values(design.components)) {
    if (config.kind === "queue" && config.consumer) (world.get(config.name) as QueueComponent).bindConsumer(world.get(config.consumer.pool) as PoolComponent);
  }
  return world;
}
