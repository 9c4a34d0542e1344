/**
 * A binary min-heap of events ordered by (timeMs, seq). `seq` is the insertion counter, so events at the
 * same virtual time run in the order they were scheduled: the order never depends on the heap's shape.
 */
export interface QueuedEvent {
  timeMs: number;
  seq: number;
}

/** An event as it is pushed: the queue assigns `seq`. Distributes over unions of event kinds. */
export type Unsequenced<E> = E extends QueuedEvent ? Omit<E, "seq"> & { seq?: number } : never;

export class EventQueue<E extends QueuedEvent> {
  private heap: E[] = [];
  private nextSeq = 0;
  readonly capacity: number;

  constructor(capacity = 5_000_000) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Assigns the event its sequence number and inserts it. Returns false when the queue is full. */
  push(event: Unsequenced<E>): boolean {
    if (this.heap.length >= this.capacity) return false;
    const e = event as unknown as E;
    e.seq = this.nextSeq++;
    const heap = this.heap;
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = e;
    return true;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(x: QueuedEvent, y: QueuedEvent): boolean {
  return x.timeMs < y.timeMs || (x.timeMs === y.timeMs && x.seq < y.seq);
}
