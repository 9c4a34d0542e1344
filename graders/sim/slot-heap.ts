/**
 * The binary heap both event loops order their events by (sim/requests/engine.ts, design/events.ts): it
 * holds slot numbers, and a slot comes before another by its time, then by its sequence number, so events at
 * equal times run in the order they were scheduled and the order never depends on the heap's shape. The
 * slots' times and sequence numbers live in the caller's arrays, passed in so the loops keep their own
 * storage (typed arrays, or plain arrays beside payload objects).
 */
type Slots = { [index: number]: number };

function before(time: ArrayLike<number>, seq: ArrayLike<number>, x: number, y: number): boolean {
  const tx = time[x]!;
  const ty = time[y]!;
  return tx < ty || (tx === ty && seq[x]! < seq[y]!);
}

/** Puts `slot` at position `i` (the heap's new last place) and moves it up to where it belongs. */
export function siftUp(heap: Slots, i: number, slot: number, time: ArrayLike<number>, seq: ArrayLike<number>): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(time, seq, slot, heap[parent]!)) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = slot;
}

/** After the top was taken: puts `last` (the heap's former last slot) at the top of the `n` left, moving it down. */
export function siftDown(heap: Slots, n: number, last: number, time: ArrayLike<number>, seq: ArrayLike<number>): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const child = r < n && before(time, seq, heap[r]!, heap[l]!) ? r : l;
    if (!before(time, seq, heap[child]!, last)) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
}
