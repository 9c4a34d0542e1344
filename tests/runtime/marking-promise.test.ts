// The node's Promise must be the realm's Promise in behaviour (same microtask turns, so no history moves)
// while telling the runtime whenever a resolver it handed out is called.
import { describe, expect, it } from "vitest";
import { markingPromise } from "../../graders/runtime/marking-promise.ts";

function counter() {
  let marks = 0;
  return { P: markingPromise(() => void marks++), marks: () => marks };
}

/** The order in which continuations of two chains interleave, with `P` as the Promise. */
async function interleaving(P: PromiseConstructor): Promise<string[]> {
  const seen: string[] = [];
  let release!: (v: string) => void;
  const gate = new P<string>((r) => (release = r));
  const a = (async () => {
    seen.push(`a ${await gate}`);
    await null;
    seen.push("a2");
  })();
  const b = (async () => {
    await P.resolve();
    seen.push("b1");
    await P.all([P.resolve(1), gate]);
    seen.push("b2");
  })();
  P.resolve().then(() => seen.push("then"));
  release("open");
  await Promise.all([a, b]);
  return seen;
}

describe("the node's marking Promise", () => {
  it("marks when a resolver is called, not when a promise is made", async () => {
    const { P, marks } = counter();
    let resolve!: (v: number) => void;
    let reject!: (e: unknown) => void;
    const p = new P<number>((r) => (resolve = r));
    const q = new P<number>((_, r) => (reject = r));
    expect(marks()).toBe(0);
    resolve(1);
    reject(new Error("no"));
    expect(marks()).toBe(2);
    await expect(p).resolves.toBe(1);
    await expect(q).rejects.toThrow("no");
    const held = (P as unknown as { withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void } }).withResolvers<string>();
    held.resolve("x");
    expect(marks()).toBe(3);
    await expect(held.promise).resolves.toBe("x");
  });

  it("makes the realm's own promises: same constructor, statics, instanceof and subclassing", async () => {
    const { P } = counter();
    const p = new P((r) => r(1));
    expect(Object.getPrototypeOf(p)).toBe(Promise.prototype);
    expect(p.constructor).toBe(Promise);
    expect(p instanceof P).toBe(true);
    expect(P.resolve(p)).toBe(p);
    expect(await P.all([P.resolve(1), 2])).toEqual([1, 2]);
    class Later extends P<number> {}
    const later = new Later((r) => r(3));
    expect(later instanceof Later).toBe(true);
    expect(await later).toBe(3);
    expect(() => (P as unknown as () => unknown)()).toThrow(TypeError);
    expect(() => new P(42 as never)).toThrow(/resolver number is not a function/);
  });

  it("runs continuations in the same microtask turns as the realm's Promise", async () => {
    const { P } = counter();
    expect(await interleaving(P)).toEqual(await interleaving(Promise));
  });

  it("is frozen with its statics", () => {
    const { P } = counter();
    expect(Object.isFrozen(P)).toBe(true);
    expect(Object.isFrozen(P.resolve)).toBe(true);
    expect(() => {
      "use strict";
      (P as unknown as Record<string, unknown>).shared = 1;
    }).toThrow(TypeError);
  });
});
