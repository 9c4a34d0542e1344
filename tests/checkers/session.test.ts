import { describe, expect, it } from "vitest";
import {
  checkConvergence,
  checkNoAbortedReads,
  checkNoStaleReads,
  checkMonotonicReads,
  checkMonotonicWrites,
  checkReadYourWrites,
  checkSessionGuarantees,
  checkWritesFollowReads,
  findStaleReads,
  sessionChecks,
  stalenessMetrics,
} from "../../graders/checkers/index.ts";
import type { ClientEvent, ClientOperation } from "../../graders/sim/history.ts";
import { clientOp, nodeRun, type Outcome } from "../support/runs.ts";

/** A write of key=value by a client, invoked at `invokeMs`, completing at `returnMs` with `outcome`. */
function w(process: string, key: string, value: unknown, invokeMs: number, returnMs: number, outcome: Outcome = "ok", node = "n1"): ClientOperation {
  return clientOp({ process, f: "write", node, value: { key, value }, outcome, invokeMs, returnMs });
}

/** An ok read of key by a client that returned `value` (null: the key had no value). */
function r(process: string, key: string, value: unknown, invokeMs: number, returnMs: number, outcome: Outcome = "ok", node = "n2"): ClientOperation {
  return clientOp({ process, f: "read", node, value: { key }, output: value, outcome, invokeMs, returnMs });
}

describe("read-your-writes", () => {
  it("holds when a client reads its own write", () => {
    const out = checkReadYourWrites([w("c1", "x", 1, 0, 10), r("c1", "x", 1, 20, 25)]);
    expect(out.ok).toBe(true);
    expect(out.metrics).toEqual({ checkedReads: 1, violations: 0 });
    expect(out.message).toMatch(/^read-your-writes holds/);
  });

  it("holds when a client reads a newer write by another client", () => {
    const ops = [w("c1", "x", 1, 0, 10), w("c2", "x", 2, 5, 15), r("c1", "x", 2, 20, 25)];
    expect(checkReadYourWrites(ops).ok).toBe(true);
  });

  it("does not hold another client to someone else's write", () => {
    const ops = [w("c1", "x", 1, 0, 10), r("c2", "x", null, 20, 25)];
    expect(checkReadYourWrites(ops)).toMatchObject({ ok: true, metrics: { checkedReads: 0 } });
  });

  it("reports a read of an older version than the client's latest write", () => {
    const ops = [w("c1", "x", 1, 0, 10), w("c1", "x", 2, 20, 30), r("c1", "x", 1, 40, 45)];
    const out = checkReadYourWrites(ops);
    expect(out.ok).toBe(false);
    expect(out.violation).toMatchObject({ guarantee: "read-your-writes", client: "c1", key: "x", first: ops[1], second: ops[2] });
    expect(out.message).toContain("read-your-writes violated for client c1");
    expect(out.message).toContain("c1's write x=2 (20 ms → 30 ms, on n1)");
    expect(out.message).toContain("c1's read of x returned 1 (40 ms → 45 ms, on n2)");
    expect(out.message).toContain("acknowledged at 10 ms");
    expect(out.message).toContain("ordered by when their writes were acknowledged");
    expect(out.message).toMatch(/sticky sessions|version token/);
  });

  it("reports a read of no value after the client's acknowledged write, and only the first violation", () => {
    const ops = [w("c1", "x", 1, 0, 10), r("c1", "x", null, 20, 25), r("c1", "x", null, 30, 35)];
    const out = checkReadYourWrites(ops);
    expect(out.ok).toBe(false);
    expect(out.violation?.second).toBe(ops[1]);
    expect(out.metrics).toEqual({ checkedReads: 2, violations: 2 });
    expect(out.message).toContain("returned no value");
    expect(out.message).toContain("1 more violation.");
  });

  it("ignores failed writes, and never relies on an info write having happened", () => {
    // The failed write did not happen: reading nothing is right.
    expect(checkReadYourWrites([w("c1", "x", 1, 0, 10, "fail"), r("c1", "x", null, 20, 25)]).ok).toBe(true);
    // The info write may not have happened: reading nothing is allowed.
    expect(checkReadYourWrites([w("c1", "x", 1, 0, 10, "info"), r("c1", "x", null, 20, 25)]).ok).toBe(true);
    // Nor does it move the client's latest write: reading its acknowledged write x=1 is fine.
    expect(checkReadYourWrites([w("c1", "x", 1, 0, 10), w("c1", "x", 2, 20, 30, "info"), r("c1", "x", 1, 40, 45)]).ok).toBe(true);
    // A pending write (no reply before the run ended) is like info.
    expect(checkReadYourWrites([w("c1", "x", 1, 0, 10, "pending"), r("c1", "x", null, 20, 25)]).ok).toBe(true);
    // Failed and info reads are not judged.
    expect(checkReadYourWrites([w("c1", "x", 1, 0, 10), r("c1", "x", null, 20, 25, "fail"), r("c1", "x", null, 30, 35, "info")]).ok).toBe(true);
  });

  it("does not judge a read of a value only a failed write wrote", () => {
    const ops = [w("c1", "x", 1, 0, 10), w("c1", "x", 2, 20, 30, "fail"), r("c1", "x", 2, 40, 45)];
    expect(checkReadYourWrites(ops)).toMatchObject({ ok: true, metrics: { checkedReads: 1 } });
  });
});

describe("monotonic reads", () => {
  const writes = [w("c9", "x", 1, 0, 10), w("c9", "x", 2, 20, 30)];

  it("holds when reads move forward", () => {
    expect(checkMonotonicReads([...writes, r("c1", "x", 1, 15, 16), r("c1", "x", 1, 17, 18), r("c1", "x", 2, 40, 41)]).ok).toBe(true);
  });

  it("holds per key and per client", () => {
    const ops = [...writes, w("c9", "y", 1, 0, 10), r("c1", "x", 2, 40, 41), r("c1", "y", null, 42, 43), r("c2", "x", 1, 44, 45)];
    expect(checkMonotonicReads(ops).ok).toBe(true);
  });

  it("reports reading an older version after a newer one", () => {
    const ops = [...writes, r("c1", "x", 2, 40, 41), r("c1", "x", 1, 50, 51, "ok", "n3")];
    const out = checkMonotonicReads(ops);
    expect(out.ok).toBe(false);
    expect(out.violation).toMatchObject({ guarantee: "monotonic-reads", client: "c1", key: "x", first: ops[2], second: ops[3] });
    expect(out.message).toContain("monotonic-reads violated for client c1");
    expect(out.message).toContain("c1's read of x returned 2 (40 ms → 41 ms, on n2) (written by c9, acknowledged at 30 ms)");
    expect(out.message).toContain("c1's read of x returned 1 (50 ms → 51 ms, on n3)");
    expect(out.message).toContain("version token");
  });

  it("reports reading no value after a value", () => {
    const out = checkMonotonicReads([...writes, r("c1", "x", 1, 40, 41), r("c1", "x", null, 50, 51)]);
    expect(out.ok).toBe(false);
    expect(out.message).toContain("returned no value (50 ms");
  });

  it("places info writes nowhere, except after the initial value once a read saw them", () => {
    const info = w("c9", "x", 3, 35, 45, "info");
    // 3's place among the acknowledged writes is unknown: reading 1 after 3 is not judged.
    expect(checkMonotonicReads([...writes, info, r("c1", "x", 3, 50, 51), r("c1", "x", 1, 60, 61)]).ok).toBe(true);
    // But 3 certainly happened (it was read), so reading no value afterwards went backwards.
    expect(checkMonotonicReads([...writes, info, r("c1", "x", 3, 50, 51), r("c1", "x", null, 60, 61)]).ok).toBe(false);
    // A failed write's value is never placed.
    expect(checkMonotonicReads([...writes, w("c9", "x", 4, 35, 45, "fail"), r("c1", "x", 4, 50, 51), r("c1", "x", null, 60, 61)]).ok).toBe(true);
  });
});

describe("monotonic writes", () => {
  const writes = [w("c1", "x", 1, 0, 10), w("c1", "x", 2, 20, 30)];

  it("holds when readers see a client's writes in order", () => {
    expect(checkMonotonicWrites([...writes, r("c2", "x", 1, 25, 26), r("c2", "x", 2, 40, 41), r("c2", "x", 2, 50, 51)]).ok).toBe(true);
  });

  it("holds with writes by several clients interleaved", () => {
    const ops = [...writes, w("c3", "x", 9, 12, 18), r("c2", "x", 9, 19, 19), r("c2", "x", 1, 21, 22), r("c2", "x", 2, 40, 41)];
    // (Reading 1 after 9 is a monotonic-reads matter, not a monotonic-writes one: they are different clients' writes.)
    expect(checkMonotonicWrites(ops).ok).toBe(true);
  });

  it("reports a reader that sees the later write, then the earlier", () => {
    const ops = [...writes, r("c2", "x", 2, 40, 41), r("c2", "x", 1, 50, 51)];
    const out = checkMonotonicWrites(ops);
    expect(out.ok).toBe(false);
    expect(out.violation).toMatchObject({ guarantee: "monotonic-writes", client: "c1", observer: "c2", key: "x", first: ops[2], second: ops[3], via: ops[1] });
    expect(out.message).toContain("monotonic-writes violated for client c1");
    expect(out.message).toContain("it issued c1's write x=1 (0 ms → 10 ms, on n1) before c1's write x=2 (20 ms → 30 ms, on n1)");
    expect(out.message).toContain("c2's read of x returned 2 (40 ms → 41 ms, on n2) and then c2's read of x returned 1 (50 ms → 51 ms, on n2)");
    expect(out.message).toContain("sequence number");
  });

  it("reports it across three writes, naming the first reader to see it", () => {
    const ops = [...writes, w("c1", "x", 3, 31, 40), r("c4", "x", 3, 41, 42), r("c4", "x", 2, 43, 44), r("c2", "x", 3, 45, 46), r("c2", "x", 1, 47, 48)];
    const out = checkMonotonicWrites(ops);
    expect(out.ok).toBe(false);
    expect(out.violation).toMatchObject({ observer: "c4", second: ops[4] });
    expect(out.metrics).toEqual({ checkedReads: 2, violations: 2 });
  });

  it("does not count a failed write", () => {
    const ops = [w("c1", "x", 1, 0, 10, "fail"), w("c1", "x", 2, 20, 30), r("c2", "x", 2, 40, 41), r("c2", "x", 1, 50, 51)];
    expect(checkMonotonicWrites(ops).ok).toBe(true);
  });

  it("judges an info write only once a read showed it happened", () => {
    const earlierInfo = [w("c1", "x", 1, 0, 10, "info"), w("c1", "x", 2, 20, 30)];
    // Not seen: nothing to judge.
    expect(checkMonotonicWrites([...earlierInfo, r("c2", "x", 2, 40, 41), r("c2", "x", 2, 50, 51)]).ok).toBe(true);
    // Seen after the later write: it took effect after a write the client issued later.
    expect(checkMonotonicWrites([...earlierInfo, r("c2", "x", 2, 40, 41), r("c2", "x", 1, 50, 51)]).ok).toBe(false);
  });
});

describe("writes follow reads", () => {
  // c1 writes x=1; c2 reads it and then writes y=1.
  const base = [w("c1", "x", 1, 0, 10), r("c2", "x", 1, 20, 21), w("c2", "y", 1, 30, 40)];

  it("holds when whoever sees the write also sees what it followed", () => {
    expect(checkWritesFollowReads([...base, r("c3", "y", 1, 50, 51), r("c3", "x", 1, 60, 61)]).ok).toBe(true);
  });

  it("holds when a reader has not seen the dependent write", () => {
    expect(checkWritesFollowReads([...base, r("c3", "x", null, 5, 6), r("c3", "y", null, 50, 51), r("c3", "x", null, 60, 61)]).ok).toBe(true);
  });

  it("reports a reader that sees the write but not what its writer had read (another key)", () => {
    const ops = [...base, r("c3", "y", 1, 50, 51), r("c3", "x", null, 60, 61, "ok", "n3")];
    const out = checkWritesFollowReads(ops);
    expect(out.ok).toBe(false);
    expect(out.violation).toMatchObject({ guarantee: "writes-follow-reads", client: "c2", observer: "c3", key: "x", first: ops[1], second: ops[4], via: ops[2] });
    expect(out.message).toContain("writes-follow-reads violated for client c2");
    expect(out.message).toContain("c2's read of x returned 1 (20 ms → 21 ms, on n2)");
    expect(out.message).toContain("c2's write y=1 (30 ms → 40 ms, on n1)");
    expect(out.message).toContain("c3's read of y returned 1 (50 ms → 51 ms, on n2) and then c3's read of x returned no value (60 ms → 61 ms, on n3)");
    expect(out.message).toContain("dependencies");
  });

  it("reports an older version of the key read, by acknowledgment order", () => {
    const ops = [w("c1", "x", 1, 0, 10), w("c1", "x", 2, 11, 15), r("c2", "x", 2, 20, 21), w("c2", "y", 1, 30, 40), r("c3", "y", 1, 50, 51), r("c3", "x", 1, 60, 61)];
    expect(checkWritesFollowReads(ops).violation).toMatchObject({ client: "c2", observer: "c3", second: ops[5] });
  });

  it("reports the read value reappearing after a write to the same key that followed it", () => {
    const ops = [w("c1", "x", 1, 0, 10), r("c2", "x", 1, 20, 21), w("c2", "x", 2, 30, 40), r("c3", "x", 2, 50, 51), r("c3", "x", 1, 60, 61)];
    expect(checkWritesFollowReads(ops).violation).toMatchObject({ client: "c2", observer: "c3", key: "x", second: ops[4] });
  });

  it("never relies on an info write's place in the version order", () => {
    // c2 read x=2, whose write is info: whether x=1 is older than x=2 is unknown.
    const ops = [w("c1", "x", 1, 0, 10), w("c1", "x", 2, 11, 15, "info"), r("c2", "x", 2, 20, 21), w("c2", "y", 1, 30, 40), r("c3", "y", 1, 50, 51), r("c3", "x", 1, 60, 61)];
    expect(checkWritesFollowReads(ops).ok).toBe(true);
    // Failed writes carry no dependencies and cannot be observed.
    const failed = [w("c1", "x", 1, 0, 10), r("c2", "x", 1, 20, 21), w("c2", "y", 1, 30, 40, "fail"), r("c3", "y", 1, 50, 51), r("c3", "x", null, 60, 61)];
    expect(checkWritesFollowReads(failed).ok).toBe(true);
  });
});

describe("all guarantees", () => {
  it("pass on a clean history, and read runs through completedOps", () => {
    const history: ClientEvent[] = [
      { process: "c1", type: "invoke", f: "write", value: { key: "x", value: 1 }, timeMs: 0, node: "n1" },
      { process: "c1", type: "ok", f: "write", value: undefined, timeMs: 10, node: "n1" },
      { process: "c2", type: "invoke", f: "read", value: { key: "x" }, timeMs: 12, node: "n2" },
      { process: "c2", type: "ok", f: "read", value: 1, timeMs: 14, node: "n2" },
      { process: "c1", type: "invoke", f: "read", value: { key: "x" }, timeMs: 15, node: "n2" },
      { process: "c1", type: "ok", f: "read", value: null, timeMs: 16, node: "n2" },
    ];
    const run = nodeRun({ history });
    expect(sessionChecks["monotonic-reads"]!(run, {}).ok).toBe(true);
    const ryw = sessionChecks["read-your-writes"]!(run, {});
    expect(ryw.ok).toBe(false);
    expect(ryw.message).toContain("c1's read of x returned no value (15 ms → 16 ms, on n2)");
    const staleness = sessionChecks.staleness!(run, { maxRate: 0.4 });
    expect(staleness).toMatchObject({ ok: false, metrics: { reads: 2, staleReads: 1, staleReadRate: 0.5 } });

    const clean = [w("c1", "x", 1, 0, 10), r("c1", "x", 1, 20, 21), r("c2", "x", 1, 22, 23), w("c2", "y", 2, 30, 40), r("c1", "y", 2, 50, 51), r("c1", "x", 1, 52, 53)];
    for (const outcome of Object.values(checkSessionGuarantees(clean))) expect(outcome.ok).toBe(true);
  });
});

describe("staleness metrics", () => {
  it("counts stale reads and measures how long their value had been overwritten", () => {
    const ops = [
      w("c1", "x", 1, 0, 10),
      w("c1", "x", 2, 20, 30),
      w("c1", "x", 3, 40, 50),
      r("c2", "x", null, 5, 6), // nothing acknowledged yet: fresh
      r("c2", "x", null, 15, 16), // x=1 acknowledged at 10: stale by 5 ms
      r("c2", "x", 1, 38, 39), // x=2 acknowledged at 30: stale by 8 ms
      r("c3", "x", 2, 45, 46), // x=3 not yet acknowledged at 45: fresh
      r("c3", "x", 3, 46, 60), // concurrent newer write: fresh
      r("c3", "x", 1, 100, 101), // overwritten by x=2 at 30: stale by 70 ms
      r("c3", "x", "ghost", 102, 103), // nobody wrote it: not placed
      w("c4", "y", 9, 0, 10, "info"),
      r("c4", "y", 9, 20, 21), // an info write's value: not placed
      r("c4", "y", null, 30, 31, "fail"), // failed reads do not count
      w("c4", "y", 8, 40, 50, "fail"),
      r("c4", "y", null, 60, 61), // the failed write did not happen: fresh
    ];
    expect(stalenessMetrics(ops)).toEqual({
      reads: 7,
      staleReads: 3,
      staleReadRate: 3 / 7,
      stalenessMsP50: 8,
      stalenessMsMax: 70,
      unknownReads: 2,
    });
  });

  it("is all zeros without reads", () => {
    expect(stalenessMetrics([w("c1", "x", 1, 0, 10)])).toEqual({ reads: 0, staleReads: 0, staleReadRate: 0, stalenessMsP50: 0, stalenessMsMax: 0, unknownReads: 0 });
  });
});

describe("convergence", () => {
  const finals = (entries: Record<string, Record<string, unknown>>) => new Map(Object.entries(entries).map(([node, kv]) => [node, new Map(Object.entries(kv))]));

  it("agrees when every replica holds the same values (object key order aside)", () => {
    const out = checkConvergence(finals({ n1: { x: 1, y: { a: 1, b: [2] } }, n2: { y: { b: [2], a: 1 }, x: 1 }, n3: { x: 1, y: { a: 1, b: [2] } } }));
    expect(out).toMatchObject({ ok: true, metrics: { replicas: 3, keys: 2, disagreeingKeys: 0 } });
    expect(out.disagreement).toBeUndefined();
    expect(checkConvergence(new Map()).ok).toBe(true);
  });

  it("names the first key the replicas disagree on and what each holds", () => {
    const out = checkConvergence(finals({ n1: { x: 1, y: 2, z: 3 }, n2: { x: 1, y: 5, z: 4 }, n3: { x: 1, y: 2 } }));
    expect(out.ok).toBe(false);
    expect(out.metrics).toEqual({ replicas: 3, keys: 3, disagreeingKeys: 2 });
    expect(out.disagreement).toEqual({
      key: "y",
      values: [
        { node: "n1", present: true, value: 2 },
        { node: "n2", present: true, value: 5 },
        { node: "n3", present: true, value: 2 },
      ],
    });
    expect(out.message).toContain('replicas did not converge on key "y": n1, n3 have 2; n2 has 5');
    expect(out.message).toContain("1 more key differs");
  });

  it("counts a key missing on one replica as a disagreement", () => {
    const out = checkConvergence(finals({ n1: { x: 1 }, n2: {} }));
    expect(out.disagreement?.values[1]).toEqual({ node: "n2", present: false, value: undefined });
    expect(out.message).toContain("n1 has 1; n2 has no value");
  });
});

describe("stale reads in real-time order", () => {
  it("never holds overlapping writes against each other", () => {
    // x=1 and x=2 overlap: either may be the newer one, so a later read of 1 is not stale.
    const ops = [w("c1", "x", 1, 0, 20), w("c2", "x", 2, 10, 15), r("c3", "x", 1, 30, 31)];
    expect(findStaleReads(ops).stale).toEqual([]);
    expect(checkNoStaleReads(ops)).toMatchObject({ ok: true, metrics: { reads: 1, staleReads: 0 } });
  });

  it("flags a read of a value that a later, acknowledged write superseded, with the evidence", () => {
    const ops = [w("c1", "x", 1, 0, 10), w("c2", "x", 2, 12, 20), r("c3", "x", 1, 50, 51), r("c3", "x", null, 60, 61), r("c3", "x", 2, 70, 71)];
    const { stale } = findStaleReads(ops);
    expect(stale.map((s) => [s.read.invokeMs, s.returned?.invokeMs, s.newer.invokeMs, s.stalenessMs])).toEqual([
      [50, 0, 12, 30],
      [60, undefined, 0, 50], // no value after x=1 was acknowledged: superseded at 10
    ]);
    const out = checkNoStaleReads(ops);
    expect(out.ok).toBe(false);
    expect(out.message).toContain("c3's read of x returned 1 (50 ms → 51 ms, on n2), the value of c1's write x=1");
    expect(out.message).toContain("c2's write x=2 (12 ms → 20 ms, on n1) had been acknowledged 30 ms before that read began");
    expect(out.metrics).toMatchObject({ reads: 3, staleReads: 2, stalenessMsMax: 50 });
  });
});

describe("values of any depth", () => {
  /** An array nested `depth` deep around `leaf`, built without recursion (a node's reply can be this). */
  function nested(depth: number, leaf: unknown): unknown {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  }

  for (const depth of [3_000, 100_000]) {
    it(`judges reads of values nested ${depth.toLocaleString("en")} deep, told apart by their innermost value`, () => {
      const ops = [w("c1", "x", nested(depth, 1), 0, 10), w("c1", "x", nested(depth, 2), 20, 30), r("c1", "x", nested(depth, 1), 40, 50)];
      const out = checkReadYourWrites(ops);
      expect(out.ok).toBe(false);
      expect(out.violation).toMatchObject({ guarantee: "read-your-writes", first: ops[1], second: ops[2] });
      // The value is shown cut short, not written out in full.
      expect(out.message).toContain(`c1's write x=${"[".repeat(57)}...`);
      expect(checkMonotonicReads([...ops, r("c1", "x", nested(depth, 2), 60, 70)]).ok).toBe(true);
      expect(checkConvergence(new Map([["n1", new Map([["x", nested(depth, { a: 1, b: 2 })]])], ["n2", new Map([["x", nested(depth, { b: 2, a: 1 })]])]])).ok).toBe(true);
    });
  }
});

describe("no-aborted-reads", () => {
  /** A write that failed with `code`. */
  const failed = (process: string, key: string, value: unknown, invokeMs: number, returnMs: number, code?: number): ClientOperation => {
    return clientOp({ process, f: "write", value: { key, value }, outcome: "fail", invokeMs, returnMs, ...(code !== undefined ? { code } : {}) });
  };

  it("fails when a read returns the value of a write answered with a definite error, naming the write and the code", () => {
    const out = checkNoAbortedReads([failed("c1", "x", 7, 0, 30, 11), r("c2", "x", 7, 40, 45)]);
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/^aborted read: c2's read of x returned 7 .*the value of c1's write x=7 .*error 11 \(temporarily-unavailable\)/);
    expect(out.message).toContain("error 0 (timeout)");
    expect(out.metrics).toEqual({ failedWrites: 1, abortedReads: 1 });
  });

  it("holds a read made while the failed write was still in flight against it too: the client was told it never happened", () => {
    expect(checkNoAbortedReads([failed("c1", "x", 7, 0, 100, 11), r("c2", "x", 7, 40, 45)]).ok).toBe(false);
  });

  it("allows reading a write whose outcome is unknown (timeout, crash), or a value another write also wrote", () => {
    expect(checkNoAbortedReads([w("c1", "x", 7, 0, 30, "info"), r("c2", "x", 7, 40, 45)]).ok).toBe(true);
    expect(checkNoAbortedReads([w("c1", "x", 7, 0, 30, "pending"), r("c2", "x", 7, 40, 45)]).ok).toBe(true);
    expect(checkNoAbortedReads([failed("c1", "x", 7, 0, 30, 11), w("c3", "x", 7, 0, 30), r("c2", "x", 7, 40, 45)]).ok).toBe(true);
    // Another key's value, and reads that returned nothing, prove nothing.
    expect(checkNoAbortedReads([failed("c1", "x", 7, 0, 30, 11), r("c2", "y", 7, 40, 45), r("c2", "x", null, 50, 55)]).ok).toBe(true);
  });

  it("judges the run's history after pairing: a fail with an indefinite code is an unknown outcome there", () => {
    const history: ClientEvent[] = [
      { process: "c1", type: "invoke", f: "write", value: { key: "x", value: 7 }, timeMs: 0, node: "n1" },
      { process: "c1", type: "fail", f: "write", value: { key: "x", value: 7 }, timeMs: 30, node: "n1", code: 0 },
      { process: "c2", type: "invoke", f: "read", value: { key: "x" }, timeMs: 40, node: "n2" },
      { process: "c2", type: "ok", f: "read", value: 7, timeMs: 45, node: "n2" },
    ];
    const runOf = (h: ClientEvent[]) => nodeRun({ history: h });
    expect(sessionChecks["no-aborted-reads"]!(runOf(history), {}).ok).toBe(true);
    const definite = history.map((e) => (e.type === "fail" ? { ...e, code: 11 } : e));
    expect(sessionChecks["no-aborted-reads"]!(runOf(definite), {}).ok).toBe(false);
  });
});
