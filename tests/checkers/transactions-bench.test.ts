// The anomaly checker's benchmark history (bench/transactions.ts) is what it says: the same on every run,
// serializable when generated so, and with write skew but nothing else when generated under snapshot
// isolation. Timings are not asserted here.
import { describe, expect, it } from "vitest";
import { generateHistory } from "../../bench/transactions.ts";
import { checkTransactions } from "../../graders/checkers/index.ts";

describe("the anomaly checker's bench history", () => {
  it("is deterministic", () => {
    expect(JSON.stringify(generateHistory(500, "snapshot-isolation"))).toBe(JSON.stringify(generateHistory(500, "snapshot-isolation")));
  });

  it("is serializable when generated with validation of the keys read", () => {
    const txns = generateHistory(3000, "serializable");
    const result = checkTransactions(txns, { model: "serializable" });
    expect(result.verdict).toBe("valid");
    expect(result.anomalies).toEqual([]);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.dependencies.rw).toBeGreaterThan(1000);
  });

  it("has write skew, and nothing snapshot isolation forbids, when only the keys written are validated", () => {
    const txns = generateHistory(3000, "snapshot-isolation");
    expect(checkTransactions(txns, { model: "snapshot-isolation" }).verdict).toBe("valid");
    const serializable = checkTransactions(txns, { model: "serializable" });
    expect(serializable.verdict).toBe("invalid");
    expect(serializable.forbidden).toEqual(["G2"]);
  });
});
