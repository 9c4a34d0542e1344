/**
 * A cache's contents, entry by entry: its hit ratio is what its own contents give, never a constant.
 * Keys are spread over nodes; each node evicts by LRU (or FIFO) when its memory is full, and entries
 * expire after their TTL (checked when read, as Redis does).
 *
 * A running system's cache is warm, and a run cannot replay the hours that warmed it, so a cache may start
 * with a virtual warm set: the most popular existing links (LinkUniverse ranks), as many as its memory
 * holds (or, with a TTL, as many as are clicked at least once per TTL at full traffic), each present
 * without being stored. A virtual entry counts against its node's capacity, is older than every entry the
 * run touches (so it is evicted first, least popular first), and becomes a real entry when read. A node
 * that is lost or restarted comes back empty: cold, as a real one would.
 */
import type { LinkUniverse } from "./links.ts";

interface Entry {
  value: string;
  expiresMs: number;
}

/** What a virtual entry holds for an existing link, or undefined when this cache would not hold it. */
export type WarmValue = (rank: number) => string;

export interface WarmStart {
  universe: LinkUniverse;
  /** How many of the most popular links the cache's memory holds (all nodes together). */
  ranks: number;
  value: WarmValue;
  /**
   * With a TTL, the share of the time a link's entry is present: λT / (1 + λT) for a link read λ times a
   * second (an entry lives T after the read that filled it, and the next read after it expires fills it
   * again). Which links are present is decided per link by a hash.
   */
  presentShare?: (rank: number) => number;
}

class CacheNode {
  readonly real = new Map<string, Entry>();
  /** Virtual entries are the untouched ranks r ≡ index (mod nodes) below `top`. */
  top = 0;
  touchedBelowTop = 0;

  readonly index: number;
  readonly capacity: number;

  constructor(index: number, capacity: number) {
    this.index = index;
    this.capacity = capacity;
  }
}

export class CacheModel {
  gets = 0;
  hits = 0;
  evictions = 0;
  private readonly nodes: CacheNode[];
  private readonly touched = new Set<number>();
  private readonly lru: boolean;
  private readonly ttlMs: number;
  private readonly warm: WarmStart | undefined;

  /** `capacity` in entries for the whole cache; `ttlMs` Infinity for none. */
  constructor(nodes: number, capacity: number, options: { eviction?: "lru" | "fifo"; ttlMs?: number; warm?: WarmStart } = {}) {
    const perNode = Math.max(1, Math.floor(capacity / nodes));
    this.nodes = Array.from({ length: nodes }, (_, i) => new CacheNode(i, perNode));
    this.lru = (options.eviction ?? "lru") === "lru";
    this.ttlMs = options.ttlMs ?? Infinity;
    this.warm = options.warm;
    if (this.warm) {
      const ranks = Math.min(this.warm.ranks, perNode * nodes, this.warm.universe.size);
      for (const node of this.nodes) node.top = ranks;
    }
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The node a key lives on: an existing link's by its rank, any other key by a hash. */
  nodeOf(key: string): number {
    return this.nodeOfRank(key, this.rankOf(key));
  }

  private rankOf(key: string): number {
    return this.warm ? this.warm.universe.rankOf(key) : -1;
  }

  private nodeOfRank(key: string, rank: number): number {
    return rank >= 0 ? rank % this.nodes.length : hashKey(key) % this.nodes.length;
  }

  /** Entries held (real and virtual), all nodes together. */
  get size(): number {
    let n = 0;
    for (const node of this.nodes) n += node.real.size + this.virtualCount(node);
    return n;
  }

  get(key: string, nowMs: number): string | undefined {
    this.gets++;
    const value = this.lookup(key, nowMs);
    if (value !== undefined) this.hits++;
    return value;
  }

  /** What the cache holds for `key` now (an expired entry leaves, LRU order moves, a virtual entry becomes real); counts nothing. */
  private lookup(key: string, nowMs: number): string | undefined {
    const keyRank = this.rankOf(key);
    const node = this.nodes[this.nodeOfRank(key, keyRank)]!;
    const entry = node.real.get(key);
    if (entry !== undefined) {
      if (entry.expiresMs <= nowMs) {
        node.real.delete(key);
        return undefined;
      }
      if (this.lru) {
        node.real.delete(key);
        node.real.set(key, entry);
      }
      return entry.value;
    }
    const rank = this.virtualRank(node, keyRank);
    if (rank < 0) return undefined;
    // Read for the first time in this run: it leaves the virtual set, and stays only if it has not expired.
    this.touch(node, rank);
    const expiresMs = this.virtualExpiryMs(rank);
    if (expiresMs <= nowMs || (this.warm!.presentShare && unit(rank, 0x27d4eb2f) >= this.warm!.presentShare(rank))) return undefined;
    const value = this.warm!.value(rank);
    node.real.set(key, { value, expiresMs });
    return value;
  }

  set(key: string, value: string, nowMs: number, ttlMs = this.ttlMs): void {
    const keyRank = this.rankOf(key);
    const node = this.nodes[this.nodeOfRank(key, keyRank)]!;
    if (node.real.has(key)) node.real.delete(key);
    else {
      const rank = this.virtualRank(node, keyRank);
      if (rank >= 0) this.touch(node, rank);
    }
    node.real.set(key, { value, expiresMs: nowMs + ttlMs });
    while (node.real.size + this.virtualCount(node) > node.capacity) this.evict(node);
  }

  /**
   * Adds 1 to a counter (Redis INCR): an entry that is there keeps its expiry; a missing one starts at 1
   * and expires `ttlMs` from now. Not a read: hit ratios count gets only.
   */
  increment(key: string, nowMs: number, ttlMs = this.ttlMs): number {
    const node = this.nodes[this.nodeOfRank(key, this.rankOf(key))]!;
    const entry = node.real.get(key);
    if (entry !== undefined && entry.expiresMs > nowMs) {
      const n = Number(entry.value);
      const next = (Number.isFinite(n) ? n : 0) + 1;
      node.real.delete(key);
      node.real.set(key, { value: String(next), expiresMs: entry.expiresMs });
      return next;
    }
    this.set(key, "1", nowMs, ttlMs);
    return 1;
  }

  /**
   * Sets the key only if it holds nothing now (Redis SET NX with an expiry, Memcached add): true if it was
   * set, false if an entry (unexpired) was there. Many callers racing for one key: one wins (a lock, a
   * lease to rebuild an entry). Not a read: hit ratios count gets only.
   */
  add(key: string, value: string, nowMs: number, ttlMs = this.ttlMs): boolean {
    if (this.lookup(key, nowMs) !== undefined) return false;
    this.set(key, value, nowMs, ttlMs);
    return true;
  }

  delete(key: string): void {
    const keyRank = this.rankOf(key);
    const node = this.nodes[this.nodeOfRank(key, keyRank)]!;
    if (!node.real.delete(key)) {
      const rank = this.virtualRank(node, keyRank);
      if (rank >= 0) this.touch(node, rank);
    }
  }

  /** A node restarts empty (its memory lost). */
  loseNode(index: number): void {
    const node = this.nodes[index]!;
    node.real.clear();
    node.top = 0;
    node.touchedBelowTop = 0;
  }

  private virtualCount(node: CacheNode): number {
    const n = this.nodes.length;
    const below = node.top > node.index ? Math.ceil((node.top - node.index) / n) : 0;
    return below - node.touchedBelowTop;
  }

  /** The key's rank if it is a virtual entry of this node now, else −1. */
  private virtualRank(node: CacheNode, rank: number): number {
    if (node.top === 0) return -1;
    if (rank < 0 || rank >= node.top || rank % this.nodes.length !== node.index || this.touched.has(rank)) return -1;
    return rank;
  }

  private touch(node: CacheNode, rank: number): void {
    this.touched.add(rank);
    if (rank < node.top) node.touchedBelowTop++;
  }

  /** Virtual entries were set at times spread over the last TTL, so they expire spread over the next. */
  private virtualExpiryMs(rank: number): number {
    if (this.ttlMs === Infinity) return Infinity;
    return unit(rank, 0x5bd1e995) * this.ttlMs;
  }

  private evict(node: CacheNode): void {
    this.evictions++;
    if (this.virtualCount(node) > 0) {
      // The least popular virtual entry: the highest untouched rank of this node below top.
      const n = this.nodes.length;
      for (;;) {
        const r = node.top - 1 - ((node.top - 1 - node.index) % n);
        node.top = r;
        if (!this.touched.has(r)) return;
        node.touchedBelowTop--;
      }
    }
    const oldest = node.real.keys().next();
    if (!oldest.done) node.real.delete(oldest.value);
  }
}

/** A rank's own number in [0, 1), the same on every run. */
function unit(rank: number, salt: number): number {
  let h = Math.imul((rank % 4294967296) ^ salt, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** A 32-bit FNV-1a of a key: which node or shard it goes to. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  return h >>> 0;
}
