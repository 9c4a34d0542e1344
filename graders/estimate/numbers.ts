/**
 * Arithmetic and number words for the estimation drills. Logarithms come from sim/det-math.ts, so a credit
 * is the same in every JavaScript engine; rounding and formatting use toPrecision and toExponential, which
 * ECMAScript specifies to the digit.
 */
import { exp, ln, pow } from "../sim/det-math.ts";

const LN10 = 2.302585092994046;

export const log10 = (x: number): number => ln(x) / LN10;
export const pow10 = (x: number): number => exp(x * LN10);
export { exp, ln, pow };

/** x rounded to `digits` significant digits: stated assumptions are round numbers, as in an interview. */
export function roundSignificant(x: number, digits: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits));
}

const superscripts: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** Digits grouped by thousands with commas, locale-free. */
function grouped(text: string): string {
  const [whole, fraction] = text.split(".");
  const sign = whole!.startsWith("-") ? "-" : "";
  const digits = sign ? whole!.slice(1) : whole!;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${withCommas}${fraction !== undefined ? `.${fraction}` : ""}`;
}

/** A figure for people: three significant digits, "3,470", "0.0843", "1.25 × 10⁹". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3) {
    const [mantissa, exponent] = x.toExponential(2).split("e");
    const power = [...String(Number(exponent))].map((c) => superscripts[c] ?? c).join("");
    return `${mantissa!.replace(/\.?0+$/, "")} × 10${power}`;
  }
  if (abs >= 100) return grouped(String(Math.round(Number(x.toPrecision(3)))));
  return grouped(String(Number(x.toPrecision(3))));
}

/** A stated assumption as it was drawn (round already): every digit kept below a million, "0.99995", "2,500". */
export function formatAssumption(x: number): string {
  return Math.abs(x) >= 1e6 ? formatNumber(x) : grouped(String(x));
}

/** A probability for people: near 1 it keeps enough digits to show how far from 1 it is (0.99968). */
export function formatProbability(p: number): string {
  if (!(p > 0.99 && p < 1)) return formatNumber(p);
  const decimals = Math.min(15, Math.ceil(-log10(1 - p)) + 2);
  return p.toFixed(decimals).replace(/0+$/, "");
}

/** How far apart two figures are, in words: "3.0× too high", "24× too low". */
export function formatFactor(distanceLog10: number): string {
  const factor = pow10(Math.abs(distanceLog10));
  const text = factor >= 10 ? formatNumber(factor) : factor.toFixed(1);
  return `${text}× too ${distanceLog10 > 0 ? "high" : "low"}`;
}
