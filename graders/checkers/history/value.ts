import { ExactNumber } from "./number.ts";
import type { Value } from "./types.ts";

/**
 * Value text, equality and hashing for any history value. One iterative writer serves both the canonical
 * form (for comparing) and the display form (for messages): an explicit stack instead of recursion, so a
 * value of any depth is safe, and only own keys read with Object.keys, never a property looked up through a
 * prototype (a value's `toString` or `toJSON` key is data, not a method).
 */

/** True for a map (a plain or prototype-free object), false for vectors, exact numbers and scalars. */
export function isMapValue(value: unknown): value is { [key: string]: Value } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ExactNumber);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value); // -0 prints 0: the same number
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return String(value);
  if (value instanceof ExactNumber) return value.text;
  return `<${typeof value}>`;
}

interface Frame {
  items: readonly unknown[];
  /** Keys of a map (then `items` are its values), undefined for a vector. */
  keys: readonly string[] | undefined;
  next: number;
}

/**
 * Writes a value as JSON text (exact numbers as their digits). `sortKeys` makes equal maps write equally
 * whatever their key order; `maxChars` stops early, so describing a huge value costs little.
 */
export function valueText(value: unknown, options: { sortKeys?: boolean; maxChars?: number } = {}): string {
  const maxChars = options.maxChars ?? Infinity;
  const out: string[] = [];
  let length = 0;
  const write = (text: string): void => {
    out.push(text);
    length += text.length;
  };
  const stack: Frame[] = [];
  let pending: unknown = value;
  let hasPending = true;
  while (length <= maxChars) {
    if (hasPending) {
      hasPending = false;
      const v = pending;
      if (Array.isArray(v)) {
        write("[");
        stack.push({ items: v, keys: undefined, next: 0 });
      } else if (isMapValue(v)) {
        const keys = Object.keys(v);
        if (options.sortKeys) keys.sort();
        write("{");
        stack.push({ items: keys.map((k) => v[k]), keys, next: 0 });
      } else {
        write(scalarText(v));
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) break;
    if (top.next === top.items.length) {
      write(top.keys ? "}" : "]");
      stack.pop();
      continue;
    }
    if (top.next > 0) write(",");
    if (top.keys) write(`${JSON.stringify(top.keys[top.next])}:`);
    pending = top.items[top.next++];
    hasPending = true;
  }
  const text = out.join("");
  return text.length > maxChars ? `${text.slice(0, Math.max(0, maxChars - 3))}...` : text;
}

/** The canonical form: equal values (by content, map keys in any order, numbers by exact value) are equal strings. */
export function canonicalValue(value: unknown): string {
  return valueText(value, { sortKeys: true });
}

/** A short text for messages: JSON, cut to `maxChars`; `nothing` for a missing field. */
export function displayValue(value: unknown, maxChars = 60): string {
  return value === undefined ? "nothing" : valueText(value, { maxChars });
}

/** Value equality: identity for scalars, the canonical form for vectors, maps and exact numbers. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  return canonicalValue(a) === canonicalValue(b);
}

/** FNV-1a over a string, 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A 32-bit hash consistent with `sameValue`. */
export function hashValue(value: Value): number {
  if (value === null) return 0x1234567;
  if (typeof value === "number") return Number.isInteger(value) ? Math.imul(value | 0, 0x9e3779b1) ^ ((value / 0x100000000) | 0) : hashString(String(value));
  if (typeof value === "string") return hashString(value);
  if (typeof value === "boolean") return value ? 0x2345678 : 0x3456789;
  return hashString(canonicalValue(value));
}
