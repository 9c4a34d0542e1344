// The tolerance: full credit within 2× (|log10| ≤ 0.3), partial within 10×, none beyond, in every kind of
// comparison; and the words a message uses for numbers and gaps.
import { describe, expect, it } from "vitest";
import { creditFor, distance } from "../../graders/estimate/compare.ts";
import { formatFactor, formatNumber, formatProbability } from "../../graders/estimate/numbers.ts";

const credit = (...args: Parameters<typeof distance>) => creditFor(distance(...args));

describe("credit", () => {
  it("ratio: 2× is just outside full credit, 10× just inside partial", () => {
    expect(credit("ratio", 1.99, 1)).toBe(1);
    expect(credit("ratio", 1 / 1.99, 1)).toBe(1);
    expect(credit("ratio", 2, 1)).toBe(0.5);
    expect(credit("ratio", 10, 1)).toBe(0.5);
    expect(credit("ratio", 0.1, 1)).toBe(0.5);
    expect(credit("ratio", 10.1, 1)).toBe(0);
    expect(credit("ratio", 3.6e12, 3.6e12)).toBe(1);
  });

  it("ratio: zero and negative figures are not compared", () => {
    expect(distance("ratio", 0, 5).invalid).toMatch(/must be positive/);
    expect(credit("ratio", -5, 5)).toBe(0);
  });

  it("probability: by the odds, so 0.9998 against 0.999 is 5× off while a ratio would call them equal", () => {
    expect(credit("ratio", 0.9998, 0.999)).toBe(1);
    expect(credit("probability", 0.9998, 0.999)).toBe(0.5);
    expect(credit("probability", 0.99999, 0.999)).toBe(0);
    expect(credit("probability", 0.63, 0.6)).toBe(1);
    expect(credit("probability", 1, 0.6)).toBe(0);
    expect(distance("probability", 1.5, 0.6).invalid).toMatch(/strictly between 0 and 1/);
    expect(distance("probability", 0, 0.6).invalid).toMatch(/0 says it never happens/);
  });

  it("nines: by their difference", () => {
    expect(credit("nines", 3.25, 3)).toBe(1);
    expect(credit("nines", 3.5, 3)).toBe(0.5);
    expect(credit("nines", 4.2, 3)).toBe(0);
  });
});

describe("number words", () => {
  it("rounds to three significant digits, groups thousands, writes powers of ten", () => {
    expect(formatNumber(3472.2)).toBe("3,470");
    expect(formatNumber(0.08431)).toBe("0.0843");
    expect(formatNumber(1.25e9)).toBe("1.25 × 10⁹");
    expect(formatNumber(2e-5)).toBe("2 × 10⁻⁵");
  });
  it("keeps a probability's distance from 1 visible", () => {
    expect(formatProbability(0.99968)).toBe("0.99968");
    expect(formatProbability(0.5)).toBe("0.5");
  });
  it("says gaps as factors", () => {
    expect(formatFactor(Math.log10(3))).toBe("3.0× too high");
    expect(formatFactor(-Math.log10(24))).toBe("24× too low");
  });
});
