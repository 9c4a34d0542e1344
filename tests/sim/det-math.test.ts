// The engine's own elementary functions: close to Math's (which are not the same bits in every engine).
import { describe, expect, it } from "vitest";
import { cos, exp, ln, pow, sin } from "../../graders/sim/det-math.ts";

function maxRelativeError(f: (x: number) => number, g: (x: number) => number, inputs: number[]): number {
  let worst = 0;
  for (const x of inputs) {
    const want = g(x);
    const err = Math.abs(f(x) - want) / Math.max(Math.abs(want), 1e-300);
    if (want !== 0) worst = Math.max(worst, err);
  }
  return worst;
}

const range = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => from + ((to - from) * (i + 0.5)) / n);

describe("deterministic math", () => {
  it("ln agrees with Math.log to a few ulps, from subnormals to huge", () => {
    const inputs = [...range(1e-6, 1, 20_000), ...range(1, 1e6, 20_000), 5e-324, 1e-310, 1e300, 0.5, 2, Math.E];
    expect(maxRelativeError(ln, Math.log, inputs.filter((x) => Math.abs(Math.log(x)) > 1e-3))).toBeLessThan(1e-14);
    expect(ln(1)).toBe(0);
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-1)).toBeNaN();
  });
  it("exp agrees with Math.exp to a few ulps", () => {
    expect(maxRelativeError(exp, Math.exp, range(-700, 700, 40_000))).toBeLessThan(1e-14);
    expect(exp(0)).toBe(1);
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-1000)).toBe(0);
  });
  it("pow, sin and cos agree with Math's", () => {
    expect(maxRelativeError((x) => pow(x, 0.99), (x) => Math.pow(x, 0.99), range(1, 1e5, 10_000))).toBeLessThan(1e-13);
    const angles = range(-20, 20, 40_000);
    let worst = 0;
    for (const x of angles) worst = Math.max(worst, Math.abs(sin(x) - Math.sin(x)), Math.abs(cos(x) - Math.cos(x)));
    expect(worst).toBeLessThan(1e-14);
  });
});
