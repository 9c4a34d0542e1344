/** Per-job numbers in growable typed arrays: no object per request on the hot path. */
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
    const f = (old: Float64Array) => {
      const n = new Float64Array(this.cap);
      n.set(old);
      return n;
    };
    const i = (old: Int32Array) => {
      const n = new Int32Array(this.cap);
      n.set(old);
      return n;
    };
    this.intendedMs = f(this.intendedMs);
    this.startMs = f(this.startMs);
    this.a = i(this.a);
    this.b = i(this.b);
    const s = new Uint8Array(this.cap);
    s.set(this.state);
    this.state = s;
  }
}
