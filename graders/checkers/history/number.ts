/**
 * Number literals read without rounding. A history's numbers are compared by their exact decimal value:
 * reading them as doubles would make 9007199254740993 equal 9007199254740992, and 1e999 equal 2e999 (both
 * Infinity), and a non-linearizable history would pass. A literal a double holds exactly (its text is the
 * double's own shortest decimal, as JavaScript prints it) stays a plain `number`, the common case and
 * the fast one; any other literal becomes an `ExactNumber` carrying its exact decimal text.
 */

/** A number literal no double holds exactly, as its exact decimal in JavaScript's number notation. */
export class ExactNumber {
  /** Canonical text: equal numbers have equal texts (1e21 and 10e20 are both "1e+21"). */
  readonly text: string;
  constructor(text: string) {
    this.text = text;
    Object.freeze(this);
  }
  /** `--json` output and error messages show the exact digits (as a string: JSON readers would round them). */
  toJSON(): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
}

const LITERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact decimal value of a number literal (`-12`, `0.5`, `1.25e-3`, `5.`, `.5`) in the notation of
 * ECMAScript's Number::toString: plain digits when the decimal point falls within 21 digits of the first
 * one, exponent notation otherwise. For a literal a double holds exactly this is `String(Number(literal))`.
 * Exponents are BigInt arithmetic, so 1e9007199254740993 is exact too. Throws on text that is not a literal.
 */
export function exactDecimalText(literal: string): string {
  const match = LITERAL.exec(literal);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw new Error(`not a number literal: ${literal}`);
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  let digits = whole + fraction;
  let first = 0;
  while (first < digits.length && digits[first] === "0") first++;
  if (first === digits.length) return "0"; // -0 is 0
  let last = digits.length;
  while (digits[last - 1] === "0") last--;
  const trailingZeros = digits.length - last;
  digits = digits.slice(first, last);
  const k = digits.length;
  // value = 0.digits × 10^n, as the specification's algorithm states it
  const n = BigInt(exponent) - BigInt(fraction.length) + BigInt(trailingZeros) + BigInt(k);
  const minus = sign === "-" ? "-" : "";
  if (n >= BigInt(k) && n <= 21n) return minus + digits + "0".repeat(Number(n) - k);
  if (n > 0n && n <= 21n) return `${minus}${digits.slice(0, Number(n))}.${digits.slice(Number(n))}`;
  if (n > -6n && n <= 0n) return `${minus}0.${"0".repeat(-Number(n))}${digits}`;
  const e = n - 1n;
  const mantissa = k === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${minus}${mantissa}e${e < 0n ? "-" : "+"}${e < 0n ? -e : e}`;
}

// Up to 15 digits without a leading zero: a double holds it and prints it back the same (the common case).
const SHORT_INTEGER = /^-?[1-9]\d{0,14}$|^0$/;

/** Reads a validated number literal (no N or M suffix): a `number` when a double holds it exactly. */
export function readNumberLiteral(literal: string): number | ExactNumber {
  if (SHORT_INTEGER.test(literal)) return Number(literal);
  const double = Number(literal);
  const exact = exactDecimalText(literal);
  if (Number.isFinite(double) && String(double) === exact) return double;
  return new ExactNumber(exact);
}
