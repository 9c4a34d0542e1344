import { beforeEach, describe, expect, it } from "vitest";
import { causalOpsFromKv, checkCausal, type CausalOp } from "../../graders/checkers/index.ts";
import type { ClientOperation } from "../../graders/sim/history.ts";
import { clientOp, type Outcome } from "../support/runs.ts";

let clock = 0;
/** Operations in the order listed, each 10 ms after the previous one (so the list is the real-time order). */
function w(process: string, key: string, value: unknown, outcome: Outcome = "ok"): ClientOperation {
  clock += 10;
  return clientOp({ process, f: "write", node: "n1", value: { key, value }, outcome, invokeMs: clock, returnMs: clock + 5 });
}
function r(process: string, key: string, value: unknown): ClientOperation {
  clock += 10;
  return clientOp({ process, f: "read", node: "n2", value: { key }, output: value, invokeMs: clock, returnMs: clock + 5 });
}
const check = (ops: ClientOperation[]) => checkCausal(causalOpsFromKv(ops));

describe("causal consistency", () => {
  beforeEach(() => {
    clock = 0;
  });

  it("accepts a history where every read sees its causal past", () => {
    const out = check([w("c1", "x", 1), r("c2", "x", 1), w("c2", "y", 2), r("c3", "y", 2), r("c3", "x", 1)]);
    expect(out).toMatchObject({ ok: true, metrics: { causalOps: 5, causalWrites: 2, checkedReads: 3, violations: 0 } });
  });

  it("rejects a read of the initial value when a write of that key is in its causal past, and shows the chain", () => {
    const out = check([w("c1", "x", 1), r("c2", "x", 1), w("c2", "y", 2), r("c3", "y", 2), r("c3", "x", null)]);
    expect(out.ok).toBe(false);
    expect(out.violation).toMatchObject({ kind: "overwritten", read: 4, returned: undefined, newer: 0, chain: [0, 1, 2, 3, 4] });
    expect(out.message).toContain("c3's read of x returned no value");
    expect(out.message).toContain("c1's write x=1 (10 ms → 15 ms, on n1) → c2's read of x returned 1");
  });

  it("rejects a read of a value overwritten by a write that causally follows it", () => {
    const out = check([w("c1", "x", 1), w("c1", "x", 2), r("c2", "x", 2), w("c2", "y", 3), r("c3", "y", 3), r("c3", "x", 1)]);
    expect(out.violation).toMatchObject({ kind: "overwritten", read: 5, returned: 0, newer: 1, overwrite: [0, 1], chain: [1, 2, 3, 4, 5] });
    expect(out.metrics?.violations).toBe(1);
  });

  it("does not order concurrent writes: reading one after the other is allowed", () => {
    const out = check([w("c1", "x", 1), w("c2", "x", 2), r("c3", "x", 2), r("c3", "x", 1)]);
    expect(out.ok).toBe(true);
  });

  it("finds a cycle when a value is read before its own client wrote it", () => {
    const out = check([r("c1", "x", 7), w("c1", "x", 7)]);
    expect(out.ok).toBe(false);
    // The write comes before the read (reads-from), the read before the write (session order).
    expect(out.violation).toMatchObject({ kind: "cycle", chain: [1, 0] });
    expect(out.message).toContain("causal order has a cycle");
  });

  it("does not place a write of unknown outcome before its client's later operations", () => {
    expect(check([w("c1", "x", 1), w("c1", "x", 2, "info"), r("c1", "x", 1)]).ok).toBe(true);
    // Once some read returned it, it happened, and what follows that read depends on it.
    expect(check([w("c1", "x", 1), w("c1", "x", 2, "info"), r("c2", "x", 2), r("c2", "x", 1)]).ok).toBe(false);
    // A failed write never happened.
    expect(check([w("c1", "x", 1), w("c1", "x", 2, "fail"), r("c1", "x", 1)]).ok).toBe(true);
  });

  it("follows dependencies a workload recorded beyond session order and reads-from", () => {
    const ops: CausalOp[] = [
      { process: "a", kind: "write", key: "x", certain: true, invokeMs: 0, description: "a writes x" },
      { process: "b", kind: "write", key: "y", certain: true, invokeMs: 1, deps: [0], description: "b writes y after a" },
      { process: "c", kind: "read", key: "y", readsFrom: 1, invokeMs: 2, description: "c reads y" },
      { process: "c", kind: "read", key: "x", readsFrom: null, invokeMs: 3, description: "c reads x: nothing" },
    ];
    const out = checkCausal(ops);
    expect(out.violation).toMatchObject({ kind: "overwritten", read: 3, newer: 0, chain: [0, 1, 2, 3] });
    expect(checkCausal(ops.slice(0, 3)).ok).toBe(true);
  });

  it("maps reads to the writes of their values, and leaves unknown values unjudged", () => {
    const ops = causalOpsFromKv([w("c1", "x", 1), r("c2", "x", 1), r("c2", "x", null), r("c2", "x", 99)]);
    expect(ops.map((o) => o.readsFrom)).toEqual([undefined, 0, null, undefined]);
  });
});

describe("causal consistency over values of any depth", () => {
  it("matches a read to its write by value when the value is nested 100,000 deep", () => {
    clock = 0;
    const deep = (leaf: number) => {
      let value: unknown = leaf;
      for (let i = 0; i < 100_000; i++) value = [value];
      return value;
    };
    const ops = causalOpsFromKv([w("c1", "x", deep(1)), w("c1", "x", deep(2)), r("c2", "x", deep(2)), w("c2", "y", 3), r("c3", "y", 3), r("c3", "x", deep(1))]);
    expect(ops.map((op) => op.readsFrom)).toEqual([undefined, undefined, 1, undefined, 3, 0]);
    expect(checkCausal(ops).violation).toMatchObject({ kind: "overwritten", read: 5, returned: 0, newer: 1 });
  });
});
