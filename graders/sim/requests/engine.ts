/**
 * The request-level event loop: virtual time, one heap of events, handlers registered by kind. Every
 * request, service completion and timer is one event; a handler gets two integers (usually a job id and
 * a generation). Events live in typed arrays (slots recycled through a free list) and the heap orders
 * slot numbers, so the hot path allocates nothing: at a million events a second, garbage collection
 * would otherwise cost more than the simulation.
 *
 * Order: by time, then by insertion (a sequence number), so events at the same virtual time run in the
 * order they were scheduled and the order never depends on the heap's shape.
 */
import { siftDown, siftUp } from "../slot-heap.ts";
import { grown } from "./jobs.ts";

export type Handler = (a: number, b: number) => void;

export class RequestLoop {
  nowMs = 0;
  events = 0;
  /** Why the loop stopped early, when it did (a budget). */
  stopped: string | undefined;
  private readonly handlers: Handler[] = [];
  private readonly maxEvents: number;
  private readonly maxPending: number;
  private cap = 1024;
  private time = new Float64Array(this.cap);
  private seq = new Float64Array(this.cap);
  private kind = new Int32Array(this.cap);
  private argA = new Int32Array(this.cap);
  private argB = new Int32Array(this.cap);
  private heap = new Int32Array(this.cap);
  private free = new Int32Array(this.cap);
  private freeCount = 0;
  private used = 0;
  private size = 0;
  private nextSeq = 0;

  constructor(maxEvents = 20_000_000, maxPending = 2_000_000) {
    this.maxEvents = maxEvents;
    this.maxPending = maxPending;
  }

  /** Registers an event kind; `at(time, kind, …)` later runs this handler. */
  on(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  at(timeMs: number, kind: number, a = 0, b = 0): void {
    if (this.size >= this.maxPending) {
      this.stopped ??= `event queue full: more than ${this.maxPending} pending events (a retry storm or an unbounded queue?)`;
      return;
    }
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount]!;
    else {
      if (this.used === this.cap) this.grow();
      slot = this.used++;
    }
    this.time[slot] = timeMs > this.nowMs ? timeMs : this.nowMs;
    this.seq[slot] = this.nextSeq++;
    this.kind[slot] = kind;
    this.argA[slot] = a;
    this.argB[slot] = b;
    siftUp(this.heap, this.size++, slot, this.time, this.seq);
  }

  /** Runs events up to and including `untilMs` (Infinity: until none is left). */
  run(untilMs = Infinity): void {
    const handlers = this.handlers;
    while (!this.stopped && this.size > 0) {
      const slot = this.heap[0]!;
      const t = this.time[slot]!;
      if (t > untilMs) break;
      if (++this.events > this.maxEvents) {
        this.stopped = `event budget exceeded: more than ${this.maxEvents} events in one run`;
        break;
      }
      const kind = this.kind[slot]!;
      const a = this.argA[slot]!;
      const b = this.argB[slot]!;
      this.removeTop();
      this.free[this.freeCount++] = slot;
      this.nowMs = t;
      handlers[kind]!(a, b);
    }
    if (!this.stopped && untilMs !== Infinity && untilMs > this.nowMs) this.nowMs = untilMs;
  }

  get pending(): number {
    return this.size;
  }

  private removeTop(): void {
    const last = this.heap[--this.size]!;
    if (this.size > 0) siftDown(this.heap, this.size, last, this.time, this.seq);
  }

  private grow(): void {
    this.cap *= 2;
    this.time = grown(this.time, this.cap);
    this.seq = grown(this.seq, this.cap);
    this.kind = grown(this.kind, this.cap);
    this.argA = grown(this.argA, this.cap);
    this.argB = grown(this.argB, this.cap);
    this.heap = grown(this.heap, this.cap);
    this.free = grown(this.free, this.cap);
  }
}

/**
 * Deadlines that all lie the same distance after the moment they are set (a client timeout) arrive in
 * order, so they need a FIFO, not a heap: one pending event for the earliest live one, and the rest wait
 * here. Most requests finish long before their deadline: when the event fires, the finished jobs behind
 * it are dropped without an event each, so a run pays about one event per timeout period, not one per
 * request.
 */
export class DeadlineQueue {
  private jobs = new Int32Array(1024);
  private times = new Float64Array(1024);
  private head = 0;
  private length = 0;
  private armed = false;
  private readonly kind: number;
  private readonly loop: RequestLoop;
  private readonly live: (job: number) => boolean;

  /** `expire(job)` runs at a live job's deadline; `live(job)` says whether it still waits for one. */
  constructor(loop: RequestLoop, expire: (job: number) => void, live: (job: number) => boolean) {
    this.loop = loop;
    this.live = live;
    this.kind = loop.on(() => {
      this.armed = false;
      while (this.length > 0 && this.times[this.head]! <= loop.nowMs) {
        const job = this.jobs[this.head]!;
        this.shift();
        if (live(job)) expire(job);
      }
      this.arm();
    });
  }

  private shift(): void {
    this.head = (this.head + 1) % this.jobs.length;
    this.length--;
  }

  /** `job` expires at `timeMs`, which must not be earlier than any deadline already queued. */
  add(job: number, timeMs: number): void {
    if (this.length === this.jobs.length) this.grow();
    const at = (this.head + this.length) % this.jobs.length;
    this.jobs[at] = job;
    this.times[at] = timeMs;
    this.length++;
    this.arm();
  }

  private arm(): void {
    if (this.armed) return;
    while (this.length > 0 && !this.live(this.jobs[this.head]!)) this.shift();
    if (this.length === 0) return;
    this.armed = true;
    this.loop.at(this.times[this.head]!, this.kind);
  }

  private grow(): void {
    const n = this.jobs.length;
    const jobs = new Int32Array(n * 2);
    const times = new Float64Array(n * 2);
    for (let i = 0; i < this.length; i++) {
      jobs[i] = this.jobs[(this.head + i) % n]!;
      times[i] = this.times[(this.head + i) % n]!;
    }
    this.jobs = jobs;
    this.times = times;
    this.head = 0;
  }
}
