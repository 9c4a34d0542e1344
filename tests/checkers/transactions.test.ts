// The transactional anomaly checker on hand-made histories, both ways: each anomaly class is found and
// named (with the smallest cycle), and histories a model allows are accepted under it.
import { describe, expect, it } from "vitest";
import {
  checkTransactionHistory,
  checkTransactions,
  cycleDiagram,
  cycleMermaid,
  firstForbidden,
  HistoryParseError,
  isCycleAnomaly,
  parseHistory,
  renderTxnResult,
  type ConsistencyModel,
  type CycleAnomaly,
  type MicroOp,
  type Txn,
  type TxnShape,
} from "../../graders/checkers/index.ts";

type Op = [f: MicroOp["f"], key: string | number, value: unknown];
type Spec = [status: Txn["status"], ...ops: Op[]];

/** Transactions T0, T1… in the order given, each on its own process. */
function txns(...specs: Spec[]): Txn[] {
  return specs.map(([status, ...ops], id) => ({
    id,
    process: id,
    status,
    ops: ops.map(([f, key, value]) => ({ f, key, value: value as MicroOp["value"] })),
    invokeMs: id * 10,
    returnMs: id * 10 + 5,
    where: `line ${id + 1}`,
  }));
}

const models: ConsistencyModel[] = ["read-uncommitted", "read-committed", "snapshot-isolation", "serializable"];

/** The verdict under each model, weakest first. */
function verdicts(history: Txn[], shape: TxnShape = "list-append"): string[] {
  return models.map((model) => checkTransactions(history, { model, shape }).verdict);
}

function found(history: Txn[], kind: string, shape: TxnShape = "list-append") {
  const result = checkTransactions(history, { model: "serializable", shape });
  const anomaly = result.anomalies.find((a) => a.kind === kind);
  expect(anomaly, `${kind} in ${JSON.stringify(result.counts)}`).toBeDefined();
  return { result, anomaly: anomaly! };
}

const cycleOf = (a: unknown) => (a as CycleAnomaly).cycle.map((d) => `T${d.from}-${d.kind}->T${d.to}`);

describe("list-append: histories each model allows", () => {
  it("accepts a serial history under every model", () => {
    const h = txns(["ok", ["append", "x", 1]], ["ok", ["r", "x", [1]], ["append", "x", 2]], ["ok", ["r", "x", [1, 2]], ["r", "y", null]]);
    expect(verdicts(h)).toEqual(["valid", "valid", "valid", "valid"]);
    const result = checkTransactions(h, { model: "serializable" });
    expect(result.dependencies).toEqual({ ww: 1, wr: 2, rw: 0 });
    expect(result.anomalies).toEqual([]);
  });

  it("accepts concurrent snapshots that miss each other's writes without a cycle", () => {
    // T1 reads x before T0's append and writes y; T2 sees both: T1 rw→ T0, nothing back.
    const h = txns(["ok", ["append", "x", 1]], ["ok", ["r", "x", null], ["append", "y", 1]], ["ok", ["r", "x", [1]], ["r", "y", [1]]]);
    expect(verdicts(h)).toEqual(["valid", "valid", "valid", "valid"]);
    expect(checkTransactions(h, { model: "serializable" }).dependencies.rw).toBe(1);
  });

  it("counts a transaction of unknown outcome as a writer once a read shows its element", () => {
    const h = txns(["info", ["append", "x", 1]], ["ok", ["r", "x", [1]]]);
    expect(verdicts(h)).toEqual(["valid", "valid", "valid", "valid"]);
    expect(checkTransactions(h, { model: "serializable" }).indeterminate).toBe(1);
  });

  it("accepts reads of a transaction's own appends", () => {
    const h = txns(["ok", ["r", "x", null], ["append", "x", 1], ["r", "x", [1]], ["append", "x", 2], ["r", "x", [1, 2]]]);
    expect(verdicts(h)).toEqual(["valid", "valid", "valid", "valid"]);
  });
});

describe("list-append: each anomaly class", () => {
  it("G0: two transactions' appends interleave on two keys", () => {
    const h = txns(["ok", ["append", "x", 1], ["append", "y", 1]], ["ok", ["append", "x", 2], ["append", "y", 2]], ["ok", ["r", "x", [1, 2]], ["r", "y", [2, 1]]]);
    const { anomaly } = found(h, "G0");
    expect(cycleOf(anomaly).sort()).toEqual(["T0-ww->T1", "T1-ww->T0"]);
    expect(verdicts(h)).toEqual(["invalid", "invalid", "invalid", "invalid"]);
  });

  it("G1a: a read sees an append of a failed transaction", () => {
    const h = txns(["fail", ["append", "x", 1]], ["ok", ["r", "x", [1]]]);
    const { anomaly } = found(h, "G1a");
    expect(anomaly).toMatchObject({ reader: 1, writer: 0 });
    expect(verdicts(h)).toEqual(["valid", "invalid", "invalid", "invalid"]);
  });

  it("G1b: a read sees a version its writer went on to overwrite", () => {
    const h = txns(["ok", ["append", "x", 1], ["append", "x", 2]], ["ok", ["r", "x", [1]]], ["ok", ["r", "x", [1, 2]]]);
    expect(found(h, "G1b").anomaly).toMatchObject({ reader: 1, writer: 0 });
    expect(verdicts(h)).toEqual(["valid", "invalid", "invalid", "invalid"]);
  });

  it("G1c: each of two transactions reads the other's append", () => {
    const h = txns(["ok", ["append", "x", 1], ["r", "y", [1]]], ["ok", ["append", "y", 1], ["r", "x", [1]]]);
    const { anomaly } = found(h, "G1c");
    expect(cycleOf(anomaly).sort()).toEqual(["T0-wr->T1", "T1-wr->T0"]);
    expect(verdicts(h)).toEqual(["valid", "invalid", "invalid", "invalid"]);
  });

  it("G-single: read skew, one key before a transaction and one after it", () => {
    const h = txns(["ok", ["append", "x", 1], ["append", "y", 1]], ["ok", ["r", "x", null], ["r", "y", [1]]]);
    const { anomaly } = found(h, "G-single");
    expect(cycleOf(anomaly)).toEqual(["T1-rw->T0", "T0-wr->T1"]);
    expect((anomaly as CycleAnomaly).lostUpdate).toBeUndefined();
    expect(verdicts(h)).toEqual(["valid", "valid", "invalid", "invalid"]);
  });

  it("lost update: two transactions read the same list and both append (G-single of two, and named)", () => {
    const h = txns(["ok", ["r", "x", null], ["append", "x", 1]], ["ok", ["r", "x", null], ["append", "x", 2]], ["ok", ["r", "x", [1, 2]]]);
    const { result } = found(h, "lost-update");
    const single = result.anomalies.find((a) => a.kind === "G-single") as CycleAnomaly;
    expect(single.lostUpdate).toBe(true);
    expect(cycleOf(single).sort()).toEqual(["T0-ww->T1", "T1-rw->T0"]);
    expect(verdicts(h)).toEqual(["valid", "valid", "invalid", "invalid"]);
  });

  it("finds a lost update even when no later read orders the two appends", () => {
    const h = txns(["ok", ["r", "x", [0]], ["append", "x", 1]], ["ok", ["r", "x", [0]], ["append", "x", 2]], ["ok", ["append", "x", 0]]);
    expect(verdicts(h)).toEqual(["valid", "valid", "invalid", "invalid"]);
  });

  it("G2: write skew, each transaction misses the other's write to another key", () => {
    const h = txns(
      ["ok", ["r", "x", null], ["r", "y", null], ["append", "x", 1]],
      ["ok", ["r", "x", null], ["r", "y", null], ["append", "y", 1]],
      ["ok", ["r", "x", [1]], ["r", "y", [1]]],
    );
    const { result, anomaly } = found(h, "G2");
    expect(cycleOf(anomaly).sort()).toEqual(["T0-rw->T1", "T1-rw->T0"]);
    expect(result.counts["G-single"]).toBeUndefined();
    expect(verdicts(h)).toEqual(["valid", "valid", "valid", "invalid"]);
    // Under snapshot isolation it is named as allowed.
    const si = checkTransactions(h, { model: "snapshot-isolation" });
    expect(renderTxnResult(si, h)).toMatch(/Also found, allowed under snapshot isolation: G2/);
  });

  it("reports the smallest cycle of a component, not the first found", () => {
    // A wr chain T0 → T1 → T2 → T3 → T0 (each reads the previous one's key) and a shortcut T2 → T0.
    const h = txns(
      ["ok", ["append", "a", 1], ["r", "d", [1]], ["r", "c", [1]]],
      ["ok", ["append", "b", 1], ["r", "a", [1]]],
      ["ok", ["append", "c", 1], ["r", "b", [1]]],
      ["ok", ["append", "d", 1], ["r", "c", [1]]],
    );
    const { anomaly } = found(h, "G1c");
    expect(cycleOf(anomaly)).toHaveLength(3);
    expect(cycleOf(anomaly).sort()).toEqual(["T0-wr->T1", "T1-wr->T2", "T2-wr->T0"]);
  });

  it("internal: a read that does not show the transaction's own earlier append", () => {
    const h = txns(["ok", ["append", "x", 1], ["r", "x", null]]);
    found(h, "internal");
    expect(verdicts(h)).toEqual(["invalid", "invalid", "invalid", "invalid"]);
  });

  it("non-repeatable read: a second read shows another transaction's commit (read committed allows it)", () => {
    const h = txns(["ok", ["r", "x", [1]], ["append", "x", 3], ["r", "x", [1, 2, 3]]], ["ok", ["append", "x", 1]], ["ok", ["append", "x", 2]]);
    found(h, "non-repeatable-read");
    expect(found(h, "non-repeatable-read").result.counts.internal).toBeUndefined();
    expect(verdicts(h)).toEqual(["valid", "valid", "invalid", "invalid"]);
    // A later read that loses what the earlier one showed is internal, at every level.
    expect(verdicts(txns(["ok", ["r", "x", [1]], ["r", "x", [2]]], ["ok", ["append", "x", 1]], ["ok", ["append", "x", 2]]))).toEqual(["invalid", "invalid", "invalid", "invalid"]);
  });

  it("incompatible-order: two reads that are not prefixes of one list", () => {
    const h = txns(["ok", ["append", "x", 1]], ["ok", ["append", "x", 2]], ["ok", ["r", "x", [1, 2]]], ["ok", ["r", "x", [2, 1]]]);
    expect(found(h, "incompatible-order").anomaly).toMatchObject({ reader: 3, other: 2 });
    expect(verdicts(h)).toEqual(["invalid", "invalid", "invalid", "invalid"]);
  });

  it("duplicate-elements and garbage-read", () => {
    const h = txns(["ok", ["append", "x", 1]], ["ok", ["r", "x", [1, 1]]], ["ok", ["r", "y", [7]]]);
    found(h, "duplicate-elements");
    expect(found(h, "garbage-read").anomaly).toMatchObject({ reader: 2, expected: 7 });
  });

  it("explains a cycle in words and as a diagram", () => {
    const h = txns(["ok", ["append", "x", 1], ["append", "y", 1]], ["ok", ["r", "x", null], ["r", "y", [1]]]);
    const result = checkTransactions(h, { model: "snapshot-isolation" });
    const text = renderTxnResult(result, h);
    expect(text).toMatch(/^not snapshot isolation: G-single/);
    expect(text).toContain("T1 ─rw x→ T0 ─wr y→ T1");
    expect(text).toContain("T1 read key x empty, and T0 appended 1 after that");
    const anomaly = firstForbidden(result)!;
    expect(isCycleAnomaly(anomaly)).toBe(true);
    const diagram = cycleDiagram(anomaly as CycleAnomaly, h, "list-append");
    expect(diagram.edges.map((e) => `${e.from}-${e.kind}->${e.to}`)).toEqual(["T1-rw->T0", "T0-wr->T1"]);
    expect(cycleMermaid(diagram)).toContain('T1 -- "rw" --> T0');
  });

  it("says unknown when the search budget runs out before a forbidden class is settled", () => {
    const h = txns(
      ["ok", ["r", "x", null], ["r", "y", null], ["append", "x", 1]],
      ["ok", ["r", "x", null], ["r", "y", null], ["append", "y", 1]],
      ["ok", ["r", "x", [1]], ["r", "y", [1]]],
    );
    const result = checkTransactions(h, { model: "serializable", stepsMax: 0 });
    expect(result.verdict).toBe("unknown");
    expect(result.unsearched).toEqual(["G-single", "G2"]);
    // Read committed needs no anti-dependency search: its verdict stands.
    expect(checkTransactions(h, { model: "read-committed", stepsMax: 0 }).verdict).toBe("valid");
  });

  it("gives the same answer every time (deterministic order of search)", () => {
    const h = txns(["ok", ["append", "x", 1], ["append", "y", 1]], ["ok", ["append", "x", 2], ["append", "y", 2]], ["ok", ["r", "x", [1, 2]], ["r", "y", [2, 1]]]);
    expect(JSON.stringify(checkTransactions(h, { model: "serializable" }))).toBe(JSON.stringify(checkTransactions(h, { model: "serializable" })));
  });
});

describe("rw-register", () => {
  const shape = "rw-register" as const;

  it("accepts a serial history", () => {
    const h = txns(["ok", ["w", "x", 1]], ["ok", ["r", "x", 1], ["w", "x", 2]], ["ok", ["r", "x", 2], ["r", "y", null]]);
    expect(verdicts(h, shape)).toEqual(["valid", "valid", "valid", "valid"]);
  });

  it("G1a, G1b and internal", () => {
    expect(verdicts(txns(["fail", ["w", "x", 1]], ["ok", ["r", "x", 1]]), shape)).toEqual(["valid", "invalid", "invalid", "invalid"]);
    found(txns(["ok", ["w", "x", 1], ["w", "x", 2]], ["ok", ["r", "x", 1]]), "G1b", shape);
    found(txns(["ok", ["w", "x", 1], ["r", "x", 3]]), "internal", shape);
  });

  it("non-repeatable read of a register", () => {
    const h = txns(["ok", ["r", "x", null], ["r", "x", 1]], ["ok", ["w", "x", 1]]);
    expect(verdicts(h, shape)).toEqual(["valid", "valid", "invalid", "invalid"]);
  });

  it("lost update: both read one version and both write", () => {
    const h = txns(["ok", ["w", "x", 0]], ["ok", ["r", "x", 0], ["w", "x", 1]], ["ok", ["r", "x", 0], ["w", "x", 2]]);
    found(h, "lost-update", shape);
    expect(verdicts(h, shape)).toEqual(["valid", "valid", "invalid", "invalid"]);
  });

  it("G2: write skew from the initial version", () => {
    const h = txns(["ok", ["r", "x", null], ["r", "y", null], ["w", "x", 1]], ["ok", ["r", "x", null], ["r", "y", null], ["w", "y", 1]]);
    found(h, "G2", shape);
    expect(verdicts(h, shape)).toEqual(["valid", "valid", "valid", "invalid"]);
  });

  it("G1c: each reads the other's write", () => {
    const h = txns(["ok", ["w", "x", 1], ["r", "y", 1]], ["ok", ["w", "y", 1], ["r", "x", 1]]);
    found(h, "G1c", shape);
    expect(verdicts(h, shape)).toEqual(["valid", "invalid", "invalid", "invalid"]);
  });
});

describe("from history files", () => {
  const edn = [
    "{:process 0, :type :invoke, :f :txn, :value [[:append :x 1] [:r :y nil]]}",
    "{:process 1, :type :invoke, :f :txn, :value [[:append :y 1] [:r :x nil]]}",
    "{:process 0, :type :ok, :f :txn, :value [[:append :x 1] [:r :y [1]]]}",
    "{:process 1, :type :ok, :f :txn, :value [[:append :y 1] [:r :x [1]]]}",
    "{:process 2, :type :invoke, :f :txn, :value [[:append :z 1]]}",
    "{:process 2, :type :fail, :f :txn, :value [[:append :z 1]], :error 30}",
  ].join("\n");

  it("reads Jepsen EDN and finds G1c, naming lines", () => {
    const { result, txns: read } = checkTransactionHistory(parseHistory(edn).operations, { model: "read-committed" });
    expect(result.verdict).toBe("invalid");
    expect(result.forbidden).toEqual(["G1c"]);
    expect(result.failed).toBe(1);
    expect(renderTxnResult(result, read)).toContain("T0 (line 1, committed): append x 1; r y [1]");
  });

  it("reads JSON lines the same way", () => {
    const json = [
      '{"process": 0, "type": "invoke", "f": "txn", "value": [["append", 1, 1]]}',
      '{"process": 0, "type": "ok", "f": "txn", "value": [["append", 1, 1]]}',
      '{"process": 1, "type": "invoke", "f": "txn", "value": [["r", 1, null]]}',
      '{"process": 1, "type": "ok", "f": "txn", "value": [["r", 1, [1]]]}',
    ].join("\n");
    expect(checkTransactionHistory(parseHistory(json).operations, { model: "serializable" }).result.verdict).toBe("valid");
  });

  it("refuses what it cannot read, with the line", () => {
    const bad = (lines: string[]) => () => checkTransactionHistory(parseHistory(lines.join("\n")).operations, { model: "serializable" });
    expect(bad(['{"process": 0, "type": "invoke", "f": "read", "value": null}'])).toThrow(/line 1: expected f "txn"/);
    expect(bad(['{"process": 0, "type": "invoke", "f": "txn", "value": [["cas", 1, 2]]}'])).toThrow(HistoryParseError);
    const twice = ['{"process": 0, "type": "invoke", "f": "txn", "value": [["append", 1, 5]]}', '{"process": 1, "type": "invoke", "f": "txn", "value": [["append", 1, 5]]}'];
    expect(bad(twice)).toThrow(/line 2: expected each value appended once per key/);
  });
});
