// The one-realm sandbox's way into a realm (scope/continuations.ts enterAs): the engine's call runs as that
// realm (its clock and random stream) with every argument in place, the realm before it comes back after a
// return and after a throw, and an entry it could not pass every argument to is refused.
import { describe, expect, it } from "vitest";
import { activeClock, enterAs, runAs, type ActiveRealm } from "../../graders/sandbox/scope/continuations.ts";

const realm = (now: number): ActiveRealm => ({ markAsync: () => {}, now: () => now, random: () => now / 1000 });

describe("enterAs", () => {
  it("calls the entry as the realm, with all eight arguments, and restores the realm outside", () => {
    const seen: unknown[] = [];
    const entry = (a: number, b: string, c: boolean, d: undefined, e: number, f: string, g: number, h: string) => {
      seen.push([a, b, c, d, e, f, g, h], activeClock.now(), activeClock.random());
      return "answer";
    };
    const outer = realm(5);
    const enter = enterAs(realm(42), entry as never) as unknown as typeof entry;
    const answer = runAs(outer, () => [enter(1, "two", true, undefined, 5, "six", 7, "eight"), activeClock.now()]);
    expect(answer).toEqual(["answer", 5]);
    expect(seen).toEqual([[1, "two", true, undefined, 5, "six", 7, "eight"], 42, 0.042]);
    expect(activeClock.now()).toBe(0);
  });

  it("restores the realm when the entry throws", () => {
    const enter = enterAs(realm(9), (() => {
      throw new Error("boom");
    }) as never);
    expect(() => runAs(realm(3), () => (enter as () => unknown)())).toThrow("boom");
    expect(runAs(realm(3), () => {
      try {
        (enter as () => unknown)();
      } catch {}
      return activeClock.now();
    })).toBe(3);
    expect(activeClock.now()).toBe(0);
  });

  it("refuses an entry of more than eight parameters", () => {
    const nine = (_1: 1, _2: 2, _3: 3, _4: 4, _5: 5, _6: 6, _7: 7, _8: 8, _9: 9) => 0;
    expect(() => enterAs(realm(1), nine as never)).toThrow(/nine|9 parameters/);
  });
});
