/**
 * What every server model of the engines shares (the request simulator's Station, station.ts, and the
 * design engine's, design/station.ts): `slots` jobs in service at once, a bounded FIFO of jobs waiting for
 * one, and a down state that fails every waiting job. Jobs are whatever the caller queues; the caller
 * decides when a slot frees (a completion event, or a hold that ends) and what a job does once it starts.
 *
 * Scaled traffic: a queued job may stand for `weight` real ones (the design engine's sampled users), so
 * the queue's bound counts real jobs: it refuses a job once queued × weight reaches `queueMax`.
 */
export type Admission = "started" | "queued" | "full" | "down";

export class SlotQueue<J> {
  slots: number;
  /** Real jobs that may wait; one more is refused. */
  queueMax: number;
  /** Real jobs each queued one stands for (1 unless the traffic is sampled). */
  readonly weight: number;
  up = true;
  /** Bumped on every crash, so work scheduled before it can tell it is stale. */
  gen = 0;
  busy = 0;
  /** Jobs refused because the queue was full. */
  refused = 0;
  private queue: J[] = [];
  private head = 0;

  constructor(slots: number, queueMax: number, weight = 1) {
    this.slots = slots;
    this.queueMax = queueMax;
    this.weight = weight;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Takes a job: into a free slot (busy counts it), into the queue, or refused (queue full, or down). */
  admit(job: J): Admission {
    if (!this.up) return "down";
    if (this.busy < this.slots) {
      this.busy++;
      return "started";
    }
    if (this.queued * this.weight >= this.queueMax) {
      this.refused++;
      return "full";
    }
    this.queue.push(job);
    return "queued";
  }

  /** The next waiting job, now holding a slot (busy counts it), if a slot is free and a job waits. */
  next(): J | undefined {
    if (this.busy >= this.slots || this.head >= this.queue.length) return undefined;
    const job = this.queue[this.head]!;
    this.queue[this.head++] = undefined as J;
    // The taken front is dropped now and then, so a long run's queue does not keep every job it held.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.busy++;
    return job;
  }

  /** A slot freed. */
  release(): void {
    this.busy--;
  }

  /** Goes down: no slot is held any more; the jobs that waited, in order, for the caller to fail (none if it was down). */
  crash(): J[] {
    if (!this.up) return [];
    this.up = false;
    this.gen++;
    this.busy = 0;
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    return waiting;
  }

  recover(): void {
    this.up = true;
  }
}
