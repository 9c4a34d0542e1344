/**
 * The design engine's event queue: virtual time, one binary heap, events in insertion order at equal
 * times (a sequence number), so the order never depends on the heap's shape. Unlike the request loop of
 * sim/requests it runs one event at a time (`step`), because after an event that settled a learner promise
 * the engine must let that realm's continuations run before the next event (engine.ts). An event is a
 * handler index and an object; handlers are registered once per run. The heap is sim/slot-heap.ts, the
 * request loop's too.
 */
import { siftDown, siftUp } from "../sim/slot-heap.ts";

export type EventHandler<T> = (payload: T) => void;

export class EventQueue {
  nowMs = 0;
  events = 0;
  private readonly handlers: Array<EventHandler<never>> = [];
  private time: number[] = [];
  private seq: number[] = [];
  private kind: number[] = [];
  private payload: unknown[] = [];
  private heap: number[] = [];
  private free: number[] = [];
  private nextSeq = 0;

  on<T>(handler: EventHandler<T>): number {
    this.handlers.push(handler as EventHandler<never>);
    return this.handlers.length - 1;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** The next event's time (Infinity when none is left). */
  get nextMs(): number {
    return this.heap.length ? this.time[this.heap[0]!]! : Infinity;
  }

  at(timeMs: number, kind: number, payload: unknown = undefined): void {
    const slot = this.free.length ? this.free.pop()! : this.time.length;
    this.time[slot] = timeMs > this.nowMs ? timeMs : this.nowMs;
    this.seq[slot] = this.nextSeq++;
    this.kind[slot] = kind;
    this.payload[slot] = payload;
    const heap = this.heap;
    const i = heap.length;
    heap.push(slot);
    siftUp(heap, i, slot, this.time, this.seq);
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    const heap = this.heap;
    if (heap.length === 0) return false;
    const slot = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) siftDown(heap, heap.length, last, this.time, this.seq);
    this.nowMs = this.time[slot]!;
    const kind = this.kind[slot]!;
    const payload = this.payload[slot];
    this.payload[slot] = undefined;
    this.free.push(slot);
    this.events++;
    (this.handlers[kind] as EventHandler<unknown>)(payload);
    return true;
  }
}

/**
 * Timeouts that all lie the same delay after they are set arrive in order, so each delay needs a FIFO,
 * not a heap entry per timeout: one pending event for the earliest, and the rest wait here. Most calls
 * and requests finish long before their deadline; their deadlines cost a push and a check, not an event.
 */
export class Deadlines {
  private readonly events: EventQueue;
  private readonly kind: number;
  private readonly lanes = new Map<number, { fns: Array<() => void>; times: number[]; head: number; armed: boolean }>();

  constructor(events: EventQueue) {
    this.events = events;
    this.kind = events.on((delayMs: number) => this.fire(delayMs));
  }

  /** Runs `fn` `delayMs` from now (it checks itself whether it still matters). */
  add(delayMs: number, fn: () => void): void {
    let lane = this.lanes.get(delayMs);
    if (!lane) this.lanes.set(delayMs, (lane = { fns: [], times: [], head: 0, armed: false }));
    lane.fns.push(fn);
    lane.times.push(this.events.nowMs + delayMs);
    if (!lane.armed) {
      lane.armed = true;
      this.events.at(lane.times[lane.head]!, this.kind, delayMs);
    }
  }

  /**
   * Runs the earliest deadline, one per event: a deadline may settle a learner's promise, and the engine
   * drains the realm after each event, so that two handlers' continuations never run in one drain (their
   * interleaving would depend on how the learner's async code was compiled).
   */
  private fire(delayMs: number): void {
    const lane = this.lanes.get(delayMs)!;
    lane.armed = false;
    const now = this.events.nowMs;
    if (lane.head < lane.fns.length && lane.times[lane.head]! <= now) {
      const fn = lane.fns[lane.head]!;
      lane.fns[lane.head] = noop;
      lane.head++;
      fn();
    }
    if (lane.head > 4096 && lane.head * 2 > lane.fns.length) {
      lane.fns = lane.fns.slice(lane.head);
      lane.times = lane.times.slice(lane.head);
      lane.head = 0;
    }
    if (lane.head < lane.fns.length) {
      lane.armed = true;
      this.events.at(lane.times[lane.head]!, this.kind, delayMs);
    }
  }
}

const noop = (): void => {};
