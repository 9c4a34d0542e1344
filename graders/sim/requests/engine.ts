/**
 * The request-level event loop: virtual time, one heap of events, handlers registered by kind. Every
 * request, service completion, timeout and timer is one event; a handler gets two numbers (usually a job
 * id and a generation), so the hot path allocates one small object per event and no closures.
 */
import { EventQueue } from "../event-queue.ts";

interface Ev {
  timeMs: number;
  seq: number;
  kind: number;
  a: number;
  b: number;
}

export type Handler = (a: number, b: number) => void;

export class RequestLoop {
  nowMs = 0;
  events = 0;
  private readonly queue: EventQueue<Ev>;
  private readonly handlers: Handler[] = [];
  /** Why the loop stopped early, when it did (a budget). */
  stopped: string | undefined;

  private readonly maxEvents: number;

  constructor(maxEvents = 20_000_000, queueCapacity = 2_000_000) {
    this.maxEvents = maxEvents;
    this.queue = new EventQueue<Ev>(queueCapacity);
  }

  /** Registers an event kind; `at(kind, …)` later runs this handler. */
  on(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  at(timeMs: number, kind: number, a = 0, b = 0): void {
    if (!this.queue.push({ timeMs: Math.max(timeMs, this.nowMs), kind, a, b })) {
      this.stopped ??= `event queue full: more than ${this.queue.capacity} pending events (a retry storm or an unbounded queue?)`;
    }
  }

  /** Runs events up to and including `untilMs` (Infinity: until none is left). */
  run(untilMs = Infinity): void {
    const queue = this.queue;
    const handlers = this.handlers;
    while (!this.stopped) {
      const ev = queue.peek();
      if (!ev || ev.timeMs > untilMs) break;
      queue.pop();
      if (++this.events > this.maxEvents) {
        this.stopped = `event budget exceeded: more than ${this.maxEvents} events in one run`;
        break;
      }
      this.nowMs = ev.timeMs;
      handlers[ev.kind]!(ev.a, ev.b);
    }
    if (!this.stopped && untilMs !== Infinity && untilMs > this.nowMs) this.nowMs = untilMs;
  }

  get pending(): number {
    return this.queue.size;
  }
}
