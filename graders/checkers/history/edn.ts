import { ExactNumber, readNumberLiteral } from "./number.ts";
import { HistoryParseError, NESTING_MAX, type Value } from "./types.ts";

/**
 * A small EDN reader for one Jepsen operation map per line: maps, vectors, lists, keywords (read as their
 * name without the colon), strings, integers, floats, nil, true/false. Sets, tags and characters are not
 * part of Jepsen operation maps and are reported as errors; so are duplicate map keys, as EDN requires.
 *
 * Built for hostile input: nesting is an explicit stack capped at NESTING_MAX (an error naming the line,
 * not a stack overflow), maps have no prototype (`:__proto__` is an ordinary key), and numbers keep their
 * exact value (number.ts; the N and M suffixes only say "big" and change nothing here).
 */
export function readEdnLine(text: string, line: number): Value {
  const reader = new EdnReader(text, line);
  const value = reader.read();
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail("end of line after the map", describeAt(text, reader.pos));
  return value;
}

function describeAt(text: string, pos: number): string {
  if (pos >= text.length) return "end of line";
  return JSON.stringify(text.slice(pos, pos + 12));
}

const DELIMITERS = " \t\r\n,{}[]()\"";
const INTEGER = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?(\d+\.\d*|\d*\.\d+|\d+)([eE][+-]?\d+)?M?$/;
const CLOSERS: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

interface Frame {
  close: string;
  items: Value[] | undefined;
  map: { [key: string]: Value } | undefined;
  /** The key read, waiting for its value (maps only). */
  key: string | undefined;
}

class EdnReader {
  text: string;
  pos = 0;
  line: number;
  constructor(text: string, line: number) {
    this.text = text;
    this.line = line;
  }

  fail(expected: string, found: string): never {
    throw new HistoryParseError(this.line, `${expected} (column ${this.pos + 1})`, found);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === " " || c === "," || c === "\t" || c === "\r" || c === "\n") this.pos++;
      else if (c === ";") this.pos = text.length;
      else break;
    }
  }

  /** Reads one value; containers are frames on an explicit stack. */
  read(): Value {
    const text = this.text;
    const stack: Frame[] = [];
    for (;;) {
      this.skipSpace();
      const top = stack[stack.length - 1];
      if (this.pos >= text.length) {
        if (!top) this.fail("a value", "end of line");
        this.fail(top.map ? "'}' closing the map" : `'${top.close}' closing the vector`, "end of line");
      }
      const c = text[this.pos]!;
      let value: Value;
      const keyAt = this.pos;
      if (top && c === top.close) {
        if (top.key !== undefined) this.fail(`a value for key :${top.key}`, describeAt(text, this.pos));
        this.pos++;
        stack.pop();
        value = top.map ?? top.items!;
      } else if (c === "{" || c === "[" || c === "(") {
        if (top?.map && top.key === undefined) this.fail("a keyword, string or number as map key", describeAt(text, this.pos));
        if (stack.length >= NESTING_MAX) {
          this.fail(`at most ${NESTING_MAX} levels of nesting`, `a deeper ${c === "{" ? "map" : "vector"}`);
        }
        this.pos++;
        const map = c === "{" ? (Object.create(null) as { [key: string]: Value }) : undefined;
        stack.push({ close: CLOSERS[c]!, items: map ? undefined : [], map, key: undefined });
        continue;
      } else {
        value = this.readScalar();
      }
      // A complete value: it goes into the container being read, or it is the line's value.
      const parent = stack[stack.length - 1];
      if (!parent) return value;
      if (parent.items) {
        parent.items.push(value);
      } else if (parent.key === undefined) {
        if (typeof value !== "string" && typeof value !== "number" && !(value instanceof ExactNumber)) {
          this.pos = keyAt;
          this.fail("a keyword, string or number as map key", describeAt(text, keyAt));
        }
        const key = String(value);
        if (Object.hasOwn(parent.map!, key)) {
          this.pos = keyAt;
          this.fail("a key not already in this map", `:${key} again`);
        }
        parent.key = key;
      } else {
        parent.map![parent.key] = value;
        parent.key = undefined;
      }
    }
  }

  readScalar(): Value {
    const text = this.text;
    const c = text[this.pos]!;
    if (c === '"') return this.readString();
    if (c === ":") {
      this.pos++;
      const word = this.readToken();
      if (word === "") this.fail("a keyword name after ':'", describeAt(text, this.pos));
      return word;
    }
    const token = this.readToken();
    if (token === "") this.fail("a value", describeAt(text, this.pos));
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (INTEGER.test(token)) return readNumberLiteral(token.replace(/N$/, ""));
    if (FLOAT.test(token)) return readNumberLiteral(token.replace(/M$/, ""));
    this.pos -= token.length;
    return this.fail("a keyword, string, number, nil, map or vector", JSON.stringify(token));
  }

  readToken(): string {
    const start = this.pos;
    const text = this.text;
    while (this.pos < text.length && !DELIMITERS.includes(text[this.pos]!)) this.pos++;
    return text.slice(start, this.pos);
  }

  readString(): string {
    const text = this.text;
    this.pos++; // opening quote
    const parts: string[] = [];
    let start = this.pos;
    for (;;) {
      if (this.pos >= text.length) this.fail('a closing \'"\'', "end of line");
      const c = text[this.pos]!;
      if (c === '"') {
        parts.push(text.slice(start, this.pos++));
        return parts.join("");
      }
      if (c !== "\\") {
        this.pos++;
        continue;
      }
      parts.push(text.slice(start, this.pos));
      const e = text[this.pos + 1];
      this.pos += 2;
      if (e === "n") parts.push("\n");
      else if (e === "t") parts.push("\t");
      else if (e === "r") parts.push("\r");
      else if (e === '"' || e === "\\") parts.push(e);
      else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(this.pos, this.pos + 4))) {
        parts.push(String.fromCharCode(parseInt(text.slice(this.pos, this.pos + 4), 16)));
        this.pos += 4;
      } else {
        this.pos -= 2;
        this.fail("a string escape (\\n \\t \\r \\\" \\\\ \\uXXXX)", JSON.stringify(`\\${e ?? ""}`));
      }
      start = this.pos;
    }
  }
}
