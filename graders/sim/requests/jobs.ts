/** Per-job numbers in growable typed arrays: no object per request on the hot path. */

/** A copy of a typed array in a larger one of the same kind (the tail is zero). */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(old: T, length: number): T {
  const next = new (old.constructor as new (n: number) => T)(length);
  next.set(old);
  return next;
}
/**
 * A table of jobs (requests) with two numbers each that the system names (a client and the attempts made, a
 * key and its version…): `jobTable("client", "attempts")` has `client` and `attempts` columns, and
 * `add(intendedMs, client, attempts)` fills them in that order.
 */
export class JobTable<A extends string = never, B extends string = never> {
  private cap = 1024;
  size = 0;
  /** When the request was meant to be sent (open loop: its arrival), in virtual ms. */
  intendedMs = new Float64Array(this.cap);
  /** When the job took a slot (NaN until then). */
  startMs = new Float64Array(this.cap);
  /** 0 in flight, 1 finished (a late completion of a timed-out job is ignored). */
  state = new Uint8Array(this.cap);
  /** The system's two columns, by name. */
  readonly col: Record<A | B, Int32Array>;
  // The same two arrays by position, so add() and grow() do not look names up.
  private first: Int32Array;
  private second: Int32Array;
  private readonly names: readonly [A | undefined, B | undefined];

  constructor(first?: A, second?: B) {
    this.names = [first, second];
    this.first = new Int32Array(this.cap);
    this.second = new Int32Array(this.cap);
    this.col = {} as Record<A | B, Int32Array>;
    this.publish();
  }

  add(intendedMs: number, first = 0, second = 0): number {
    if (this.size === this.cap) this.grow();
    const id = this.size++;
    this.intendedMs[id] = intendedMs;
    this.startMs[id] = NaN;
    this.first[id] = first;
    this.second[id] = second;
    this.state[id] = 0;
    return id;
  }

  private publish(): void {
    const [a, b] = this.names;
    if (a !== undefined) this.col[a] = this.first;
    if (b !== undefined) this.col[b] = this.second;
  }

  private grow(): void {
    this.cap *= 2;
    this.intendedMs = grown(this.intendedMs, this.cap);
    this.startMs = grown(this.startMs, this.cap);
    this.first = grown(this.first, this.cap);
    this.second = grown(this.second, this.cap);
    this.state = grown(this.state, this.cap);
    this.publish();
  }
}
