import { describe, expect, it } from "vitest";
import { decodeHistoryBytes } from "../../graders/checkers/history/decode.ts";
import { readJsonLine } from "../../graders/checkers/history/json.ts";
import { exactDecimalText, ExactNumber, readNumberLiteral } from "../../graders/checkers/history/number.ts";
import { checkLinearizability, HistoryParseError, parseHistory, readEdnLine } from "../../graders/checkers/index.ts";

function parseError(text: string | Uint8Array): HistoryParseError {
  try {
    parseHistory(text);
  } catch (error) {
    if (error instanceof HistoryParseError) return error;
    throw error;
  }
  throw new Error("expected a HistoryParseError");
}

describe("EDN reader", () => {
  it("reads keywords, strings, numbers, nil, booleans and vectors", () => {
    expect(readEdnLine('{:process 3, :type :ok, :f :cas, :value [1 -2.5 nil true "a\\"b"], :time 12}', 1)).toEqual({
      process: 3,
      type: "ok",
      f: "cas",
      value: [1, -2.5, null, true, 'a"b'],
      time: 12,
    });
  });
  it("names the line and column of what it expected", () => {
    expect(() => readEdnLine("{:process 0 :type}", 7)).toThrow(/line 7: expected a value for key :type/);
    expect(() => readEdnLine('{:f "open', 2)).toThrow(/line 2: expected a closing '"'/);
    expect(() => readEdnLine("{:f #{1}}", 4)).toThrow(HistoryParseError);
    expect(() => readEdnLine("{:f :x} extra", 5)).toThrow(/end of line after the map/);
  });
});

describe("history import", () => {
  it("reads JSON lines with times and pairs completions by process", () => {
    const h = parseHistory(
      [
        '{"process": 0, "type": "invoke", "f": "write", "value": 1, "time": 5}',
        '{"process": 1, "type": "invoke", "f": "read", "value": null, "time": 6}',
        '{"process": 0, "type": "ok", "f": "write", "value": 1, "time": 9}',
        "",
        '{"process": 1, "type": "ok", "f": "read", "value": 1, "time": 12}',
        '{"process": 2, "type": "invoke", "f": "cas", "value": [1, 2], "time": 13}',
      ].join("\n"),
    );
    expect(h.format).toBe("json");
    expect(h.operations).toEqual([
      { id: 0, process: 0, f: "write", value: 1, output: 1, status: "ok", invokeMs: 5, returnMs: 9, line: 1, outputLine: 3 },
      { id: 1, process: 1, f: "read", value: null, output: 1, status: "ok", invokeMs: 6, returnMs: 12, line: 2, outputLine: 5 },
      { id: 2, process: 2, f: "cas", value: [1, 2], output: [1, 2], status: "info", invokeMs: 13, returnMs: Infinity, line: 6 },
    ]);
  });

  it("uses the event index as time when there is no time field, and keeps keys", () => {
    const h = parseHistory('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0, :type :ok, :f :get, :key "k", :value "v"}\n');
    expect(h.format).toBe("edn");
    expect(h.operations[0]).toMatchObject({ key: "k", invokeMs: 0, returnMs: 1, output: "v" });
  });

  it("keeps an info completion's invoke value and when the client gave up (the checker gives it an open end)", () => {
    const h = parseHistory('{"process":0,"type":"invoke","f":"write","value":7}\n{"process":0,"type":"info","f":"write","value":null}');
    expect(h.operations[0]).toMatchObject({ status: "info", output: 7, returnMs: 1 });
    expect(h.operations[0]).not.toHaveProperty("outputLine");
  });

  it("reports malformed input with the line and what was expected", () => {
    expect(parseError("").message).toContain("at least one operation");
    expect(parseError("hello").message).toMatch(/line 1: expected a JSON object .* or an EDN map/);
    const bad = parseError('{"process": 0, "type": "invoke", "f": "read"}\n{"process": 0, "type": "ok", "f": "read", "value": 1,}');
    expect(bad.line).toBe(2);
    expect(bad.expected).toBe("one JSON object per line");
    expect(parseError('{"process": 0, "type": "done", "f": "read"}').expected).toBe("a type invoke, ok, fail or info");
    expect(parseError('{"process": [0], "type": "ok", "f": "read"}').expected).toContain("a process");
    expect(parseError('{"process": 0, "type": "invoke", "f": "read", "time": "noon"}').expected).toContain("a time");
  });

  it("reports completions that do not match an invoke", () => {
    const orphan = parseError('{"process": 4, "type": "ok", "f": "read", "value": 1}');
    expect(orphan.message).toBe("line 1: expected an invoke of process 4 before its ok, found ok");
    const twice = parseError('{"process": 0, "type": "invoke", "f": "read"}\n\n{"process": 0, "type": "invoke", "f": "read"}');
    expect(twice.line).toBe(3);
    expect(twice.expected).toContain("invoke on line 1");
    const mismatch = parseError('{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :write}');
    expect(mismatch.expected).toBe('f "read" (the invoke on line 1)');
    const early = parseError('{"process":0,"type":"invoke","f":"read","time":5}\n{"process":0,"type":"ok","f":"read","time":4}');
    expect(early.expected).toContain("at or after the invoke");
  });

  it("reports operations the model cannot read, with their line", () => {
    const h = parseHistory('{"process": 0, "type": "invoke", "f": "get", "key": "a"}\n{"process": 0, "type": "ok", "f": "get", "key": "a", "value": 1}');
    expect(() => checkLinearizability(h.operations, "register")).toThrow(/line 1: expected f read, write \(model register\)/);
    const cas = parseHistory('{"process": 0, "type": "invoke", "f": "cas", "value": 3}');
    expect(() => checkLinearizability(cas.operations, "cas-register")).toThrow(/expected a cas value \[from, to\]/);
    const noKey = parseHistory('{"process": 0, "type": "invoke", "f": "get"}');
    expect(() => checkLinearizability(noKey.operations, "kv")).toThrow(/expected a key/);
  });
});

describe("Jepsen specifics and boundaries", () => {
  it("skips nemesis events", () => {
    const h = parseHistory(
      [
        '{:process :nemesis, :type :info, :f :start, :value nil}',
        '{:process 0, :type :invoke, :f :write, :value 3}',
        '{:process :nemesis, :type :info, :f :start, :value [:isolated {"n1" ["n2"]}]}',
        '{:process 0, :type :ok, :f :write, :value 3}',
      ].join("\n"),
    );
    expect(h.operations).toHaveLength(1);
    expect(checkLinearizability(h.operations, "register").verdict).toBe("linearizable");
  });

  it("keeps graders/checkers free of node: imports (the engine runs in a browser too)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const root = new URL("../../graders/checkers/", import.meta.url);
    const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(new URL(f, root), "utf8"), f).not.toMatch(/from\s+["']node:/);
  });
});

describe("hostile input at the reader level", () => {
  const DEEP = 100_000;

  it("reads number literals exactly: a double when it holds the literal, an ExactNumber otherwise", () => {
    expect(readNumberLiteral("1")).toBe(1);
    expect(readNumberLiteral("0.1")).toBe(0.1);
    expect(readNumberLiteral("9007199254740992")).toBe(2 ** 53); // a double holds 2^53 exactly
    expect(Object.is(readNumberLiteral("-0"), -0)).toBe(true);
    for (const [literal, text] of [
      ["9007199254740993", "9007199254740993"],
      ["-18446744073709551617", "-18446744073709551617"],
      ["1e999", "1e+999"],
      ["10.0e998", "1e+999"],
      ["0.10000000000000001", "0.10000000000000001"],
      ["9007199254740993.0", "9007199254740993"],
      ["1e-9999999999999999999999", "1e-9999999999999999999999"],
    ] as const) {
      const read = readNumberLiteral(literal);
      expect(read, literal).toBeInstanceOf(ExactNumber);
      expect((read as ExactNumber).text, literal).toBe(text);
    }
    // The notation is JavaScript's, so a literal a double holds has the text String() gives it.
    for (const literal of ["1e21", "123e-9", "0.000001", "1.5e-7", "-42.125", "100", "5.", ".5"]) {
      expect(exactDecimalText(literal), literal).toBe(String(Number(literal)));
    }
  });

  it("builds maps without a prototype from JSON and EDN, so __proto__ and toString are data", () => {
    for (const record of [
      readJsonLine('{"__proto__": {"process": 1}, "toString": 2}', 1),
      readEdnLine("{:__proto__ {:process 1}, :toString 2}", 1),
    ]) {
      expect(Object.getPrototypeOf(record)).toBe(null);
      const map = record as Record<string, unknown>;
      expect(Object.keys(map)).toEqual(["__proto__", "toString"]);
      expect(map.process).toBeUndefined();
      expect(Object.getPrototypeOf(map["__proto__"])).toBe(null);
    }
  });

  it("refuses nesting deeper than 1000 levels with the line and column, iteratively", () => {
    const deep = (open: string, close: string) => `{"v": ${open.repeat(DEEP)}${close.repeat(DEEP)}}`;
    expect(() => readJsonLine(deep("[", "]"), 9)).toThrow(/^line 9: expected at most 1000 levels of nesting \(column 1006\), found a deeper array$/);
    expect(() => readEdnLine(`{:v ${"(".repeat(DEEP)}${")".repeat(DEEP)}}`, 4)).toThrow(/^line 4: expected at most 1000 levels of nesting/);
    expect(readJsonLine(`${"[".repeat(1000)}${"]".repeat(1000)}`, 1)).toBeInstanceOf(Array);
    expect(() => readJsonLine(`${"[".repeat(1001)}${"]".repeat(1001)}`, 1)).toThrow(HistoryParseError);
  });

  it("reads what JSON.parse reads, to the same values (random lines)", () => {
    let seed = 7;
    const random = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
    const pick = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return [null, true, false, "", 'q"\\\n\u0001é😀', (random() - 0.5) * 1e6, Math.floor(random() * 1e9), random() * 1e-300][Math.floor(random() * 8)];
      if (r < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => pick(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}${"é"}`, pick(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const text = JSON.stringify({ v: pick(0) }, null, i % 2 ? 1 : undefined).replaceAll("\n", " ");
      expect(readJsonLine(text, 1), text).toEqual(JSON.parse(text));
    }
  });

  it("reads JSON strictly (as RFC 8259) and says where it stopped", () => {
    expect(readJsonLine('{"s": "a\\u00e9\\n\\/", "n": [1, -2.5e3, true, false, null]}', 1)).toEqual({ s: "aé\n/", n: [1, -2500, true, false, null] });
    for (const [text, at] of [
      ['{"a": 1,}', "expected a key at column 9"],
      ['{"a" 1}', "expected ':' at column 6"],
      ["{'a': 1}", "expected a key or '}' at column 2"],
      ['{"a": [1 2]}', "expected ',' or ']' at column 10"],
      ['{"a": 01}', "expected ',' or '}' at column 8"],
      ['{"a": NaN}', "expected a value at column 7"],
      ['{"a": "\\x"}', "expected an escape"],
      ['{"a": "tab\there"}', "control characters must be escaped"],
      ['{"a": 1} {}', "expected end of line after the value at column 10"],
    ] as const) {
      const error = (() => {
        try {
          readJsonLine(text, 3);
        } catch (e) {
          return e as HistoryParseError;
        }
        throw new Error(`accepted ${text}`);
      })();
      expect(error.expected).toBe("one JSON object per line");
      expect(error.found, text).toContain(at);
    }
    expect(() => readJsonLine('{"type": "ok", "type": "fail"}', 2)).toThrow(/line 2: .*"type" is/);
    expect(() => readEdnLine("{:type :ok, :type :fail}", 2)).toThrow(/line 2: expected a key not already in this map .*found :type again/);
  });

  it("refuses process ids and times beyond what a double holds, and keeps big keys exact", () => {
    expect(parseError('{"process": 9007199254740993, "type": "invoke", "f": "read"}').expected).toContain("a process id a double holds exactly");
    expect(parseError('{"process": 0, "type": "invoke", "f": "read", "time": 1e400}').expected).toContain("a time a double holds exactly");
    const h = parseHistory('{:process 0, :type :invoke, :f :get, :key 9007199254740993}\n{:process 1, :type :invoke, :f :get, :key 9007199254740992}');
    expect(h.operations.map((op) => op.key)).toEqual(["9007199254740993", "9007199254740992"]);
  });

  it("decodes bytes as strict UTF-8 and names the line and byte of the first invalid sequence", () => {
    const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));
    expect(decodeHistoryBytes(bytes([0xef, 0xbb, 0xbf], "é\n"))).toBe("é\n"); // the byte order mark is dropped
    for (const [bad, name] of [
      [[0xff], "invalid byte"],
      [[0xc0, 0xaf], "overlong"],
      [[0xed, 0xa0, 0x80], "surrogate"],
      [[0xf4, 0x90, 0x80, 0x80], "beyond U+10FFFF"],
      [[0xe2, 0x82], "cut short"],
    ] as const) {
      let error: HistoryParseError | undefined;
      try {
        decodeHistoryBytes(bytes("ok\n", "ok\n", "ab", [...bad], "\n"));
      } catch (e) {
        error = e as HistoryParseError;
      }
      expect(error, name).toBeInstanceOf(HistoryParseError);
      expect(error!.line, name).toBe(3);
      expect(error!.expected, name).toBe("UTF-8 text (byte 3 of the line)");
      expect(error!.found, name).toContain(`byte 0x${bad[0].toString(16)}`);
    }
    expect(parseError(bytes('{"process": 0, "type": "invoke", "f": "write", "value": "', [0xfe], '"}')).line).toBe(1);
  });
});
