// The design protocol's effects (graders/design/protocol.ts): what the runtime encodes decodes to the
// same values, hostile strings included, and the decoder (which parses by position inside the answer and
// reads ids from their digits) reads any answer, well-formed or not, exactly as a plain split-per-line
// reading of the format does.
import { describe, expect, it } from "vitest";
import { decodeDesignEffects, encodeCall, encodeDone, encodeEffects, encodeMisuse, encodeSend, encodeThrew, type DesignEffectSink } from "../../graders/design/protocol.ts";
import { createRng } from "../../graders/sim/prng.ts";

type Effect = readonly unknown[];

function recorder(): { sink: DesignEffectSink; effects: Effect[] } {
  const effects: Effect[] = [];
  const sink: DesignEffectSink = {
    call: (...a) => void effects.push(["call", ...a]),
    send: (...a) => void effects.push(["send", ...a]),
    done: (...a) => void effects.push(["done", ...a]),
    threw: (...a) => void effects.push(["threw", ...a]),
    misuse: (...a) => void effects.push(["misuse", ...a]),
    malformed: (...a) => void effects.push(["malformed", ...a]),
  };
  return { sink, effects };
}

function decoded(raw: unknown): { progress: boolean; effects: Effect[] } {
  const { sink, effects } = recorder();
  const progress = decodeDesignEffects(raw, sink);
  return { progress, effects };
}

/** The format read the plain way (a split per line and per field): the oracle. */
function oracle(raw: unknown): { progress: boolean; effects: Effect[] } {
  const effects: Effect[] = [];
  const show = (v: unknown) => {
    const t = typeof v === "string" ? v : typeof v;
    return JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t);
  };
  if (typeof raw !== "string" || (raw[0] !== "0" && raw[0] !== "1") || (raw.length > 1 && raw[1] !== "\n")) {
    return { progress: false, effects: [["malformed", `the design's realm answered off-protocol: ${show(raw)}`]] };
  }
  const whole = (s: string | undefined) => (s === undefined ? NaN : Number(s));
  const str = (s: string) => {
    try {
      const v: unknown = JSON.parse(s);
      return typeof v === "string" ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const lines = raw.length > 2 ? raw.slice(2).split("\n") : [];
  if (raw.endsWith("\n") && lines.length > 0) lines.pop(); // a trailing newline ends the answer, as the decoder reads it
  for (const line of lines) {
    const f = line.split("\t");
    const rest = (from: number) => f.slice(from).join("\t");
    let problem: string | undefined;
    if (line.length < 2 || line[1] !== "\t") problem = "an effect line is a tag and tab-separated fields";
    else if (f[0] === "c") {
      const [call, request] = [whole(f[1]), whole(f[2])];
      if (f.length < 6) problem = "a call needs a call id, a request id, a component, an op and arguments";
      else if (!Number.isSafeInteger(call) || call < 1 || !Number.isSafeInteger(request) || request < 0) problem = "a call's ids must be whole numbers";
      else effects.push(["call", call, request, f[3], f[4], rest(5)]);
    } else if (f[0] === "s") {
      const request = whole(f[1]);
      if (f.length < 5) problem = "a send needs a request id, a component, an op and arguments";
      else if (!Number.isSafeInteger(request) || request < 0) problem = "a request id must be a whole number";
      else effects.push(["send", request, f[2], f[3], rest(4)]);
    } else if (f[0] === "d") {
      const request = whole(f[1]);
      if (f.length < 3) problem = "a done line needs a request id and a response";
      else if (!Number.isSafeInteger(request) || request < 0) problem = "a request id must be a whole number";
      else effects.push(["done", request, rest(2)]);
    } else if (f[0] === "x") {
      const request = whole(f[1]);
      const text = f.length < 3 ? undefined : str(rest(2));
      if (f.length < 3) problem = "a threw line needs a request id and a text";
      else if (!Number.isSafeInteger(request) || request < 0 || text === undefined) problem = "a threw line holds a request id and a JSON string";
      else effects.push(["threw", request, text]);
    } else if (f[0] === "e") {
      const text = f.length === 2 ? str(f[1]!) : undefined;
      if (text === undefined) problem = "an error line holds one JSON string";
      else effects.push(["misuse", text]);
    } else problem = `unknown effect tag ${JSON.stringify(line[0])}`;
    if (problem) {
      effects.push(["malformed", `${problem}: ${show(line)}`]);
      break;
    }
  }
  return { progress: raw[0] === "1", effects };
}

const hostile = ["", "plain", "tab\there", "new\nline", "cr\r\n", "quote\"back\\slash", "\u2028\u2029", "\ud800 lone", "😀 wide", "\u0000nul", "]}{[", "1e3", "-0", " 7 "];

describe("design protocol effects", () => {
  it("round-trip every effect with hostile strings in every JSON field", () => {
    const lines: string[] = [];
    const expected: Effect[] = [];
    hostile.forEach((s, i) => {
      const args = JSON.stringify([s, { [s]: s }, i]);
      lines.push(encodeCall(i + 1, 1_000_000_000_000 + i, "store", "get", args));
      expected.push(["call", i + 1, 1_000_000_000_000 + i, "store", "get", args]);
      lines.push(encodeSend(i, "queue", "publish", args));
      expected.push(["send", i, "queue", "publish", args]);
      lines.push(encodeDone(i, JSON.stringify(s)));
      expected.push(["done", i, JSON.stringify(s)]);
      lines.push(encodeThrew(i, JSON.stringify(s)));
      expected.push(["threw", i, s]);
      lines.push(encodeMisuse(JSON.stringify(s)));
      expected.push(["misuse", s]);
    });
    const answer = decoded(encodeEffects(true, lines));
    expect(answer.progress).toBe(true);
    expect(answer.effects).toEqual(expected);
    expect(JSON.parse((answer.effects[0]![5] as string)) as unknown).toEqual(["", { "": "" }, 0]);
    expect(decoded(encodeEffects(false, []))).toEqual({ progress: false, effects: [] });
  });

  it("read ids the way Number does, and stop at the first off-protocol line", () => {
    const cases: Array<[string, Effect[]]> = [
      ["0\nd\t007\tnull", [["done", 7, "null"]]],
      ["0\nd\t\tnull", [["done", 0, "null"]]],
      ["0\nd\t 12 \t1", [["done", 12, "1"]]],
      ["0\nd\t1e3\t1", [["done", 1000, "1"]]],
      ["0\nd\t0x1f\t1", [["done", 31, "1"]]],
      ["0\nd\t9007199254740993\t1", [["malformed", 'a request id must be a whole number: "d\\t9007199254740993\\t1"']]],
      ["0\nd\t-1\t1\nd\t2\t2", [["malformed", 'a request id must be a whole number: "d\\t-1\\t1"']]],
      ["1\nc\t1\t2\ta\tb\n[]", [["malformed", 'a call needs a call id, a request id, a component, an op and arguments: "c\\t1\\t2\\ta\\tb"']]],
      ["1\nc\t0\t2\ta\tb\t[]", [["malformed", 'a call\'s ids must be whole numbers: "c\\t0\\t2\\ta\\tb\\t[]"']]],
    ];
    for (const [raw, effects] of cases) {
      expect(decoded(raw).effects).toEqual(effects);
      expect(oracle(raw).effects).toEqual(effects);
    }
  });

  it("decode any answer exactly as a split-per-line reading does (random answers, hostile bytes)", () => {
    const rng = createRng(7, "design-protocol-fuzz");
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
    const pieces = ["c", "s", "d", "x", "e", "q", "\t", "\t", "\t", "\n", "0", "1", "9", "12", "007", "-", ".", "e3", " ", "x", '"t"', "[]", "null", "\"\\n\"", "😀", "9007199254740993", "123456789012345", "1234567890123456"];
    const shapes = [
      () => `c\t${pick(["1", "2", "0", "", "007", "1.5", "x"])}\t${pick(["3", "", "-1", "1e2"])}\t${pick(["a", ""])}\t${pick(["op", ""])}\t${pick(["[]", "[1]", "\t"])}`,
      () => `s\t${pick(["3", "", " 3", "-0"])}\t${pick(["q", ""])}\t${pick(["p", ""])}\t${pick(["[]", ""])}`,
      () => `d\t${pick(["4", "04", "", "4.0", "4.5"])}\t${pick(["null", "{}", "\t"])}`,
      () => `x\t${pick(["5", "", "x"])}\t${pick(['"why"', "why", '"a\\tb"', "1"])}`,
      () => `e\t${pick(['"bad"', "bad", '"a"\t"b"', ""])}`,
      () => Array.from({ length: 1 + Math.floor(rng.next() * 8) }, () => pick(pieces)).join(""),
    ];
    for (let i = 0; i < 3000; i++) {
      const n = Math.floor(rng.next() * 5);
      const lines = Array.from({ length: n }, () => pick(shapes)());
      let raw = `${pick(["0", "1", "1", "2"])}${n > 0 || rng.next() < 0.2 ? "\n" : ""}${lines.join("\n")}`;
      if (rng.next() < 0.05) raw += "\n";
      expect(decoded(raw), JSON.stringify(raw)).toEqual(oracle(raw));
    }
    for (const raw of [undefined, 7, "", "2", "1x", "1\n", "0\n\n", "1\n\nd\t1\t1"]) expect(decoded(raw), String(raw)).toEqual(oracle(raw));
  });
});
