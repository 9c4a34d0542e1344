// The run cache's copy (src/grader/plain-copy.ts): the copy structuredClone makes, by a quicker walk for plain data.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { copyPlain } from "../../src/grader/plain-copy.ts";

describe("copyPlain", () => {
  it("copies plain data as structuredClone does, shared and cyclic references kept shared", () => {
    const shared = { value: [1, 2] };
    const value: Record<string, unknown> = { history: [{ process: "c1", value: shared }, { process: "c1", value: shared }], odd: [-0, NaN, Infinity, undefined, null, 10n, "é"], none: undefined, bare: Object.assign(Object.create(null) as object, { a: 1 }) };
    value.self = value;
    const copy = copyPlain(value);
    expect(isDeepStrictEqual(copy, structuredClone(value))).toBe(true);
    expect(copy).not.toBe(value);
    expect((copy.history as Array<{ value: unknown }>)[0]!.value).toBe((copy.history as Array<{ value: unknown }>)[1]!.value);
    expect((copy.history as Array<{ value: unknown }>)[0]!.value).not.toBe(shared);
    expect(copy.self).toBe(copy);
    expect(Object.hasOwn(copy, "none")).toBe(true);
    expect(Object.is((copy.odd as unknown[])[0], -0)).toBe(true);
  });

  it("leaves anything else to structuredClone: maps, dates, holes, a __proto__ key; refuses what it refuses", () => {
    const holes = [1, , 3];
    const proto = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as object;
    for (const value of [{ m: new Map([[1, 2]]) }, { d: new Date(0) }, { holes }, proto, { t: new Uint8Array([1, 2]) }]) {
      expect(isDeepStrictEqual(copyPlain(value), structuredClone(value))).toBe(true);
    }
    expect(Object.getPrototypeOf(copyPlain(proto))).toBe(Object.prototype);
    expect(() => copyPlain({ f: () => 1 })).toThrow(/could not be cloned/);
  });
});
