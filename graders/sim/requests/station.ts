/**
 * A server as queueing theory sees it: `slots` workers, a bounded FIFO queue, a service-time
 * distribution and a speed (a slow server takes longer for the same work). It can go down (every job in
 * it fails) and come back. Jobs are numbers; what a job means is the caller's business.
 */
import type { RequestLoop } from "./engine.ts";
import type { Sampler } from "./distributions.ts";

export interface StationSpec {
  slots: number;
  /** Jobs that may wait for a slot; one more is dropped at once. */
  queueMax: number;
  service: Sampler;
  /** Work per ms relative to 1 (0.5 = twice as slow). */
  speed?: number;
}

export interface StationEvents {
  /** A job finished service (ok) at this station. */
  served(job: number, station: Station): void;
  /** A job could not be served: "full" queue, or the station went "down" while it held the job. */
  failed(job: number, station: Station, why: "full" | "down"): void;
  /** A job left the queue and took a slot (optional: queueing-time measurements). */
  started?(job: number, station: Station): void;
}

export class Station {
  readonly slots: number;
  readonly queueMax: number;
  speed: number;
  up = true;
  /** Bumped on every crash, so completions scheduled before it are ignored. */
  gen = 0;
  busy = 0;
  served = 0;
  dropped = 0;
  /** Slot-milliseconds spent serving (for utilisation and cost). */
  busyMs = 0;
  private readonly service: Sampler;
  private queue: Int32Array;
  private head = 0;
  private length = 0;
  /** The job in each worker slot (−1: idle), and the idle slots as a stack. */
  private readonly slotJob: Int32Array;
  private readonly idle: Int32Array;
  private idleCount: number;
  private readonly doneKind: number;
  readonly id: number;
  private readonly loop: RequestLoop;
  private readonly events: StationEvents;

  constructor(id: number, spec: StationSpec, loop: RequestLoop, events: StationEvents) {
    this.id = id;
    this.loop = loop;
    this.events = events;
    if (!(spec.slots >= 1)) throw new Error("station: slots must be ≥ 1");
    this.slots = spec.slots;
    this.queueMax = spec.queueMax;
    this.service = spec.service;
    this.speed = spec.speed ?? 1;
    if (spec.slots > 65_536) throw new Error("station: at most 65536 slots");
    this.queue = new Int32Array(Math.min(1024, Math.max(16, spec.queueMax)));
    this.slotJob = new Int32Array(spec.slots).fill(-1);
    this.idle = Int32Array.from({ length: spec.slots }, (_, i) => spec.slots - 1 - i);
    this.idleCount = spec.slots;
    // The completion event carries the job and, packed in one integer, the generation and the slot.
    this.doneKind = loop.on((job, genSlot) => this.complete(job, genSlot));
  }

  /** Jobs waiting plus jobs in service. */
  get inSystem(): number {
    return this.busy + this.length;
  }

  get queued(): number {
    return this.length;
  }

  /** Takes a job: starts it, queues it, or refuses it (queue full or down: `failed` is called). */
  submit(job: number): void {
    if (!this.up) {
      this.events.failed(job, this, "down");
      return;
    }
    if (this.busy < this.slots) {
      this.start(job);
      return;
    }
    if (this.length >= this.queueMax) {
      this.dropped++;
      this.events.failed(job, this, "full");
      return;
    }
    if (this.length === this.queue.length) this.grow();
    this.queue[(this.head + this.length) % this.queue.length] = job;
    this.length++;
  }

  /** Goes down: every job queued or in service fails now. */
  crash(): void {
    if (!this.up) return;
    this.up = false;
    this.gen++;
    const lost: number[] = [];
    for (let s = 0; s < this.slots; s++) {
      if (this.slotJob[s]! >= 0) lost.push(this.slotJob[s]!);
      this.slotJob[s] = -1;
      this.idle[s] = this.slots - 1 - s;
    }
    this.idleCount = this.slots;
    for (let i = 0; i < this.length; i++) lost.push(this.queue[(this.head + i) % this.queue.length]!);
    this.busy = 0;
    this.length = 0;
    this.head = 0;
    for (const job of lost) this.events.failed(job, this, "down");
  }

  recover(): void {
    this.up = true;
  }

  private start(job: number): void {
    this.busy++;
    const slot = this.idle[--this.idleCount]!;
    this.slotJob[slot] = job;
    this.events.started?.(job, this);
    const ms = this.service() / this.speed;
    this.busyMs += ms;
    this.loop.at(this.loop.nowMs + ms, this.doneKind, job, (this.gen % 32_768) * 65_536 + slot);
  }

  private complete(job: number, genSlot: number): void {
    if (Math.floor(genSlot / 65_536) !== this.gen % 32_768) return;
    const slot = genSlot % 65_536;
    this.slotJob[slot] = -1;
    this.idle[this.idleCount++] = slot;
    this.busy--;
    this.served++;
    if (this.length > 0) {
      const next = this.queue[this.head]!;
      this.head = (this.head + 1) % this.queue.length;
      this.length--;
      this.start(next);
    }
    this.events.served(job, this);
  }

  private grow(): void {
    const bigger = new Int32Array(this.queue.length * 2);
    for (let i = 0; i < this.length; i++) bigger[i] = this.queue[(this.head + i) % this.queue.length]!;
    this.queue = bigger;
    this.head = 0;
  }
}
