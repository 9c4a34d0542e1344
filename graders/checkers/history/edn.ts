import { HistoryParseError, type Value } from "./types.ts";

/**
 * A small EDN reader for one Jepsen operation map per line: maps, vectors, lists, keywords (read as their
 * name without the colon), strings, integers, floats, nil, true/false. Sets, tags and characters are not
 * part of Jepsen operation maps and are reported as errors.
 */
export function readEdnLine(text: string, line: number): Value {
  const reader = new EdnReader(text, line);
  reader.skipSpace();
  const value = reader.readValue();
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail("end of line after the map", describeAt(text, reader.pos));
  return value;
}

function describeAt(text: string, pos: number): string {
  if (pos >= text.length) return "end of line";
  return JSON.stringify(text.slice(pos, pos + 12));
}

const DELIMITERS = " \t\r\n,{}[]()\"";

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

  readValue(): Value {
    const text = this.text;
    if (this.pos >= text.length) this.fail("a value", "end of line");
    const c = text[this.pos]!;
    if (c === "{") return this.readMap();
    if (c === "[" || c === "(") return this.readVector(c === "[" ? "]" : ")");
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
    if (/^[+-]?\d+N?$/.test(token)) return Number(token.replace(/N$/, ""));
    if (/^[+-]?(\d+\.\d*|\d*\.\d+|\d+)([eE][+-]?\d+)?M?$/.test(token)) return Number(token.replace(/M$/, ""));
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
    let out = "";
    for (;;) {
      if (this.pos >= text.length) this.fail('a closing \'"\'', "end of line");
      const c = text[this.pos++]!;
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = text[this.pos++];
      if (e === "n") out += "\n";
      else if (e === "t") out += "\t";
      else if (e === "r") out += "\r";
      else if (e === '"' || e === "\\") out += e;
      else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(this.pos, this.pos + 4))) {
        out += String.fromCharCode(parseInt(text.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else this.fail("a string escape (\\n \\t \\r \\\" \\\\ \\uXXXX)", JSON.stringify(`\\${e ?? ""}`));
    }
  }

  readVector(close: string): Value[] {
    this.pos++;
    const items: Value[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) this.fail(`'${close}' closing the vector`, "end of line");
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.readValue());
    }
  }

  readMap(): { [key: string]: Value } {
    this.pos++;
    const map: { [key: string]: Value } = {};
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) this.fail("'}' closing the map", "end of line");
      if (this.text[this.pos] === "}") {
        this.pos++;
        return map;
      }
      const keyAt = this.pos;
      const key = this.readValue();
      if (typeof key !== "string" && typeof key !== "number") {
        this.pos = keyAt;
        this.fail("a keyword, string or number as map key", describeAt(this.text, keyAt));
      }
      this.skipSpace();
      if (this.pos >= this.text.length || this.text[this.pos] === "}") {
        this.fail(`a value for key :${key}`, describeAt(this.text, this.pos));
      }
      map[String(key)] = this.readValue();
    }
  }
}
