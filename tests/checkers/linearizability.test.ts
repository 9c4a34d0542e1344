import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkLinearizability,
  fromNondeterministic,
  parseHistory,
  renderViolation,
  sameValue,
  type LinearizabilityResult,
  type Model,
  type Value,
} from "../../graders/checkers/index.ts";
import { readNumberLiteral } from "../../graders/checkers/history/number.ts";
import { hashValue } from "../../graders/checkers/linearizability/models.ts";
import { history, type Row } from "./helpers.ts";

const fixture = (name: string) => new URL(`../fixtures/porcupine-kv/${name}.txt`, import.meta.url);

describe("porcupine kv histories (known verdicts)", () => {
  for (const [name, verdict] of [
    ["c01-ok", "linearizable"],
    ["c10-ok", "linearizable"],
    ["c50-ok", "linearizable"],
    ["c01-bad", "not-linearizable"],
    ["c10-bad", "not-linearizable"],
    ["c50-bad", "not-linearizable"],
  ] as const) {
    it(`${name} is ${verdict}`, () => {
      const parsed = parseHistory(readFileSync(fixture(name), "utf8"));
      expect(parsed.format).toBe("edn");
      const result = checkLinearizability(parsed.operations, "kv", { wallMs: 30_000 });
      expect(result.verdict).toBe(verdict);
      expect(result.partitions).toBeGreaterThan(1);
      if (verdict === "not-linearizable") {
        const v = result.violation!;
        expect(v.key).toBeDefined();
        expect(v.core.length).toBeGreaterThan(0);
        expect(v.core.length).toBeLessThan(v.partitionOps);
        expect(v.core.every((op) => op.key === v.key)).toBe(true);
        expect(v.stuck.length).toBeGreaterThan(0);
        const text = renderViolation(v);
        expect(text).toContain(`key ${JSON.stringify(v.key)}`);
        expect(text.split("\n").length).toBeLessThan(80);
      }
    });
  }

  it("gives the same verdict, failing key and core on every run (deterministic)", () => {
    const parsed = parseHistory(readFileSync(fixture("c50-bad"), "utf8"));
    const a = checkLinearizability(parsed.operations, "kv", { explainWallMs: 60_000 });
    const b = checkLinearizability(parsed.operations, "kv", { explainWallMs: 60_000 });
    expect(a.violation!.key).toBe(b.violation!.key);
    expect(a.violation!.core.map((op) => op.id)).toEqual(b.violation!.core.map((op) => op.id));
    expect(a.steps).toBe(b.steps);
  });
});

function check(rows: Parameters<typeof history>[0], model: string | Model<any>, options = {}): LinearizabilityResult {
  return checkLinearizability(history(rows), model, options);
}

describe("register", () => {
  it("accepts a sequential history", () => {
    const r = check([[0, "invoke", "write", 1], [0, "ok", "write", 1], [1, "invoke", "read", null], [1, "ok", "read", 1]], "register");
    expect(r.verdict).toBe("linearizable");
  });

  it("reads nil before any write", () => {
    expect(check([[0, "invoke", "read", null], [0, "ok", "read", null]], "register").verdict).toBe("linearizable");
    expect(check([[0, "invoke", "read", null], [0, "ok", "read", 3]], "register").verdict).toBe("not-linearizable");
  });

  // The core keeps the operations that cannot be ordered even when every other one may or may not have
  // taken effect within its own interval: write 1 returned before write 2 began, so it cannot explain the read.
  it("rejects a stale read and explains it with the later write and the read", () => {
    const r = check(
      [
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1],
        [0, "invoke", "write", 2],
        [0, "ok", "write", 2],
        [1, "invoke", "read", null],
        [1, "ok", "read", 1],
      ],
      "register",
    );
    expect(r.verdict).toBe("not-linearizable");
    const v = r.violation!;
    expect(v.core.map((op) => op.description)).toEqual(["write 2", "read → 1"]);
    expect(v.coreMinimal).toBe(true);
    expect(v.message).toContain("between its invoke and its return, or not at all");
    expect(v.stateAfterPrefix).toBe("2");
    expect(v.stuck.map((op) => op.description)).toEqual(["read → 1"]);
    expect(v.stuck[0]!.reason).toContain("impossible here: the state is 2");
    const text = renderViolation(v);
    expect(text).toContain("read → 1");
    expect(text).toMatch(/p1 +\s*\[-*\] +read → 1/);
  });

  it("rejects a lost write (a later read sees the older value)", () => {
    const r = check(
      [
        [0, "invoke", "write", "a"],
        [0, "ok", "write", "a"],
        [1, "invoke", "write", "b"],
        [1, "ok", "write", "b"],
        [2, "invoke", "read", null],
        [2, "ok", "read", "a"],
        [2, "invoke", "read", null],
        [2, "ok", "read", "a"],
      ],
      "register",
    );
    expect(r.verdict).toBe("not-linearizable");
    expect(r.violation!.core.map((op) => op.description)).toEqual(['write "b"', 'read → "a"']);
  });

  it("accepts concurrent writes read in either order", () => {
    const rows = (first: number, second: number) =>
      [
        [0, "invoke", "write", 1],
        [1, "invoke", "write", 2],
        [0, "ok", "write", 1],
        [1, "ok", "write", 2],
        [2, "invoke", "read", null],
        [2, "ok", "read", first],
        [3, "invoke", "read", null],
        [3, "ok", "read", second],
      ] as Parameters<typeof history>[0];
    expect(check(rows(1, 1), "register").verdict).toBe("linearizable");
    expect(check(rows(2, 2), "register").verdict).toBe("linearizable");
    expect(check(rows(2, 1), "register").verdict).toBe("not-linearizable"); // no write after the first read
  });

  it("lets a read overlap a write see either value", () => {
    const rows = (seen: number) =>
      [
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1],
        [0, "invoke", "write", 2],
        [1, "invoke", "read", null],
        [1, "ok", "read", seen],
        [0, "ok", "write", 2],
      ] as Parameters<typeof history>[0];
    expect(check(rows(1), "register").verdict).toBe("linearizable");
    expect(check(rows(2), "register").verdict).toBe("linearizable");
    expect(check(rows(3), "register").verdict).toBe("not-linearizable");
  });

  it("treats an info write as maybe happened, at any time after its invoke", () => {
    const base = [
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [1, "invoke", "write", 2],
      [1, "info", "write", 2],
    ] as Parameters<typeof history>[0];
    const reads = (...values: number[]) =>
      values.flatMap((v) => [[2, "invoke", "read", null], [2, "ok", "read", v]]) as Parameters<typeof history>[0];
    expect(check([...base, ...reads(1)], "register").verdict).toBe("linearizable"); // not yet or never
    expect(check([...base, ...reads(2)], "register").verdict).toBe("linearizable"); // happened
    expect(check([...base, ...reads(1, 2)], "register").verdict).toBe("linearizable"); // happened late
    expect(check([...base, ...reads(2, 1)], "register").verdict).toBe("not-linearizable"); // 1 is gone for good
  });

  it("treats a write never completed like info, and a failed write as never happened", () => {
    const crashed = check([[1, "invoke", "write", 2], [2, "invoke", "read", null], [2, "ok", "read", 2]], "register");
    expect(crashed.verdict).toBe("linearizable");
    const failed = check(
      [[1, "invoke", "write", 2], [1, "fail", "write", 2], [2, "invoke", "read", null], [2, "ok", "read", 2]],
      "register",
    );
    expect(failed.verdict).toBe("not-linearizable");
    expect(failed.operations).toBe(1);
  });

  it("does not let an info write take effect before its invoke", () => {
    const r = check([[2, "invoke", "read", null], [2, "ok", "read", 5], [1, "invoke", "write", 5], [1, "info", "write", 5]], "register");
    expect(r.verdict).toBe("not-linearizable");
  });

  it("uses the time field when present (equal times overlap)", () => {
    const r = check(
      [
        [0, "invoke", "write", 1, 0],
        [0, "ok", "write", 1, 10],
        [1, "invoke", "read", null, 10],
        [1, "ok", "read", null, 20],
      ],
      "register",
    );
    expect(r.verdict).toBe("linearizable");
  });
});

describe("cas-register", () => {
  const prefix = [[0, "invoke", "write", 1], [0, "ok", "write", 1]] as Parameters<typeof history>[0];

  it("applies a successful cas", () => {
    const r = check([...prefix, [1, "invoke", "cas", [1, 2]], [1, "ok", "cas", [1, 2]], [2, "invoke", "read", null], [2, "ok", "read", 2]], "cas-register");
    expect(r.verdict).toBe("linearizable");
  });

  it("rejects a cas that succeeded although the value differed", () => {
    const r = check([...prefix, [1, "invoke", "cas", [3, 4]], [1, "ok", "cas", [3, 4]]], "cas-register");
    expect(r.verdict).toBe("not-linearizable");
    expect(r.violation!.stuck[0]!.description).toBe("cas 3 → 4");
  });

  it("keeps a failed cas as a definite answer: the value was not `from`", () => {
    const failedWhileMatching = check([...prefix, [1, "invoke", "cas", [1, 2]], [1, "fail", "cas", [1, 2]]], "cas-register");
    expect(failedWhileMatching.verdict).toBe("not-linearizable");
    expect(failedWhileMatching.violation!.core.map((op) => op.description)).toEqual(["write 1", "cas 1 → 2 (failed)"]);
    // The timeline says the outcome once, not once from the model and once from itself.
    const timeline = renderViolation(failedWhileMatching.violation!);
    expect(timeline).toMatch(/cas 1 → 2 \(failed\)/);
    expect(timeline).not.toContain("(failed) (failed)");
    const failedFine = check([...prefix, [1, "invoke", "cas", [5, 2]], [1, "fail", "cas", [5, 2]]], "cas-register");
    expect(failedFine.verdict).toBe("linearizable");
  });

  it("lets a failed cas linearize while a concurrent write has not happened yet", () => {
    const r = check(
      [[0, "invoke", "write", 1], [1, "invoke", "cas", [1, 2]], [1, "fail", "cas", [1, 2]], [0, "ok", "write", 1]],
      "cas-register",
    );
    expect(r.verdict).toBe("linearizable");
  });

  it("treats an info cas as maybe applied", () => {
    const info = [...prefix, [1, "invoke", "cas", [1, 2]], [1, "info", "cas", [1, 2]]] as Parameters<typeof history>[0];
    const read = (v: number) => [[2, "invoke", "read", null], [2, "ok", "read", v]] as Parameters<typeof history>[0];
    expect(check([...info, ...read(1)], "cas-register").verdict).toBe("linearizable");
    expect(check([...info, ...read(2)], "cas-register").verdict).toBe("linearizable");
    expect(check([...info, ...read(3)], "cas-register").verdict).toBe("not-linearizable");
  });
});

describe("budgets", () => {
  const hard = () => parseHistory(readFileSync(fixture("c50-ok"), "utf8")).operations;

  it("returns unknown when the step budget runs out", () => {
    const r = checkLinearizability(hard(), "kv", { stepsMax: 5_000 });
    expect(r.verdict).toBe("unknown");
    expect(r.unknown!.budget).toBe("steps");
    expect(r.steps).toBeLessThanOrEqual(5_000);
  });

  it("returns unknown when the time budget runs out", () => {
    let t = 0;
    const r = checkLinearizability(hard(), "kv", { wallMs: 100, now: () => (t += 1) });
    expect(r.verdict).toBe("unknown");
    expect(r.unknown!.budget).toBe("timeout");
    expect(r.unknown!.message).toContain("100 ms");
  });

  it("returns unknown when the memo outgrows its memory budget", () => {
    const r = checkLinearizability(hard(), "kv", { memoBytesMax: 64 * 1024 });
    expect(r.verdict).toBe("unknown");
    expect(r.unknown!.budget).toBe("memory");
  });

  it("still reports a violation found in one key while another ran out of budget", () => {
    const ops = [
      ...history([[0, "invoke", "put", "x"], [0, "ok", "put", "x"], [0, "invoke", "get", null], [0, "ok", "get", "y"]], "bad"),
      ...hard(),
    ].map((op, id) => ({ ...op, id }));
    const r = checkLinearizability(ops, "kv", { stepsMax: 50_000 });
    expect(r.verdict).toBe("not-linearizable");
    expect(r.violation!.key).toBe("bad");
  });
});

describe("nondeterministic models", () => {
  // A register whose writes may be silently lost: a write leads to the new value or leaves the old one.
  const lossy = fromNondeterministic<number | null>({
    name: "lossy-register",
    fs: ["read", "write"],
    init: () => null,
    stepAll: (state, op) => (op.f === "write" ? [op.value as number, state] : op.output === state ? [state] : []),
    describeOp: (op) => `${op.f} ${JSON.stringify(op.f === "read" ? op.output : op.value)}`,
    describeState: (state) => String(state),
  });

  it("checks over the set of possible states", () => {
    const rows = (...reads: (number | null)[]) =>
      [
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1],
        ...reads.flatMap((v) => [[1, "invoke", "read", null], [1, "ok", "read", v]]),
      ] as Parameters<typeof history>[0];
    expect(check(rows(null), lossy).verdict).toBe("linearizable"); // the write was lost
    expect(check(rows(1, 1), lossy).verdict).toBe("linearizable");
    const r = check(rows(1, null), lossy);
    expect(r.verdict).toBe("not-linearizable"); // once seen, 1 cannot vanish
    expect(r.violation!.stateAfterPrefix).toBe("1");
  });
});

describe("value equality (canonical form)", () => {
  const exact = (literal: string) => readNumberLiteral(literal);

  it("compares vectors and maps by content, map keys in any order, and never through a prototype", () => {
    expect(sameValue([1, { a: 1, b: [2] }], [1, { b: [2], a: 1 }])).toBe(true);
    expect(sameValue([1, { a: 1 }], [1, { a: 2 }])).toBe(false);
    expect(sameValue(["1"], [1])).toBe(false);
    expect(sameValue([null], [])).toBe(false);
    const proto = Object.create(null) as Record<string, Value>;
    proto["__proto__"] = 1;
    proto["toString"] = 2;
    expect(sameValue([proto], [JSON.parse('{"toString": 2, "__proto__": 1}') as Value])).toBe(true);
    expect(sameValue([Object.create({ a: 1 }) as Value], [{}])).toBe(true); // inherited fields are not content
  });

  it("compares numbers by exact value, whether a double or an ExactNumber holds them", () => {
    expect(sameValue(exact("9007199254740993"), exact("9007199254740992"))).toBe(false);
    expect(sameValue(exact("9007199254740993"), exact("9007199254740993"))).toBe(true);
    expect(sameValue(exact("1e999"), exact("10e998"))).toBe(true);
    expect(sameValue(exact("1e999"), exact("2e999"))).toBe(false);
    expect(sameValue([exact("1.0")], [1])).toBe(true);
    expect(sameValue([-0], [0])).toBe(true);
    expect(hashValue(exact("1e999"))).toBe(hashValue(exact("10e998")));
    expect(hashValue([{ a: 1, b: 2 }])).toBe(hashValue([{ b: 2, a: 1 }]));
  });

  it("handles values 100 000 levels deep without recursion", () => {
    const deep = (leaf: Value): Value => {
      let v: Value = leaf;
      for (let i = 0; i < 100_000; i++) v = i % 2 ? [v] : { k: v };
      return v;
    };
    expect(sameValue(deep(1), deep(1))).toBe(true);
    expect(sameValue(deep(1), deep(2))).toBe(false);
    expect(hashValue(deep(1))).toBe(hashValue(deep(1)));
  });

  it("checks big integers and exponents exactly under register and kv", () => {
    const rows = (written: Value, read: Value): Row[] => [
      [0, "invoke", "write", written],
      [0, "ok", "write", written],
      [1, "invoke", "read", null],
      [1, "ok", "read", read],
    ];
    expect(check(rows(exact("9007199254740993"), exact("9007199254740992")), "register").verdict).toBe("not-linearizable");
    expect(check(rows(exact("9007199254740993"), exact("9007199254740993")), "register").verdict).toBe("linearizable");
    expect(check(rows(exact("1e999"), exact("2e999")), "register").verdict).toBe("not-linearizable");
    // kv compares strings: a number put is the digits JavaScript prints, exact ones included
    const kv = parseHistory(
      [
        '{"process": 0, "type": "invoke", "f": "put", "key": "k", "value": 12345678901234567890}',
        '{"process": 0, "type": "ok", "f": "put", "key": "k", "value": 12345678901234567890}',
        '{"process": 1, "type": "invoke", "f": "get", "key": "k", "value": null}',
        '{"process": 1, "type": "ok", "f": "get", "key": "k", "value": "12345678901234567890"}',
      ].join("\n"),
    );
    expect(checkLinearizability(kv.operations, "kv").verdict).toBe("linearizable");
  });
});
