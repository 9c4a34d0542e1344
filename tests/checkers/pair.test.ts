import { describe, expect, it } from "vitest";
import { completionType, pairByProcess } from "../../graders/checkers/history/pair.ts";
import { completedOps, definitelyFailed } from "../../graders/checkers/history-ops.ts";
import type { HistoryOp } from "../../graders/sim/history.ts";

type E = { process: string; type: string; n: number };
const e = (process: string, type: string, n: number): E => ({ process, type, n });

describe("pairByProcess", () => {
  it("pairs each invoke with the next completion of its process, interleaved processes apart", () => {
    const pairs = pairByProcess([e("a", "invoke", 1), e("b", "invoke", 2), e("b", "ok", 3), e("a", "fail", 4), e("a", "invoke", 5)]);
    expect(pairs.map((p) => [p.invoke.n, p.completion?.n])).toEqual([
      [1, 4],
      [2, 3],
      [5, undefined],
    ]);
  });

  it("leaves malformed input to the policy: lenient by default, rejected when the policy throws", () => {
    const events = [e("a", "ok", 1), e("a", "invoke", 2), e("a", "invoke", 3), e("a", "ok", 4)];
    expect(pairByProcess(events).map((p) => [p.invoke.n, p.completion?.n])).toEqual([
      [2, undefined],
      [3, 4],
    ]);
    const seen: string[] = [];
    pairByProcess(events, { orphan: (c) => seen.push(`orphan ${c.n}`), reinvoke: (o, n) => seen.push(`reinvoke ${o.n}→${n.n}`), match: (i, c) => seen.push(`pair ${i.n}+${c.n}`) });
    expect(seen).toEqual(["orphan 1", "reinvoke 2→3", "pair 3+4"]);
    expect(() => pairByProcess(events, { match: () => { throw new Error("no"); } })).toThrow("no");
  });
});

describe("completedOps", () => {
  it("keeps the node, the error code and an open end for operations that never completed", () => {
    const history: HistoryOp[] = [
      { process: "c1", type: "invoke", f: "write", value: 1, timeMs: 0, node: "n1" },
      { process: "c2", type: "invoke", f: "read", value: null, timeMs: 1, node: "n2" },
      { process: "c1", type: "fail", f: "write", value: 1, timeMs: 5, node: "n1", code: 11 },
    ];
    const ops = completedOps(history);
    expect(ops).toEqual([
      { process: "c1", f: "write", node: "n1", input: 1, output: 1, type: "fail", invokeMs: 0, returnMs: 5, code: 11 },
      { process: "c2", f: "read", node: "n2", input: null, output: undefined, type: "pending", invokeMs: 1, returnMs: Infinity },
    ]);
    expect(completedOps(history)).toBe(ops); // paired once per history
  });
});

describe("what a completion tells the client (Maelstrom's definite errors)", () => {
  it("keeps a fail with a definite code or none, and makes a fail with an indefinite or unknown code an info", () => {
    expect(completionType("fail", 11)).toBe("fail");
    expect(completionType("fail", 22)).toBe("fail");
    expect(completionType("fail", undefined)).toBe("fail");
    expect(completionType("fail", 0)).toBe("info"); // timeout: it may have happened
    expect(completionType("fail", 13)).toBe("info"); // crash
    expect(completionType("fail", 1000)).toBe("info"); // a code nobody defined
    expect(completionType("info", 11)).toBe("info"); // the client did not learn the outcome
    expect(completionType("ok", undefined)).toBe("ok");
  });

  it("pairs operations by that rule, so every checker sees a timeout reported as fail as unknown", () => {
    const history: HistoryOp[] = [
      { process: "c1", type: "invoke", f: "write", value: 1, timeMs: 0, node: "n1" },
      { process: "c1", type: "fail", f: "write", value: 1, timeMs: 5, node: "n1", code: 0 },
      { process: "c1", type: "invoke", f: "write", value: 2, timeMs: 6, node: "n1" },
      { process: "c1", type: "fail", f: "write", value: 2, timeMs: 9, node: "n1", code: 11 },
    ];
    const ops = completedOps(history);
    expect(ops.map((op) => op.type)).toEqual(["info", "fail"]);
    expect(ops.map(definitelyFailed)).toEqual([false, true]);
  });
});
