// jsonText's sorted-key text: plain data is written directly, anything else by the loop; both give the same text.
import { describe, expect, it } from "vitest";
import { jsonText } from "../../graders/report/json-text.ts";

/** The text JSON.stringify gives a copy whose keys were added in code-unit order (no digit-only keys). */
const sortedByCopy = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );

describe("jsonText with sortKeys", () => {
  it("writes plain data with its keys in code-unit order, as the native writer would", () => {
    const values = [
      { term: 2, op: { type: "write", key: "k1", value: [3, null, "é"], client: "c1" } },
      { b: undefined, a: () => 1, c: [undefined, () => 2], Z: -0, y: NaN, x: Infinity, "\u2028": "\ud800" },
      Object.assign(Object.create(null) as object, { b: 1, a: { d: true, c: false } }),
      [{ b: 1, a: 2 }, [], {}, ""],
    ];
    for (const value of values) expect(jsonText(value, { sortKeys: true })).toBe(sortedByCopy(value));
  });

  it("orders digit-only keys as text too (an object lists them first)", () => {
    expect(jsonText({ b: 1, 10: 2, 9: 3, a: 4 }, { sortKeys: true })).toBe('{"10":2,"9":3,"a":4,"b":1}');
  });

  it("leaves toJSON, boxed primitives and depth to the loop, with the same text", () => {
    expect(jsonText({ when: new Date(0), n: new Number(3), s: new String("x") }, { sortKeys: true })).toBe('{"n":3,"s":"x","when":"1970-01-01T00:00:00.000Z"}');
    expect(jsonText({ b: 1, a: { toJSON: () => ({ z: 1, y: 2 }) } }, { sortKeys: true })).toBe('{"a":{"y":2,"z":1},"b":1}');
    let deep: unknown = { b: 1, a: 0 };
    for (let i = 0; i < 1000; i++) deep = { z: deep, a: i };
    expect(jsonText(deep, { sortKeys: true })).toBe(sortedByCopy(deep));
  });

  it("refuses a cycle and a BigInt as JSON.stringify does", () => {
    const cyclic: Record<string, unknown> = { b: 1 };
    cyclic.a = { back: cyclic };
    expect(() => jsonText(cyclic, { sortKeys: true })).toThrow(TypeError);
    expect(() => jsonText({ a: [1n] }, { sortKeys: true })).toThrow(TypeError);
  });
});
