import { readNumberLiteral } from "./number.ts";
import { HistoryParseError, NESTING_MAX, type Value } from "./types.ts";

/**
 * A JSON reader for one history line (RFC 8259), written instead of JSON.parse for three reasons: numbers
 * keep their exact value (see number.ts), objects have no prototype, and nesting is an explicit stack with a
 * depth cap, so hostile input is a HistoryParseError naming the line, never a stack overflow. Duplicate keys
 * are refused: JSON.parse keeps the last one silently, which would let `"type"` say two things.
 */
export function readJsonLine(text: string, line: number): Value {
  return new JsonReader(text, line).read();
}

type Frame =
  | { kind: "array"; items: Value[]; state: "first" | "item" | "after" }
  | { kind: "object"; map: { [key: string]: Value }; key: string; state: "first" | "key" | "colon" | "value" | "after" };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const SHOW_MAX = 12;
/** A run of string characters that need no decoding: not a quote, a backslash or a control character. */
const PLAIN = /[^"\\\u0000-\u001f]*/y;

class JsonReader {
  text: string;
  line: number;
  pos = 0;
  constructor(text: string, line: number) {
    this.text = text;
    this.line = line;
  }

  /** Syntax errors keep the historical shape: expected "one JSON object per line", found what was wrong. */
  fail(expected: string): never {
    const found = this.pos >= this.text.length ? "end of line" : JSON.stringify(this.text.slice(this.pos, this.pos + SHOW_MAX));
    throw new HistoryParseError(this.line, "one JSON object per line", `invalid JSON (expected ${expected} at column ${this.pos + 1}, found ${found})`);
  }

  skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  read(): Value {
    const stack: Frame[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      const top = stack[stack.length - 1];
      let value: Value;
      if (top?.kind === "object" && top.state !== "value") {
        if (c === "}" && (top.state === "first" || top.state === "after")) {
          this.pos++;
          stack.pop();
          value = top.map;
        } else if (top.state === "after") {
          if (c !== ",") this.fail("',' or '}'");
          this.pos++;
          top.state = "key";
          continue;
        } else if (top.state === "colon") {
          if (c !== ":") this.fail("':'");
          this.pos++;
          top.state = "value";
          continue;
        } else {
          if (c !== '"') this.fail(top.state === "first" ? "a key or '}'" : "a key");
          const keyAt = this.pos;
          const key = this.readString();
          if (Object.hasOwn(top.map, key)) {
            this.pos = keyAt;
            this.fail(`a key not already in this object (${JSON.stringify(key)} is)`);
          }
          top.key = key;
          top.state = "colon";
          continue;
        }
      } else if (top?.kind === "array" && top.state !== "item" && (c === "]" || top.state === "after")) {
        if (c === "]") {
          this.pos++;
          stack.pop();
          value = top.items;
        } else {
          if (c !== ",") this.fail("',' or ']'");
          this.pos++;
          top.state = "item";
          continue;
        }
      } else if (c === "{" || c === "[") {
        if (stack.length >= NESTING_MAX) {
          throw new HistoryParseError(this.line, `at most ${NESTING_MAX} levels of nesting (column ${this.pos + 1})`, `a deeper ${c === "{" ? "object" : "array"}`);
        }
        this.pos++;
        stack.push(
          c === "{"
            ? { kind: "object", map: Object.create(null) as { [key: string]: Value }, key: "", state: "first" }
            : { kind: "array", items: [], state: "first" },
        );
        continue;
      } else {
        value = this.readScalar();
      }
      // A complete value: it goes into the container being read, or it is the line's value.
      const parent = stack[stack.length - 1];
      if (!parent) {
        this.skipSpace();
        if (this.pos < this.text.length) this.fail("end of line after the value");
        return value;
      }
      if (parent.kind === "array") parent.items.push(value);
      else parent.map[parent.key] = value;
      parent.state = "after";
    }
  }

  readScalar(): Value {
    const text = this.text;
    const c = text[this.pos];
    if (c === '"') return this.readString();
    const word = c === "t" ? "true" : c === "f" ? "false" : c === "n" ? "null" : undefined;
    if (word !== undefined && text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return word === "true" ? true : word === "false" ? false : null;
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(text);
    if (!match) this.fail("a value");
    this.pos += match[0].length;
    return readNumberLiteral(match[0]);
  }

  readString(): string {
    const text = this.text;
    this.pos++; // opening quote
    const parts: string[] = [];
    for (;;) {
      PLAIN.lastIndex = this.pos;
      PLAIN.test(text);
      if (PLAIN.lastIndex > this.pos) parts.push(text.slice(this.pos, PLAIN.lastIndex));
      this.pos = PLAIN.lastIndex;
      if (this.pos >= text.length) this.fail("'\"' closing the string");
      const c = text[this.pos];
      if (c === '"') {
        this.pos++;
        return parts.length === 1 ? parts[0]! : parts.join("");
      }
      if (c !== "\\") this.fail("a character (control characters must be escaped)");
      const e = text[this.pos + 1] ?? "";
      if (e === "u") {
        const hex = text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("\\u and four hex digits");
        parts.push(String.fromCharCode(parseInt(hex, 16)));
        this.pos += 6;
      } else {
        const decoded = ESCAPES[e];
        if (decoded === undefined || !Object.hasOwn(ESCAPES, e)) this.fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        parts.push(decoded);
        this.pos += 2;
      }
    }
  }
}
