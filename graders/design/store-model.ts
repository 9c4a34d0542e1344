/**
 * A replicated, sharded store (sql, and kv as a managed variant): per shard, copies in zones (one
 * primary, the rest replicas), each with its own data, applied in the primary's write order.
 *
 * - A write commits on the primary; "async" acknowledges it then and ships it to each replica (it
 *   arrives after the network's latency and is applied in order: the replica's lag), "sync" acknowledges
 *   once every replica that is up has applied it, "quorum" once a majority of copies have.
 * - A primary that fails leaves its shard without one for `failoverMs` (detection and promotion); then
 *   the replica that has applied the most becomes primary. Writes the old primary had acknowledged that
 *   the new one never received are lost: the store counts them (RPO: acknowledged writes lost, and the
 *   age of the oldest, which is the replication lag at the failure). A copy that comes back rejoins as a
 *   replica and copies the primary's data (what it alone had is discarded).
 * - Reads see a copy's own data: a replica's may be behind (stale).
 * Existing links are every copy's from the start without being stored (LinkUniverse).
 */
import type { EventQueue } from "./events.ts";
import type { LinkUniverse } from "./links.ts";
import { hashKey } from "./cache-model.ts";
import { keyPosition } from "./links.ts";
import type { Station } from "./station.ts";
import type { Topology } from "./topology.ts";

export type Replication = "sync" | "async" | "quorum";

export class StoreCopy {
  /** The copy's writes (null: deleted); keys it never wrote read the existing links. */
  data = new Map<string, string | null>();
  appliedSeq = 0;
  up = true;
  /** When its last replicated write is applied: writes apply one after another. */
  applyFreeMs = 0;
  /** An asynchronous replica's lag (how long a write waits on its primary before it is shipped), redrawn every second. */
  delayMs = 0;
  delayUntilMs = -1;
  /** When this copy failed: a write it had not yet shipped when it failed never leaves it. */
  readonly failedAtMs: number[] = [];

  readonly station: Station;
  readonly zone: number;

  constructor(station: Station, zone: number) {
    this.station = station;
    this.zone = zone;
  }
}

interface LoggedWrite {
  seq: number;
  /** The shard's epoch when written: a promotion starts a new one, and writes of an old one are never applied. */
  epoch: number;
  key: string;
  value: string | null;
  /** When the store acknowledged it to the caller (NaN until then). */
  ackedMs: number;
}

/** A primary's failure as durability sees it: how far behind the replica that took over was. */
export interface FailoverRecord {
  shard: number;
  failedMs: number;
  /** The promoted replica's lag at the failure: acknowledged writes of that last stretch are gone (0 for sync). */
  lagMs: number;
  /** Writes per second the shard took at full traffic just before it (from the sample: simulated × weight). */
  writesPerSec: number;
}

export interface LostWrite {
  shard: number;
  key: string;
  ackedMs: number;
  failedMs: number;
}

export class Shard {
  primary = 0;
  seq = 0;
  epoch = 0;
  /** Writes since the start, in order (a run holds a few thousand). */
  readonly log: LoggedWrite[] = [];
  failedAtMs = NaN;
  readsServed = 0;
  writesServed = 0;
  /** Simulated writes of the last ten seconds, for the write rate at a failure. */
  readonly recentWrites: number[] = [];

  readonly index: number;
  readonly copies: StoreCopy[];

  constructor(index: number, copies: StoreCopy[]) {
    this.index = index;
    this.copies = copies;
  }

  get hasPrimary(): boolean {
    return this.primary >= 0;
  }
}

export interface StoreOptions {
  name: string;
  shards: Shard[];
  shardKey: "hash" | "range";
  replication: Replication;
  failoverMs: number;
  /** Time one replica takes to apply a replicated write. */
  applyMs: number;
  universe: LinkUniverse;
  events: EventQueue;
  topology: Topology;
  /** Simulated requests stand for this many real ones (write rates at full traffic). */
  weight: number;
  /** An asynchronous replica's apply delay, drawn each second (ms). */
  drawDelayMs: () => number;
  /** Told of each acknowledged write lost in a failover, when it is lost. */
  onLost?: (key: string) => void;
  /** Bytes sent between two zones (replication), for transfer costs. */
  onTransfer?: (from: number, to: number, bytes: number) => void;
}

interface ApplyJob {
  shard: Shard;
  copy: StoreCopy;
  write: LoggedWrite;
  committedMs: number;
  shippedMs: number;
  source: StoreCopy;
  done?: () => void;
}

export class StoreModel {
  readonly name: string;
  readonly shards: Shard[];
  readonly replication: Replication;
  readonly lost: LostWrite[] = [];
  readonly failovers: FailoverRecord[] = [];
  /** Replication lag (ms) a replica showed when each write reached it: its largest, and a sum for the mean. */
  lagMsMax = 0;
  lagMsSum = 0;
  lagCount = 0;
  private readonly o: StoreOptions;
  private readonly applyKind: number;
  private readonly promoteKind: number;
  private readonly ackKind: number;

  constructor(options: StoreOptions) {
    this.o = options;
    this.name = options.name;
    this.shards = options.shards;
    this.replication = options.replication;
    this.applyKind = options.events.on((job: ApplyJob) => this.applied(job));
    this.promoteKind = options.events.on((shard: Shard) => this.promote(shard));
    this.ackKind = options.events.on((done: () => void) => done());
  }

  shardOf(key: string): Shard {
    const n = this.shards.length;
    const i = this.o.shardKey === "range" ? Math.min(n - 1, Math.floor(keyPosition(key) * n)) : hashKey(key) % n;
    return this.shards[i]!;
  }

  read(copy: StoreCopy, key: string): string | undefined {
    const own = copy.data.get(key);
    if (own !== undefined) return own === null ? undefined : own;
    const rank = this.o.universe.rankOf(key);
    return rank >= 0 ? this.o.universe.urlOf(rank) : undefined;
  }

  /** The copy a read goes to: the primary, or the nearest replica that is up (the primary if none). */
  readCopy(shard: Shard, from: "primary" | "replica", callerZone: number): StoreCopy | undefined {
    const primary = shard.hasPrimary ? shard.copies[shard.primary] : undefined;
    if (from === "primary") return primary;
    let best: StoreCopy | undefined;
    let bestMs = Infinity;
    for (let i = 0; i < shard.copies.length; i++) {
      const copy = shard.copies[i]!;
      if (i === shard.primary || !copy.up) continue;
      const ms = this.o.topology.baseMs(callerZone, copy.zone);
      if (ms < bestMs) {
        best = copy;
        bestMs = ms;
      }
    }
    return best ?? primary;
  }

  /**
   * Commits a write on the shard's primary now and replicates it; `acked` runs when the store may
   * acknowledge it (at once for async, when replicas have it otherwise).
   */
  write(shard: Shard, key: string, value: string | null, acked: () => void): void {
    const primary = shard.copies[shard.primary]!;
    const write: LoggedWrite = { seq: ++shard.seq, epoch: shard.epoch, key, value, ackedMs: NaN };
    shard.log.push(write);
    shard.writesServed++;
    const recent = shard.recentWrites;
    recent.push(this.o.events.nowMs);
    if (recent.length > 64 && recent[0]! < this.o.events.nowMs - 10_000) recent.splice(0, recent.findIndex((t) => t >= this.o.events.nowMs - 10_000));
    primary.data.set(key, value);
    primary.appliedSeq = write.seq;
    const now = this.o.events.nowMs;
    const replicas = shard.copies.filter((c, i) => i !== shard.primary && c.up);
    const need = this.replication === "async" ? 0 : this.replication === "sync" ? replicas.length : Math.max(0, Math.floor(shard.copies.length / 2));
    let have = 0;
    const ack = () => {
      write.ackedMs = this.o.events.nowMs;
      acked();
    };
    for (const copy of replicas) {
      this.o.onTransfer?.(primary.zone, copy.zone, key.length + (value?.length ?? 0) + 200);
      // Asynchronous: the write leaves the primary after the replica's current lag, then crosses the network.
      const shipped = now + (this.replication === "async" ? this.delayOf(copy) : 0);
      // Across a partition it waits for the link to heal (the primary keeps it in its log), then ships.
      const arrives = this.o.topology.openFromMs(primary.zone, copy.zone, shipped) + this.o.topology.sampleMs(primary.zone, copy.zone);
      const at = Math.max(arrives, copy.applyFreeMs) + this.o.applyMs;
      copy.applyFreeMs = at;
      copy.station.cpu(this.o.applyMs);
      const done = need > 0 ? () => {
        if (++have === need) ack();
      } : undefined;
      this.o.events.at(at, this.applyKind, { shard, copy, write, committedMs: now, shippedMs: shipped, source: primary, done });
    }
    if (need === 0) ack();
  }

  private applied(job: ApplyJob): void {
    const { shard, copy, write } = job;
    // A copy that failed, or was resynchronised past this write, skips it; so does a write its primary
    // failed before shipping.
    if (!copy.up || write.epoch !== shard.epoch || copy.appliedSeq >= write.seq || shard.copies[shard.primary] === copy) return;
    if (job.source.failedAtMs.some((t) => t >= job.committedMs && t < job.shippedMs)) return;
    copy.data.set(write.key, write.value);
    copy.appliedSeq = write.seq;
    const lag = this.o.events.nowMs - job.committedMs;
    this.lagMsMax = Math.max(this.lagMsMax, lag);
    this.lagMsSum += lag;
    this.lagCount++;
    // The acknowledgement travels back to the primary.
    if (job.done) {
      const to = shard.copies[shard.primary]?.zone ?? copy.zone;
      const back = this.o.topology.openFromMs(copy.zone, to, this.o.events.nowMs) + this.o.topology.sampleMs(copy.zone, to);
      this.o.events.at(back, this.ackKind, job.done);
    }
  }

  /** An asynchronous replica's current apply delay: it varies second by second, as a real replica's lag does. */
  private delayOf(copy: StoreCopy): number {
    const now = this.o.events.nowMs;
    if (now >= copy.delayUntilMs) {
      copy.delayMs = this.o.drawDelayMs();
      copy.delayUntilMs = Math.floor(now / 1000) * 1000 + 1000;
    }
    return copy.delayMs;
  }

  /** A copy fails (its zone, or the instance itself). */
  fail(copy: StoreCopy): void {
    if (!copy.up) return;
    copy.up = false;
    copy.station.crash();
    const now = this.o.events.nowMs;
    copy.failedAtMs.push(now);
    for (const shard of this.shards) {
      if (shard.copies[shard.primary] !== copy) continue;
      // The replica most likely to take over: the most caught up that is still up. Asynchronous, it is its
      // delay (and the network) behind; synchronous, nothing acknowledged is missing from it.
      const next = shard.copies.filter((c) => c.up && c !== copy).sort((a, b) => b.appliedSeq - a.appliedSeq)[0];
      const lagMs = next && this.replication === "async" ? this.delayOf(next) + this.o.topology.baseMs(copy.zone, next.zone) : 0;
      const recent = shard.recentWrites.filter((t) => t >= now - 10_000).length;
      this.failovers.push({ shard: shard.index, failedMs: now, lagMs: next ? lagMs : 0, writesPerSec: (recent / Math.min(10, Math.max(1, now / 1000))) * this.o.weight });
      shard.primary = -1;
      shard.failedAtMs = this.o.events.nowMs;
      this.o.events.at(this.o.events.nowMs + this.o.failoverMs, this.promoteKind, shard);
    }
  }

  /** A copy comes back: as primary of a shard that has none and no replica to promote, else as a replica that resynchronises. */
  recover(copy: StoreCopy): void {
    if (copy.up) return;
    copy.up = true;
    copy.station.recover();
    for (const shard of this.shards) {
      if (!shard.copies.includes(copy)) continue;
      // A shard still failing over may promote this copy (it kept its data); else it catches up.
      if (shard.hasPrimary) this.resync(shard, copy);
    }
  }

  private promote(shard: Shard): void {
    if (shard.hasPrimary) return;
    let best = -1;
    for (let i = 0; i < shard.copies.length; i++) {
      const copy = shard.copies[i]!;
      if (copy.up && (best < 0 || copy.appliedSeq > shard.copies[best]!.appliedSeq)) best = i;
    }
    if (best < 0) {
      // Nothing to promote: try again when a copy is back (checked every second).
      this.o.events.at(this.o.events.nowMs + 1000, this.promoteKind, shard);
      return;
    }
    const next = shard.copies[best]!;
    for (const write of shard.log) {
      if (write.seq > next.appliedSeq && !Number.isNaN(write.ackedMs)) {
        this.lost.push({ shard: shard.index, key: write.key, ackedMs: write.ackedMs, failedMs: shard.failedAtMs });
        this.o.onLost?.(write.key);
      }
    }
    // The writes the new primary never had are gone from the shard's history.
    for (let i = shard.log.length - 1; i >= 0 && shard.log[i]!.seq > next.appliedSeq; i--) shard.log.splice(i, 1);
    shard.primary = best;
    shard.epoch++;
    shard.failedAtMs = NaN;
    for (const copy of shard.copies) if (copy !== next && copy.up) this.resync(shard, copy);
  }

  private resync(shard: Shard, copy: StoreCopy): void {
    const primary = shard.copies[shard.primary]!;
    if (primary === copy) return;
    copy.data = new Map(primary.data);
    copy.appliedSeq = primary.appliedSeq;
    copy.applyFreeMs = this.o.events.nowMs;
  }
}
