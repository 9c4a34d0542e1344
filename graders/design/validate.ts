/**
 * Reads a design as the realm sent it and either returns it with every default filled in, or says what is
 * wrong, field by field, naming the component and where the learner built it. A design that cannot run
 * gets this verdict instead of a run: an unknown instance size, a million instances, a negative TTL, a
 * balancer pointing at nothing.
 */
import { componentOps } from "./ops.ts";
import { cacheNodes, dbInstances, poolInstances, providerChannels } from "./prices.ts";
import type { ComponentData, DesignData } from "./spec.ts";
import { regionNames, zoneNames } from "./topology.ts";

export interface PoolConfig {
  kind: "pool";
  name: string;
  region: string;
  zones: string[];
  instance: keyof typeof poolInstances;
  vcpu: number;
  count: number;
  concurrency: number;
  queue: number;
  autoscale?: { min: number; max: number; targetCpu: number };
}
export interface CacheConfig {
  kind: "cache";
  name: string;
  region: string;
  zones: string[];
  memoryGb: number;
  nodes: number;
  node: keyof typeof cacheNodes;
  eviction: "lru" | "fifo";
  ttlSec: number;
  pattern: "cache-aside" | "read-through";
  source?: string;
}
export interface SqlConfig {
  kind: "sql";
  name: string;
  region: string;
  zones: string[];
  instance: keyof typeof dbInstances;
  vcpu: number;
  shards: number;
  shardKey: "hash" | "range";
  replicas: number;
  replicaRegions: string[];
  replication: "sync" | "async";
  failoverSec: number;
}
export interface KvConfig {
  kind: "kv";
  name: string;
  region: string;
  partitions: number;
  consistentReads: boolean;
}
export interface QueueConfig {
  kind: "queue";
  name: string;
  region: string;
  partitions: number;
  consumer?: { pool: string; handler: string; inFlight: number };
}
export interface CdnConfig {
  kind: "cdn";
  name: string;
  origin: string;
  cache: string[];
  ttlSec: number;
}
export interface LbConfig {
  kind: "lb";
  name: string;
  target: string;
  routes: Record<string, string>;
  /** Per users' region, the pool that serves them (geo routing); users of other regions go to target. */
  byRegion: Record<string, string>;
}
export interface ObjectStoreConfig {
  kind: "objectStore";
  name: string;
  region: string;
}
export interface ProviderConfig {
  kind: "provider";
  name: string;
  channel: keyof typeof providerChannels;
}
export type ComponentConfig = PoolConfig | CacheConfig | SqlConfig | KvConfig | QueueConfig | CdnConfig | LbConfig | ObjectStoreConfig | ProviderConfig;

export interface CallConfig {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** NaN: no budget. */
  retryBudget: number;
}

export interface DesignConfig {
  prompt: string;
  regions: string[];
  entry: string;
  components: Record<string, ComponentConfig>;
  handlers: string[];
  internal: string[];
  calls: Record<string, CallConfig>;
}

export const defaultCall: CallConfig = { timeoutMs: 1000, retries: 0, backoffMs: 20, retryBudget: NaN };

const nameRule = /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/;

/** Problems one at a time, with the field's path and where the component was built. */
class Problems {
  readonly list: string[] = [];
  add(path: string, text: string, at?: string): void {
    if (this.list.length < 20) this.list.push(`${path}: ${text}${at ? ` (at ${at})` : ""}`);
  }
}

function wholeIn(p: Problems, path: string, value: unknown, min: number, max: number, fallback: number, at?: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    p.add(path, `must be a whole number from ${min} to ${max}, got ${show(value)}`, at);
    return fallback;
  }
  return value;
}

function numberIn(p: Problems, path: string, value: unknown, min: number, max: number, fallback: number, at?: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    p.add(path, `must be a number from ${min} to ${max}, got ${show(value)}`, at);
    return fallback;
  }
  return value;
}

function oneOf<T extends string>(p: Problems, path: string, value: unknown, options: readonly T[], fallback: T, at?: string): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !options.includes(value as T)) {
    p.add(path, `must be one of ${options.map((o) => `"${o}"`).join(", ")}, got ${show(value)}`, at);
    return fallback;
  }
  return value as T;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number") return String(value);
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

const knownFields: Record<string, string[]> = {
  pool: ["instance", "count", "concurrency", "queue", "autoscale", "region", "zones"],
  cache: ["memoryGb", "nodes", "eviction", "ttlSec", "pattern", "source", "region", "zones"],
  sql: ["instance", "shards", "shardKey", "replicas", "replicaRegions", "replication", "failoverSec", "region", "zones"],
  kv: ["region", "partitions", "consistentReads"],
  queue: ["region", "partitions", "consumer"],
  cdn: ["origin", "cache", "ttlSec"],
  lb: ["target", "routes", "byRegion"],
  objectStore: ["region"],
  provider: ["channel"],
};

export function validateDesign(data: DesignData, prompt: { name: string; types: readonly string[] }): { config: DesignConfig } | { problems: string[] } {
  const p = new Problems();
  if (data.prompt !== prompt.name) p.add("prompt", `this exercise is the "${prompt.name}" prompt, got ${show(data.prompt)}`, data.at);
  const regions: string[] = [];
  if (!Array.isArray(data.regions) || data.regions.length === 0) p.add("regions", `list at least one region (${regionNames.join(", ")})`, data.at);
  else {
    for (const r of data.regions) {
      if (!(regionNames as readonly string[]).includes(r)) p.add("regions", `unknown region ${show(r)} (known: ${regionNames.join(", ")})`, data.at);
      else if (regions.includes(r)) p.add("regions", `${show(r)} is listed twice`, data.at);
      else regions.push(r);
    }
  }
  const home = regions[0] ?? "us-east-1";
  const names = Object.keys(data.components ?? {});
  if (names.length === 0) p.add("components", "a design needs components (at least a balancer and a pool)", data.at);
  if (names.length > 40) p.add("components", `at most 40 components, got ${names.length}`, data.at);
  const components: Record<string, ComponentConfig> = {};
  for (const name of names.slice(0, 40)) {
    const c = data.components[name]!;
    const path = `components.${name}`;
    const at = typeof c.at === "string" ? c.at : undefined;
    if (!nameRule.test(name)) {
      p.add(path, "a component's name must be a letter then letters, digits, _ or - (at most 40)", at);
      continue;
    }
    const fields = knownFields[c.kind];
    if (!fields) {
      p.add(path, `unknown kind ${show(c.kind)}`, at);
      continue;
    }
    for (const key of Object.keys(c)) if (key !== "kind" && key !== "at" && !fields.includes(key)) p.add(`${path}.${key}`, `a ${c.kind} has no setting "${key}" (it has ${fields.join(", ")})`, at);
    const config = readComponent(p, name, path, c, home, regions, at);
    if (config) components[name] = config;
  }
  // References between components, once all are read.
  for (const config of Object.values(components)) {
    const path = `components.${config.name}`;
    const at = (data.components[config.name]?.at as string | undefined) ?? undefined;
    const want = (field: string, target: string | undefined, kinds: readonly string[]) => {
      if (target === undefined) return;
      const found = components[target];
      if (!found) p.add(`${path}.${field}`, `names no component of the design: ${show(target)} (it has ${names.join(", ")})`, at);
      else if (!kinds.includes(found.kind)) p.add(`${path}.${field}`, `must name a ${kinds.join(" or ")}, but ${target} is a ${found.kind}`, at);
    };
    if (config.kind === "lb") {
      want("target", config.target, ["pool"]);
      for (const [type, target] of Object.entries(config.routes)) {
        if (!prompt.types.includes(type)) p.add(`${path}.routes.${type}`, `the prompt has no "${type}" requests (it has ${prompt.types.join(", ")})`, at);
        want(`routes.${type}`, target, ["pool"]);
      }
      for (const [region, target] of Object.entries(config.byRegion)) {
        if (!(regionNames as readonly string[]).includes(region)) p.add(`${path}.byRegion.${region}`, `unknown region (known: ${regionNames.join(", ")})`, at);
        want(`byRegion.${region}`, target, ["pool"]);
        const pool = components[target];
        if (pool?.kind === "pool" && pool.region !== region) p.add(`${path}.byRegion.${region}`, `sends ${region}'s users to ${target}, a pool in ${pool.region}: name a pool of that region (or leave the region out, and they go to target)`, at);
      }
    }
    if (config.kind === "cdn") {
      want("origin", config.origin, ["lb"]);
      for (const type of config.cache) if (!prompt.types.includes(type)) p.add(`${path}.cache`, `the prompt has no "${type}" requests (it has ${prompt.types.join(", ")})`, at);
    }
    if (config.kind === "cache" && config.pattern === "read-through") {
      if (config.source === undefined) p.add(`${path}.source`, 'a "read-through" cache needs the store it reads on a miss', at);
      want("source", config.source, ["sql", "kv"]);
    }
    if (config.kind === "queue" && config.consumer) {
      want("consumer.pool", config.consumer.pool, ["pool"]);
      if (!data.internal.includes(config.consumer.handler)) p.add(`${path}.consumer.handler`, `names no internal handler: ${show(config.consumer.handler)} (internal: ${data.internal.join(", ") || "none"})`, at);
    }
  }
  const entryName = data.entry ?? Object.values(components).find((c) => c.kind === "cdn")?.name ?? Object.values(components).find((c) => c.kind === "lb")?.name;
  const entry = entryName === undefined ? undefined : components[entryName];
  if (!entry) p.add("entry", entryName === undefined ? "a design needs a load balancer (lb) for requests to arrive at" : `names no component: ${show(entryName)}`, data.at);
  else if (entry.kind !== "lb" && entry.kind !== "cdn") p.add("entry", `requests arrive at a balancer or a CDN, not at a ${entry.kind}`, data.at);
  for (const type of prompt.types) if (!data.handlers.includes(type)) p.add(`handlers.${type}`, `the prompt sends "${type}" requests: write a handler for them`, data.at);
  for (const name of data.handlers) if (!prompt.types.includes(name)) p.add(`handlers.${name}`, `the prompt sends no "${name}" requests (it sends ${prompt.types.join(", ")}); put handlers only other handlers call under internal`, data.at);
  for (const name of [...data.handlers, ...data.internal]) if (!nameRule.test(name)) p.add(`handlers.${name}`, "a handler's name must be a letter then letters, digits, _ or -", data.at);
  const calls: Record<string, CallConfig> = {};
  for (const [target, rules] of Object.entries(data.calls ?? {})) {
    const path = `calls.${target}`;
    const found = components[target];
    if (!found) p.add(path, `names no component of the design (it has ${names.join(", ")})`, data.at);
    else if (!componentOps[found.kind] && found.kind !== "pool") p.add(path, `a ${found.kind} is not called: requests pass through it`, data.at);
    if (rules === null || typeof rules !== "object") {
      p.add(path, `must be an object { timeoutMs, retries, backoffMs, retryBudget }, got ${show(rules)}`, data.at);
      continue;
    }
    for (const key of Object.keys(rules)) if (!["timeoutMs", "retries", "backoffMs", "retryBudget"].includes(key)) p.add(`${path}.${key}`, "unknown setting (timeoutMs, retries, backoffMs, retryBudget)", data.at);
    calls[target] = {
      timeoutMs: numberIn(p, `${path}.timeoutMs`, rules.timeoutMs, 1, 60_000, defaultCall.timeoutMs, data.at),
      retries: wholeIn(p, `${path}.retries`, rules.retries, 0, 10, defaultCall.retries, data.at),
      backoffMs: numberIn(p, `${path}.backoffMs`, rules.backoffMs, 0, 60_000, defaultCall.backoffMs, data.at),
      retryBudget: rules.retryBudget === undefined ? NaN : numberIn(p, `${path}.retryBudget`, rules.retryBudget, 0, 1, NaN, data.at),
    };
  }
  if (p.list.length) return { problems: p.list };
  return { config: { prompt: data.prompt, regions, entry: entry!.name, components, handlers: data.handlers, internal: data.internal, calls } };
}

function readPlacement(p: Problems, path: string, c: ComponentData, home: string, regions: string[], at?: string): { region: string; zones: string[] } {
  const region = c.region === undefined ? home : oneOf(p, `${path}.region`, c.region, regionNames, home as (typeof regionNames)[number], at);
  if (c.region !== undefined && !regions.includes(region)) p.add(`${path}.region`, `${show(region)} is not one of the design's regions (${regions.join(", ")})`, at);
  let zones = ["a"];
  if (c.zones !== undefined) {
    if (!Array.isArray(c.zones) || c.zones.length === 0 || c.zones.some((z) => !(zoneNames as readonly string[]).includes(z as string)) || new Set(c.zones).size !== c.zones.length) {
      p.add(`${path}.zones`, `must list distinct zones of ${zoneNames.map((z) => `"${z}"`).join(", ")}, got ${show(c.zones)}`, at);
    } else zones = c.zones as string[];
  }
  return { region, zones };
}

function readComponent(p: Problems, name: string, path: string, c: ComponentData, home: string, regions: string[], at?: string): ComponentConfig | undefined {
  switch (c.kind) {
    case "pool": {
      const instance = oneOf(p, `${path}.instance`, c.instance, Object.keys(poolInstances) as Array<keyof typeof poolInstances>, "c7g.large", at);
      if (c.instance === undefined) p.add(`${path}.instance`, `choose an instance size (${Object.keys(poolInstances).join(", ")})`, at);
      const vcpu = poolInstances[instance].vcpu;
      const count = wholeIn(p, `${path}.count`, c.count, 1, 1000, 1, at);
      if (c.count === undefined) p.add(`${path}.count`, "say how many instances the pool starts with", at);
      const concurrency = wholeIn(p, `${path}.concurrency`, c.concurrency, 1, 256 * vcpu, 64, at);
      const queue = wholeIn(p, `${path}.queue`, c.queue, 0, 100_000, 2 * concurrency, at);
      let autoscale: PoolConfig["autoscale"];
      if (c.autoscale !== undefined) {
        const a = c.autoscale as Record<string, unknown>;
        if (a === null || typeof a !== "object") p.add(`${path}.autoscale`, "must be { min, max, targetCpu }", at);
        else {
          const min = wholeIn(p, `${path}.autoscale.min`, a.min, 1, 1000, count, at);
          const max = wholeIn(p, `${path}.autoscale.max`, a.max, 1, 1000, count, at);
          const targetCpu = numberIn(p, `${path}.autoscale.targetCpu`, a.targetCpu, 0.2, 0.9, 0.6, at);
          if (min > max) p.add(`${path}.autoscale`, `min (${min}) is above max (${max})`, at);
          if (count < min || count > max) p.add(`${path}.count`, `must lie between autoscale.min and autoscale.max, got ${count}`, at);
          autoscale = { min, max, targetCpu };
        }
      }
      return { kind: "pool", name, ...readPlacement(p, path, c, home, regions, at), instance, vcpu, count, concurrency, queue, ...(autoscale ? { autoscale } : {}) };
    }
    case "cache": {
      const memoryGb = numberIn(p, `${path}.memoryGb`, c.memoryGb, 0.1, 10_000, 1, at);
      if (c.memoryGb === undefined) p.add(`${path}.memoryGb`, "say how much memory the cache has (GB, all nodes together)", at);
      const nodes = wholeIn(p, `${path}.nodes`, c.nodes, 1, 100, 1, at);
      const perNode = memoryGb / nodes;
      const node = (Object.keys(cacheNodes) as Array<keyof typeof cacheNodes>).find((n) => cacheNodes[n].memoryGb >= perNode);
      if (!node) p.add(`${path}.memoryGb`, `${perNode.toFixed(1)} GB per node is more than the largest node holds (${Math.max(...Object.values(cacheNodes).map((n) => n.memoryGb))} GB): add nodes`, at);
      const ttl = c.ttlSec === undefined ? Infinity : numberIn(p, `${path}.ttlSec`, c.ttlSec, 1, 86_400 * 365, Infinity, at);
      const pattern = oneOf(p, `${path}.pattern`, c.pattern, ["cache-aside", "read-through"] as const, "cache-aside", at);
      return {
        kind: "cache",
        name,
        ...readPlacement(p, path, c, home, regions, at),
        memoryGb,
        nodes,
        node: node ?? "cache.r7g.large",
        eviction: oneOf(p, `${path}.eviction`, c.eviction, ["lru", "fifo"] as const, "lru", at),
        ttlSec: ttl,
        pattern,
        ...(typeof c.source === "string" ? { source: c.source } : {}),
      };
    }
    case "sql": {
      const instance = oneOf(p, `${path}.instance`, c.instance, Object.keys(dbInstances) as Array<keyof typeof dbInstances>, "db.r7g.large", at);
      if (c.instance === undefined) p.add(`${path}.instance`, `choose an instance size (${Object.keys(dbInstances).join(", ")})`, at);
      const placement = readPlacement(p, path, c, home, regions, at);
      const replicaRegions: string[] = [];
      if (c.replicaRegions !== undefined) {
        if (!Array.isArray(c.replicaRegions)) p.add(`${path}.replicaRegions`, "must list regions", at);
        else
          for (const r of c.replicaRegions) {
            if (typeof r !== "string" || !regions.includes(r)) p.add(`${path}.replicaRegions`, `${show(r)} is not one of the design's regions (${regions.join(", ")})`, at);
            else if (r === placement.region) p.add(`${path}.replicaRegions`, `${r} is the primaries' own region: use replicas for copies there`, at);
            else replicaRegions.push(r);
          }
      }
      return {
        kind: "sql",
        name,
        ...placement,
        instance,
        vcpu: dbInstances[instance].vcpu,
        shards: wholeIn(p, `${path}.shards`, c.shards, 1, 256, 1, at),
        shardKey: oneOf(p, `${path}.shardKey`, c.shardKey, ["hash", "range"] as const, "hash", at),
        replicas: wholeIn(p, `${path}.replicas`, c.replicas, 0, 2, 0, at),
        replicaRegions,
        replication: oneOf(p, `${path}.replication`, c.replication, ["sync", "async"] as const, "async", at),
        failoverSec: numberIn(p, `${path}.failoverSec`, c.failoverSec, 5, 3600, 30, at),
      };
    }
    case "kv":
      return {
        kind: "kv",
        name,
        region: readPlacement(p, path, c, home, regions, at).region,
        partitions: wholeIn(p, `${path}.partitions`, c.partitions, 1, 1000, 4, at),
        consistentReads: c.consistentReads === undefined ? false : c.consistentReads === true,
      };
    case "queue": {
      let consumer: QueueConfig["consumer"];
      if (c.consumer !== undefined) {
        const k = c.consumer as Record<string, unknown>;
        if (k === null || typeof k !== "object" || typeof k.pool !== "string" || typeof k.handler !== "string") p.add(`${path}.consumer`, "must be { pool, handler, inFlight? }", at);
        else consumer = { pool: k.pool, handler: k.handler, inFlight: wholeIn(p, `${path}.consumer.inFlight`, k.inFlight, 1, 1000, 1, at) };
      }
      return { kind: "queue", name, region: readPlacement(p, path, c, home, regions, at).region, partitions: wholeIn(p, `${path}.partitions`, c.partitions, 1, 1000, 4, at), ...(consumer ? { consumer } : {}) };
    }
    case "cdn": {
      const list = Array.isArray(c.cache) ? c.cache.filter((t): t is string => typeof t === "string") : [];
      if (!Array.isArray(c.cache) || list.length !== c.cache.length) p.add(`${path}.cache`, "must list request types (e.g. [\"resolve\"])", at);
      if (typeof c.origin !== "string") p.add(`${path}.origin`, "name the balancer misses go to", at);
      return { kind: "cdn", name, origin: String(c.origin), cache: list, ttlSec: numberIn(p, `${path}.ttlSec`, c.ttlSec, 1, 86_400 * 30, 60, at) };
    }
    case "lb": {
      if (typeof c.target !== "string") p.add(`${path}.target`, "name the pool requests go to", at);
      const routes: Record<string, string> = {};
      if (c.routes !== undefined) {
        if (c.routes === null || typeof c.routes !== "object") p.add(`${path}.routes`, "must map request types to pools", at);
        else for (const [type, target] of Object.entries(c.routes as Record<string, unknown>)) routes[type] = String(target);
      }
      const byRegion: Record<string, string> = {};
      if (c.byRegion !== undefined) {
        if (c.byRegion === null || typeof c.byRegion !== "object") p.add(`${path}.byRegion`, "must map regions to pools", at);
        else for (const [region, target] of Object.entries(c.byRegion as Record<string, unknown>)) byRegion[region] = String(target);
      }
      return { kind: "lb", name, target: String(c.target), routes, byRegion };
    }
    case "objectStore":
      return { kind: "objectStore", name, region: readPlacement(p, path, c, home, regions, at).region };
    case "provider": {
      const channels = Object.keys(providerChannels) as Array<keyof typeof providerChannels>;
      if (c.channel === undefined) p.add(`${path}.channel`, `say which channel it delivers on (${channels.join(", ")})`, at);
      return { kind: "provider", name, channel: oneOf(p, `${path}.channel`, c.channel, channels, "push", at) };
    }
  }
}
