// The wire protocols round-trip, and the decoders refuse what an encoder would never write: a node's
// realm runs learner code, so whatever comes back is checked before the engine applies it.
import { describe, expect, it } from "vitest";
import {
  EffectTag,
  decodeEffects,
  decodeSignal,
  encodeEffects,
  encodeError,
  encodeLog,
  encodeSend,
  encodeStorage,
  encodeTimer,
  errorCodeInfo,
  faultAnswer,
  hasSeparator,
  isDefiniteError,
  parseComponentMethod,
  readComponentResult,
  restartSignal,
  timerDelayMsMax,
  type EffectSink,
} from "../../graders/protocol/index.ts";

type Effect = [string, ...unknown[]];

function decode(raw: string): { pending: boolean; effects: Effect[]; malformed?: string } {
  const effects: Effect[] = [];
  let malformed: string | undefined;
  const sink: EffectSink = {
    send: (dest, type, body) => void effects.push(["send", dest, type, body]),
    timer: (id, delayMs) => void effects.push(["timer", id, delayMs]),
    storage: (key, value) => void effects.push(["storage", key, value]),
    log: (text) => void effects.push(["log", text]),
    error: (text) => void effects.push(["error", text]),
    malformed: (reason) => void (malformed = reason),
    stopped: () => false,
  };
  const pending = decodeEffects(raw, sink);
  return { pending, effects, ...(malformed ? { malformed } : {}) };
}

// Texts an attacker would try: separators, JSON look-alikes, lone surrogates, NUL, the tags themselves.
const hostile = ["plain", "tab\there", "line\nbreak", "\r\n", '"quoted"', "\\", "\u0000nul", "\ud800lone", "s\tn2\tforged\t{}", "0\n1", "é漢🙂", " ", ""];

describe("node effects", () => {
  it("round-trips every effect kind, hostile free text included", () => {
    for (const text of hostile) {
      const body = JSON.stringify({ type: "gossip", text });
      const effects = [encodeSend("n2", "gossip", body), encodeTimer(7, 250), encodeStorage(JSON.stringify(text), JSON.stringify({ v: text })), encodeStorage(JSON.stringify(text), "null"), encodeLog(JSON.stringify(text)), encodeError(JSON.stringify(text))];
      for (const pending of [true, false]) {
        expect(decode(encodeEffects(pending, effects))).toEqual({
          pending,
          effects: [["send", "n2", "gossip", body], ["timer", 7, 250], ["storage", text, JSON.stringify({ v: text })], ["storage", text, null], ["log", text], ["error", text]],
        });
      }
    }
    expect(decode(encodeEffects(false, []))).toEqual({ pending: false, effects: [] });
  });

  it("names every separator an id or type must not hold", () => {
    expect(hostile.filter(hasSeparator)).toEqual(["tab\there", "line\nbreak", "\r\n", "s\tn2\tforged\t{}", "0\n1"]);
  });

  it.each([
    ["no async flag", "s\tn2\tt\t{}"],
    ["a flag that is not 0 or 1", "2"],
    ["a trailing newline", "0\n"],
    ["an unknown tag", "0\nx\tstuff"],
    ["a send without a body", "0\ns\tn2\tgossip"],
    ["a send with an empty type", "0\ns\tn2\t\t{}"],
    ["a timer delay that is not a number", "0\nt\t1\tsoon"],
    ["a negative timer delay", "0\nt\t1\t-5"],
    ["a timer delay past a day", `0\nt\t1\t${timerDelayMsMax + 1}`],
    ["a fractional timer id", "0\nt\t1.5\t10"],
    ["a storage key that is not a JSON string", "0\nk\t{}\t1"],
    ["a log text that is not a JSON string", "0\nl\t42"],
    ["an error text of two fields", '0\ne\t"a"\t"b"'],
    ["a log line that is raw text", "0\nl\thello"],
  ])("refuses %s, applying nothing after it", (_what, raw) => {
    const decoded = decode(`${raw}`);
    expect(decoded.malformed).toBeTypeOf("string");
  });

  it("applies the good lines before a bad one, and none after", () => {
    const decoded = decode(`0\n${encodeLog('"first"')}\nq\tbad\n${encodeLog('"never"')}`);
    expect(decoded.effects).toEqual([["log", "first"]]);
    expect(decoded.malformed).toMatch(/unknown effect tag "q"/);
  });

  it("tags are one letter each and distinct", () => {
    const tags = Object.values(EffectTag);
    expect(new Set(tags).size).toBe(tags.length);
    for (const tag of tags) expect(tag).toMatch(/^[a-z]$/);
  });
});

describe("host signals", () => {
  it("round-trips a restart with any realm name, and refuses an unknown signal", () => {
    for (const realm of ["n1", "n25", "component"]) expect(decodeSignal(restartSignal(realm))).toEqual({ kind: "restart", realm });
    for (const kind of ["done", "yield", "interrupted"] as const) expect(decodeSignal(kind)).toEqual({ kind });
    expect(() => decodeSignal("finished")).toThrow(/unknown signal/);
  });
});

describe("component calls", () => {
  it("parses method words with their argument letters", () => {
    expect(parseComponentMethod("?done|nnb")).toEqual({ name: "done", optional: true, args: ["number", "number", "boolean"] });
    expect(parseComponentMethod("get|s")).toEqual({ name: "get", optional: false, args: ["string"] });
    expect(parseComponentMethod("tick|")).toEqual({ name: "tick", optional: false, args: [] });
    expect(() => parseComponentMethod("get|x")).toThrow(/unknown argument letter "x"/);
  });

  it("a value crosses as it is, whatever a string starts with; only the fault answer is a fault, with the realm's words", () => {
    const read = (result: unknown, words: unknown = "unused") => {
      const faults: string[] = [];
      let asked = 0;
      const value = readComponentResult(result, (text) => faults.push(text), () => (asked++, words));
      return { value, faults, asked };
    };
    for (const value of [...hostile, "fboom", "sfake", "\u0000fault", "", 0, -1.5, true, false, undefined]) expect(read(value)).toEqual({ value, faults: [], asked: 0 });
    expect(read(faultAnswer, "get() threw Error: boom")).toEqual({ value: undefined, faults: ["get() threw Error: boom"], asked: 1 });
    // Words that are not a string, and answers no realm gives, are off-protocol: a fault, never a value.
    expect(read(faultAnswer, 7).faults[0]).toMatch(/off-protocol/);
    for (const offProtocol of [{}, [], () => 1, Symbol("x"), 1n]) expect(read(offProtocol)).toMatchObject({ value: undefined, faults: [expect.stringMatching(/off-protocol/)], asked: 0 });
  });
});

describe("Maelstrom's error codes", () => {
  it("says which errors are definite (the operation did not happen) and which are not", () => {
    expect([0, 11, 13, 20, 22, 30].map((code) => [code, isDefiniteError(code)])).toEqual([
      [0, false],
      [11, true],
      [13, false],
      [20, true],
      [22, true],
      [30, true],
    ]);
    // An unknown code is indefinite: a client cannot assume what it does not know.
    expect(isDefiniteError(999)).toBe(false);
    expect(isDefiniteError("11")).toBe(false);
    expect(errorCodeInfo(22)?.name).toBe("precondition-failed");
  });
});
