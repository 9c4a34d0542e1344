/**
 * A group of identical instances in one zone, as a queue: `slots` requests in service at once (a pool's
 * concurrency, a database's connections), a bounded FIFO queue behind them, and a CPU whose contention
 * stretches each request's CPU time.
 *
 * Scaled traffic. A run simulates a sample of the prompt's users: each simulated request stands for
 * `weight` real ones (weight = real rate / simulated rate). A station keeps its real number of slots and
 * its real queue bound (in real requests), and a simulated request holds its slot for weight × its own
 * time (the real requests it stands for, back to back). So the share of time a slot is busy, the chance a
 * request finds every slot busy (Erlang C) and the rate a backlog drains at are those of the full system;
 * what is not kept is the length of one wait in a queue, which is up to `weight` times the real one
 * (pessimistic near saturation, invisible below it where waits are rare). The CPU is processor sharing:
 * a request's CPU time is multiplied by the M/M/c mean response factor 1 + C(c, u) / (c (1 − u)) at the
 * instance's CPU use u over the last second (a sliding window of two one-second buckets) (c its vCPUs, u capped at 0.99), so a busy instance is slower
 * and a saturated one holds its slots long enough to fill its queue.
 *
 * The slots, the bounded queue and the down state are the engines' shared SlotQueue
 * (sim/requests/slot-queue.ts), the request simulator's Station's too; this adds the weighted holds and the CPU.
 */
import type { EventQueue } from "./events.ts";
import { SlotQueue } from "../sim/requests/slot-queue.ts";

/** A request waiting for or holding a slot. */
export interface SlotJob {
  /** Called when the job takes a slot (at once, or when it leaves the queue). */
  started(station: Station): void;
  /** Called when the station fails it: its queue is full, it is down, or it went down while holding it. */
  failed(station: Station, why: "full" | "down"): void;
}

const cpuWindowMs = 1000;
const utilisationCap = 0.99;

export class Station {
  readonly name: string;
  readonly zone: number;
  /** vCPUs per instance (the CPU factor's c) and instances in the group. */
  vcpuPerInstance: number;
  instances: number;
  served = 0;
  /** Slot-ms held (real scale) and CPU-ms used (real scale), for utilisation and cost. */
  slotMs = 0;
  cpuMs = 0;
  private readonly pool: SlotQueue<SlotJob>;
  /** When each held slot frees (a min-heap): freed lazily, with an event only while jobs wait. */
  private releases: number[] = [];
  private armedAtMs = Infinity;
  private cpuSecond = 0;
  private cpuNow = 0;
  private cpuPrevious = 0;
  private readonly events: EventQueue;
  private readonly releaseKind: number;
  private readonly factors = new Map<number, Float64Array>();

  constructor(name: string, zone: number, spec: { slots: number; queueMax: number; vcpuPerInstance: number; instances: number }, weight: number, events: EventQueue) {
    this.name = name;
    this.zone = zone;
    this.pool = new SlotQueue<SlotJob>(spec.slots, spec.queueMax, weight);
    this.vcpuPerInstance = spec.vcpuPerInstance;
    this.instances = spec.instances;
    this.events = events;
    this.releaseKind = events.on((gen: number) => {
      this.armedAtMs = Infinity;
      if (gen !== this.gen) return;
      this.next();
    });
  }

  get slots(): number {
    return this.pool.slots;
  }
  set slots(n: number) {
    this.pool.slots = n;
  }
  /** Real requests that may wait; the queue holds simulated ones, each standing for `weight`. */
  get queueMax(): number {
    return this.pool.queueMax;
  }
  set queueMax(n: number) {
    this.pool.queueMax = n;
  }
  get weight(): number {
    return this.pool.weight;
  }
  get up(): boolean {
    return this.pool.up;
  }
  get gen(): number {
    return this.pool.gen;
  }
  get busy(): number {
    return this.pool.busy;
  }
  get refused(): number {
    return this.pool.refused;
  }

  get queued(): number {
    return this.pool.queued;
  }

  submit(job: SlotJob): void {
    if (!this.pool.up) {
      job.failed(this, "down");
      return;
    }
    this.reap();
    const admission = this.pool.admit(job);
    if (admission === "started") job.started(this);
    else if (admission === "full") job.failed(this, "full");
    else this.arm();
  }

  /**
   * The job that took a slot `heldMs` before `endMs` is done with it at endMs: the slot stays held for the
   * rest of the real requests the job stands for (weight × heldMs from its start), then serves the next.
   * `weight` is the station's unless the job stands for fewer real ones (a rebuild that one real reader
   * won the right to do: simulation.ts's call weights).
   */
  hold(startMs: number, heldMs: number, weight = this.weight): void {
    this.served++;
    this.slotMs += heldMs * weight;
    heapPush(this.releases, startMs + heldMs * weight);
    if (this.queued > 0) this.arm();
  }

  /** CPU time for `baseMs` of work at the current contention; counts the work (real scale: `weight` real jobs) toward it. */
  cpu(baseMs: number, weight = this.weight): number {
    const work = baseMs * weight;
    const u = this.cpuUse;
    this.cpuNow += work;
    this.cpuMs += work;
    return baseMs * this.factor(u);
  }

  /**
   * The instance group's CPU use over the last second (0…1+, offered): the work of the current second
   * and of the part of the previous one that is still within the window.
   */
  get cpuUse(): number {
    const now = this.events.nowMs;
    const second = Math.floor(now / cpuWindowMs);
    if (second !== this.cpuSecond) {
      this.cpuPrevious = second === this.cpuSecond + 1 ? this.cpuNow : 0;
      this.cpuNow = 0;
      this.cpuSecond = second;
    }
    const into = (now - second * cpuWindowMs) / cpuWindowMs;
    return (this.cpuNow + this.cpuPrevious * (1 - into)) / (cpuWindowMs * this.vcpuPerInstance * Math.max(1, this.instances));
  }

  /** Goes down: every job queued fails now; jobs in service see `gen` change when they complete. */
  crash(): void {
    if (!this.pool.up) return;
    this.releases = [];
    for (const job of this.pool.crash()) job.failed(this, "down");
  }

  recover(): void {
    this.pool.recover();
  }

  /** Frees the slots whose holds have ended. */
  private reap(): void {
    const now = this.events.nowMs;
    const r = this.releases;
    while (r.length > 0 && r[0]! <= now) {
      heapPop(r);
      this.pool.release();
    }
  }

  /** An event at the next release, while jobs wait for a slot. */
  private arm(): void {
    const at = this.releases.length ? this.releases[0]! : Infinity;
    if (at === Infinity || at >= this.armedAtMs) return;
    this.armedAtMs = at;
    this.events.at(at, this.releaseKind, this.gen);
  }

  private next(): void {
    this.reap();
    for (let job = this.pool.next(); job !== undefined; job = this.pool.next()) job.started(this);
    if (this.queued > 0) this.arm();
  }

  /** 1 + C(c, u)/(c(1 − u)), tabulated per c in steps of 0.01 of u. */
  private factor(u: number): number {
    const c = this.vcpuPerInstance;
    let table = this.factors.get(c);
    if (!table) this.factors.set(c, (table = factorTable(c)));
    const i = u <= 0 ? 0 : u >= utilisationCap ? 99 : Math.floor(u * 100);
    return table[i]!;
  }
}

function heapPush(h: number[], x: number): void {
  let i = h.length;
  h.push(x);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]! <= x) break;
    h[i] = h[p]!;
    i = p;
  }
  h[i] = x;
}

function heapPop(h: number[]): void {
  const last = h.pop()!;
  const n = h.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && h[r]! < h[l]! ? r : l;
    if (h[c]! >= last) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = last;
}

/** The M/M/c mean response time over the mean service time, for u = 0, 0.01, …, 0.99. */
export function factorTable(c: number): Float64Array {
  const table = new Float64Array(100);
  for (let i = 0; i < 100; i++) {
    const u = i / 100;
    table[i] = 1 + erlangC(c, u * c) / (c * (1 - u));
  }
  return table;
}

/** Erlang C: the chance an arrival waits, for c servers at offered load a (= λ/μ < c). */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c;
  const top = last / (1 - a / c);
  return top / (sum + top);
}
