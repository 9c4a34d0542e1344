/**
 * A server as queueing theory sees it: `slots` workers, a bounded FIFO queue, a service-time
 * distribution and a speed (a slow server takes longer for the same work). It can go down (every job in
 * it fails) and come back. Jobs are numbers; what a job means is the caller's business. The slots, the
 * queue and the down state are the engines' shared SlotQueue (slot-queue.ts); this adds service times and
 * the completion events.
 */
import type { RequestLoop } from "./engine.ts";
import type { Sampler } from "./distributions.ts";
import { SlotQueue } from "./slot-queue.ts";

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
  speed: number;
  served = 0;
  /** Slot-milliseconds spent serving (for utilisation and cost). */
  busyMs = 0;
  private readonly service: Sampler;
  private readonly pool: SlotQueue<number>;
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
    if (spec.slots > 65_536) throw new Error("station: at most 65536 slots");
    this.pool = new SlotQueue<number>(spec.slots, spec.queueMax);
    this.service = spec.service;
    this.speed = spec.speed ?? 1;
    this.slotJob = new Int32Array(spec.slots).fill(-1);
    this.idle = Int32Array.from({ length: spec.slots }, (_, i) => spec.slots - 1 - i);
    this.idleCount = spec.slots;
    // The completion event carries the job and, packed in one integer, the generation and the slot.
    this.doneKind = loop.on((job, genSlot) => this.complete(job, genSlot));
  }

  get slots(): number {
    return this.pool.slots;
  }
  get queueMax(): number {
    return this.pool.queueMax;
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
  /** Jobs refused because the queue was full. */
  get dropped(): number {
    return this.pool.refused;
  }

  /** Jobs waiting plus jobs in service. */
  get inSystem(): number {
    return this.pool.busy + this.pool.queued;
  }

  get queued(): number {
    return this.pool.queued;
  }

  /** Takes a job: starts it, queues it, or refuses it (queue full or down: `failed` is called). */
  submit(job: number): void {
    const admission = this.pool.admit(job);
    if (admission === "started") this.start(job);
    else if (admission === "full" || admission === "down") this.events.failed(job, this, admission);
  }

  /** Goes down: every job queued or in service fails now. */
  crash(): void {
    if (!this.pool.up) return;
    const lost: number[] = [];
    for (let s = 0; s < this.slots; s++) {
      if (this.slotJob[s]! >= 0) lost.push(this.slotJob[s]!);
      this.slotJob[s] = -1;
      this.idle[s] = this.slots - 1 - s;
    }
    this.idleCount = this.slots;
    lost.push(...this.pool.crash());
    for (const job of lost) this.events.failed(job, this, "down");
  }

  recover(): void {
    this.pool.recover();
  }

  /** A job that holds a slot (the pool counted it) begins service. */
  private start(job: number): void {
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
    this.pool.release();
    this.served++;
    const next = this.pool.next();
    if (next !== undefined) this.start(next);
    this.events.served(job, this);
  }
}
