import { describe, expect, it } from "vitest";
import { completedOps, definitelyFailed } from "../../graders/checkers/history-ops.ts";
import { completionStatus, outcomeOf, pairHistory, type ClientEvent, type HistoryEvent } from "../../graders/sim/history.ts";

const e = (process: string, type: HistoryEvent["type"], n: number): HistoryEvent<number> => ({ process, type, f: "f", value: n, timeMs: n });

describe("pairHistory", () => {
  it("pairs each invoke with the next completion of its process, interleaved processes apart, in invoke order", () => {
    const ops = pairHistory([e("a", "invoke", 1), e("b", "invoke", 2), e("b", "ok", 3), e("a", "fail", 4), e("a", "invoke", 5)]);
    expect(ops.map((op) => [op.id, op.value, op.returnMs, op.status])).toEqual([
      [0, 1, 4, "fail"],
      [1, 2, 3, "ok"],
      [2, 5, Infinity, "info"],
    ]);
  });

  it("leaves malformed input to the policy: lenient by default, rejected when the policy throws", () => {
    const events = [e("a", "ok", 1), e("a", "invoke", 2), e("a", "invoke", 3), e("a", "ok", 4)];
    expect(pairHistory(events).map((op) => [op.value, op.returnMs])).toEqual([
      [2, Infinity],
      [3, 4],
    ]);
    const seen: string[] = [];
    pairHistory(events, { orphan: (c) => seen.push(`orphan ${c.value}`), reinvoke: (o, n) => seen.push(`reinvoke ${o.value}→${n.value}`), match: (i, c) => seen.push(`pair ${i.value}+${c.value}`) });
    expect(seen).toEqual(["orphan 1", "reinvoke 2→3", "pair 3+4"]);
    expect(() => pairHistory(events, { match: () => { throw new Error("no"); } })).toThrow("no");
  });

  it("takes the output and its line from a completion that says what happened, and keeps the invoke's value for an unknown one", () => {
    const ops = pairHistory([
      { process: 0, type: "invoke", f: "read", value: null, timeMs: 0, line: 1 },
      { process: 1, type: "invoke", f: "write", value: 3, timeMs: 1, line: 2 },
      { process: 0, type: "ok", f: "read", value: 5, timeMs: 2, line: 3 },
      { process: 1, type: "info", f: "write", value: null, timeMs: 4, line: 4 },
    ]);
    expect(ops).toEqual([
      { id: 0, process: 0, f: "read", value: null, output: 5, status: "ok", invokeMs: 0, returnMs: 2, line: 1, outputLine: 3 },
      { id: 1, process: 1, f: "write", value: 3, output: 3, status: "info", invokeMs: 1, returnMs: 4, line: 2 },
    ]);
  });
});

describe("completedOps", () => {
  it("keeps the node, the error code and an open end for operations that never completed", () => {
    const history: ClientEvent[] = [
      { process: "c1", type: "invoke", f: "write", value: 1, timeMs: 0, node: "n1" },
      { process: "c2", type: "invoke", f: "read", value: null, timeMs: 1, node: "n2" },
      { process: "c1", type: "fail", f: "write", value: 1, timeMs: 5, node: "n1", code: 11 },
    ];
    const ops = completedOps(history);
    expect(ops).toEqual([
      { id: 0, process: "c1", f: "write", node: "n1", value: 1, output: 1, status: "fail", invokeMs: 0, returnMs: 5, code: 11, line: 0 },
      { id: 1, process: "c2", f: "read", node: "n2", value: null, output: null, status: "info", invokeMs: 1, returnMs: Infinity, line: 0 },
    ]);
    expect(ops.map(outcomeOf)).toEqual(["fail", "pending"]);
    expect(completedOps(history)).toBe(ops); // paired once per history
  });
});

describe("what a completion tells the client (Maelstrom's definite errors)", () => {
  it("keeps a fail with a definite code or none, and makes a fail with an indefinite or unknown code an info", () => {
    expect(completionStatus("fail", 11)).toBe("fail");
    expect(completionStatus("fail", 22)).toBe("fail");
    expect(completionStatus("fail", undefined)).toBe("fail");
    expect(completionStatus("fail", 0)).toBe("info"); // timeout: it may have happened
    expect(completionStatus("fail", 13)).toBe("info"); // crash
    expect(completionStatus("fail", 1000)).toBe("info"); // a code nobody defined
    expect(completionStatus("info", 11)).toBe("info"); // the client did not learn the outcome
    expect(completionStatus("ok", undefined)).toBe("ok");
  });

  it("pairs operations by that rule, so every checker sees a timeout reported as fail as unknown", () => {
    const history: ClientEvent[] = [
      { process: "c1", type: "invoke", f: "write", value: 1, timeMs: 0, node: "n1" },
      { process: "c1", type: "fail", f: "write", value: 1, timeMs: 5, node: "n1", code: 0 },
      { process: "c1", type: "invoke", f: "write", value: 2, timeMs: 6, node: "n1" },
      { process: "c1", type: "fail", f: "write", value: 2, timeMs: 9, node: "n1", code: 11 },
    ];
    const ops = completedOps(history);
    expect(ops.map((op) => op.status)).toEqual(["info", "fail"]);
    expect(ops.map(definitelyFailed)).toEqual([false, true]);
  });
});
