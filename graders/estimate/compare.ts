/**
 * One figure against the model's: a distance in log10 units, whatever the figure's kind, and the credit it
 * earns. Full credit within 2× (|log10| ≤ 0.3), partial within 10×: an estimate is judged by its order of
 * magnitude, not its third digit, and 2× is about what two careful people's round numbers differ by.
 */
import { log10 } from "./numbers.ts";
import type { Compare } from "./types.ts";

export const fullCreditLog10 = 0.3;
export const partialCreditLog10 = 1;

export type Credit = 1 | 0.5 | 0;

export type Distance = { distance: number; invalid?: undefined } | { distance?: undefined; invalid: string };

const logOdds = (p: number): number => log10(p) - log10(1 - p);

/** How far `yours` is from `model` (positive: yours is higher), or why it cannot be compared. */
export function distance(compare: Compare, yours: number, model: number): Distance {
  switch (compare) {
    case "ratio":
      if (!(yours > 0)) return { invalid: `must be positive (it is ${yours})` };
      return { distance: log10(yours) - log10(model) };
    case "probability":
      if (!(yours > 0 && yours < 1)) return { invalid: `is ${yours}: a probability here lies strictly between 0 and 1 (exactly ${yours <= 0 ? "0 says it never happens" : "1 says it always happens"}${yours > 1 || yours < 0 ? "; outside 0…1 it is no probability at all" : ""})` };
      return { distance: logOdds(yours) - logOdds(model) };
    case "nines":
      return { distance: yours - model };
  }
}

export function creditFor(d: Distance): Credit {
  if (d.distance === undefined) return 0;
  const off = Math.abs(d.distance);
  return off <= fullCreditLog10 ? 1 : off <= partialCreditLog10 ? 0.5 : 0;
}

export const creditWord = (credit: Credit): string => (credit === 1 ? "full" : credit === 0.5 ? "partial" : "none");
