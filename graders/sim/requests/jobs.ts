/** Per-job numbers in growable typed arrays: no object per request on the hot path. */

/** A copy of a typed array in a larger one of the same kind (the tail is zero). */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(old: T, length: number): T {
  const next = new (old.constructor as new (n: number) => T)(length);
  next.set(old);
  return next;
}
export class JobTable {
  private cap = 1024;
  size = 0;
  /** When the request was meant to be sent (open loop: its arrival), in virtual ms. */
  intendedMs = new Float64Array(this.cap);
  /** When the job took a slot (NaN until then). */
  startMs = new Float64Array(this.cap);
  /** Whatever the system needs per job: a client, a key, a server… */
  a = new Int32Array(this.cap);
  b = new Int32Array(this.cap);
  /** 0 in flight, 1 finished (a late completion of a timed-out job is ignored). */
  state = new Uint8Array(this.cap);

  add(intendedMs: number, a = 0, b = 0): number {
    if (this.size === this.cap) this.grow();
    const id = this.size++;
    this.intendedMs[id] = intendedMs;
    this.startMs[id] = NaN;
    this.a[id] = a;
    this.b[id] = b;
    this.state[id] = 0;
    return id;
  }

  private grow(): void {
    this.cap *= 2;
    this.intendedMs = grown(this.intendedMs, this.cap);
    this.startMs = grown(this.startMs, this.cap);
    this.a = grown(this.a, this.cap);
    this.b = grown(this.b, this.cap);
    this.state = grown(this.state, this.cap);
  }
}
