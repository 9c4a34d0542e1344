import { describe, expect, it } from "vitest";
import { checkLinearizability, HistoryParseError, parseHistory, readEdnLine } from "../../graders/checkers/index.ts";

function parseError(text: string): HistoryParseError {
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

  it("keeps an info completion's invoke value and an open end", () => {
    const h = parseHistory('{"process":0,"type":"invoke","f":"write","value":7}\n{"process":0,"type":"info","f":"write","value":null}');
    expect(h.operations[0]).toMatchObject({ status: "info", output: 7, returnMs: Infinity });
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
