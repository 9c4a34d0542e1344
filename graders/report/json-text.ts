/**
 * JSON text of any value a node could have sent, without recursion. A learner's reply may nest arrays
 * 100,000 deep: JSON.parse reads that, but JSON.stringify (and any recursive walk) runs out of call stack
 * long before. For every value JSON.stringify can write, the text is the same, so history hashes do not move.
 */

export interface JsonTextOptions {
  /** Write object keys in sorted order (code-unit order): the same text for the same value, whatever the key order. */
  sortKeys?: boolean;
}

/** JSON.stringify's text of `value` (or "undefined" where it has none), at any depth. Throws only on a cycle or a BigInt, as JSON.stringify does. */
export function jsonText(value: unknown, options: JsonTextOptions = {}): string {
  const sortKeys = options.sortKeys === true;
  if (value === null || typeof value !== "object") return scalarText(toJsonValue(value, "")) ?? "undefined";
  if (!sortKeys) {
    // The native writer is much faster; only a value deeper than the call stack falls through to the loop.
    try {
      return JSON.stringify(value) ?? "undefined";
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return (sortKeys ? sortedPlainText(value, 0) : undefined) ?? writeIteratively(value, sortKeys);
}

const objectPrototype = Object.prototype;
const arrayPrototype = Array.prototype;
/** Deeper than this, the loop writes the value: the recursion below stays far from the end of the stack. */
const plainDepthMax = 64;

/**
 * The sorted-key text of plain data (plain objects, arrays, strings, numbers, booleans, null) written
 * directly, several times quicker than the loop, which is for anything else: undefined here whenever the
 * value holds something the loop treats with care (a toJSON, a boxed primitive, another realm's object, a
 * BigInt, a cycle or great depth), and the loop then writes or refuses the whole value. replicated-log's
 * status probe writes every log entry it sees so, inside the runs and again in the checks.
 */
function sortedPlainText(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return "null";
  if (depth === plainDepthMax) return undefined;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype === arrayPrototype && Array.isArray(value)) {
    if (Object.hasOwn(value, "toJSON")) return undefined;
    let text = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // As JSON.stringify: an item with no JSON text is written as null.
      const part = item === undefined || typeof item === "function" || typeof item === "symbol" ? "null" : sortedPlainText(item, depth + 1);
      if (part === undefined) return undefined;
      text += i === 0 ? part : `,${part}`;
    }
    return `${text}]`;
  }
  if ((prototype !== objectPrototype && prototype !== null) || Object.hasOwn(value, "toJSON")) return undefined;
  const keys = Object.keys(value);
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1]! < keys[i]!;
  if (!ordered) keys.sort();
  let text = "{";
  let written = 0;
  for (const key of keys) {
    const member: unknown = (value as Record<string, unknown>)[key];
    // As JSON.stringify: a member with no JSON text is left out.
    if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
    const part = sortedPlainText(member, depth + 1);
    if (part === undefined) return undefined;
    text += `${written++ === 0 ? "" : ","}${JSON.stringify(key)}:${part}`;
  }
  return `${text}}`;
}

/** A learner-supplied value as text for a message: a string as it is, anything else as JSON. Never throws. */
export function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return jsonText(value);
  } catch {
    return "(a value that cannot be written as JSON)";
  }
}

type Frame =
  | { array: true; value: readonly unknown[]; index: number }
  | { array: false; value: Record<string, unknown>; keys: string[]; index: number; written: number };

function writeIteratively(root: unknown, sortKeys: boolean): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  /** Containers being written: meeting one again is a cycle (JSON.stringify throws a TypeError too). */
  const onPath = new Set<object>();
  /** Writes a scalar, or opens a container and pushes its frame. False when the value has no JSON text (undefined, a function). */
  const put = (raw: unknown, key: string): boolean => {
    const value = toJsonValue(raw, key);
    if (value === null || typeof value !== "object") {
      const text = scalarText(value);
      if (text === undefined) return false;
      parts.push(text);
      return true;
    }
    if (onPath.has(value)) throw new TypeError("Converting circular structure to JSON");
    onPath.add(value);
    if (Array.isArray(value)) {
      parts.push("[");
      stack.push({ array: true, value, index: 0 });
    } else {
      const keys = Object.keys(value);
      if (sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      parts.push("{");
      stack.push({ array: false, value: value as Record<string, unknown>, keys, index: 0, written: 0 });
    }
    return true;
  };
  if (!put(root, "")) return "undefined";
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.array) {
      if (top.index === top.value.length) {
        parts.push("]");
        onPath.delete(top.value);
        stack.pop();
        continue;
      }
      const i = top.index++;
      if (i > 0) parts.push(",");
      if (!put(top.value[i], String(i))) parts.push("null");
    } else {
      if (top.index === top.keys.length) {
        parts.push("}");
        onPath.delete(top.value);
        stack.pop();
        continue;
      }
      const key = top.keys[top.index++]!;
      const mark = parts.length;
      parts.push(top.written > 0 ? "," : "", JSON.stringify(key), ":");
      // A member with no JSON text (undefined, a function) is left out, separator and all.
      if (put(top.value[key], key)) top.written++;
      else parts.length = mark;
    }
  }
  return parts.join("");
}

/** What JSON.stringify writes in a value's place: its toJSON(), or the primitive inside a boxed one. */
function toJsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === "object") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return toJSON.call(value, key) as unknown;
    if (value instanceof Number || value instanceof String || value instanceof Boolean) return value.valueOf();
  }
  return value;
}

function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    case "object":
      return "null";
    default:
      return undefined;
  }
}
