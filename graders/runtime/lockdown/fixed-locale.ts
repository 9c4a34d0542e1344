/**
 * Makes every locale-dependent built-in default to "en-US" and UTC: the `Intl` constructors (wrapped, the
 * originals kept only in this closure; each prototype's `constructor` points to its wrapper), and the
 * `toLocale…`/`localeCompare` methods of String, Number and BigInt (Date's are in virtual-date.ts; Array's
 * and the typed arrays' call their elements' methods, so they follow). A DateTimeFormat asked to format
 * "now" (no date) formats the simulator's clock.
 */
import { fixCaseLocale, fixLocales, withDefaultTimeZone } from "./locale-defaults.ts";

const { apply, construct, defineProperty, getOwnPropertyDescriptor, ownKeys } = Reflect;
type Constructor = new (...args: unknown[]) => object;

/** Intl constructors that take (locales, options); the DateTimeFormat one also defaults its time zone. */
const localeConstructors = [
  "Collator", "DateTimeFormat", "DisplayNames", "DurationFormat", "ListFormat", "NumberFormat", "PluralRules",
  "RelativeTimeFormat", "Segmenter",
] as const;

export function fixLocale(now: () => number): void {
  const intl = Intl as unknown as Record<string, Constructor | undefined>;
  for (const name of localeConstructors) {
    const original = intl[name];
    if (typeof original === "function") wrapConstructor(intl, name, original, name === "DateTimeFormat" ? withDefaultTimeZone : keep);
  }
  formatNowAsClock(now);
  fixMethods();
}

const keep = (options: unknown): unknown => options;

function wrapConstructor(intl: Record<string, unknown>, name: string, Original: Constructor, fixOptions: (options: unknown) => unknown): void {
  const Wrapper = function (this: unknown, locales?: unknown, options?: unknown): object {
    "use strict";
    const args = [fixLocales(locales), fixOptions(options)];
    // Without `new`, the original decides: DateTimeFormat, NumberFormat and Collator return an instance,
    // the others throw their own TypeError.
    if (new.target === undefined) return apply(Original as unknown as (...a: unknown[]) => object, undefined, args);
    return construct(Original, args, new.target);
  };
  for (const key of ownKeys(Original)) {
    if (key === "prototype") continue;
    defineProperty(Wrapper, key, getOwnPropertyDescriptor(Original, key)!); // name, length, supportedLocalesOf
  }
  defineProperty(Wrapper, "prototype", { value: Original.prototype, writable: false, enumerable: false, configurable: false });
  defineProperty(Original.prototype, "constructor", { value: Wrapper, writable: true, enumerable: false, configurable: true });
  defineProperty(intl, name, { value: Wrapper, writable: true, enumerable: false, configurable: true });
}

/** `format()` and `formatToParts()` without a date mean "now": the simulator's, not the wall clock. */
function formatNowAsClock(now: () => number): void {
  const proto = Intl.DateTimeFormat.prototype;
  const formatGetter = getOwnPropertyDescriptor(proto, "format")!.get!;
  const formatToParts = proto.formatToParts;
  // The built-in getter hands out one bound function per instance; so does this one.
  const bound = new WeakMap<object, (date?: unknown) => string>();
  class Clocked {
    get format(): (date?: unknown) => string {
      const original = apply(formatGetter, this, []) as (date?: unknown) => string;
      let fn = bound.get(this);
      if (fn === undefined) {
        fn = (date?: unknown) => original(date === undefined ? now() : date);
        defineProperty(fn, "name", { value: "" });
        bound.set(this, fn);
      }
      return fn;
    }
    formatToParts(date?: unknown): unknown {
      return apply(formatToParts, this, [date === undefined ? now() : date]);
    }
  }
  const getter = getOwnPropertyDescriptor(Clocked.prototype, "format")!.get!;
  defineProperty(proto, "format", { get: getter, set: undefined, enumerable: false, configurable: true });
  defineProperty(proto, "formatToParts", { value: Clocked.prototype.formatToParts, writable: true, enumerable: false, configurable: true });
}

/** The prototype methods that take locales; a class body so that they are strict and not constructors. */
function fixMethods(): void {
  const string = String.prototype;
  const { localeCompare, toLocaleLowerCase, toLocaleUpperCase } = string;
  const numberToLocale = Number.prototype.toLocaleString;
  const bigintToLocale = BigInt.prototype.toLocaleString;
  class StringMethods {
    localeCompare(this: string, that: unknown, locales?: unknown, options?: unknown): number {
      return apply(localeCompare, this, [that, fixLocales(locales), options]);
    }
    toLocaleLowerCase(this: string, locales?: unknown): string {
      return apply(toLocaleLowerCase, this, [fixCaseLocale(locales)]);
    }
    toLocaleUpperCase(this: string, locales?: unknown): string {
      return apply(toLocaleUpperCase, this, [fixCaseLocale(locales)]);
    }
  }
  class NumberMethods {
    toLocaleString(this: number, locales?: unknown, options?: unknown): string {
      return apply(numberToLocale, this, [fixLocales(locales), options]);
    }
  }
  class BigIntMethods {
    toLocaleString(this: bigint, locales?: unknown, options?: unknown): string {
      return apply(bigintToLocale, this, [fixLocales(locales), options]);
    }
  }
  copyMethods(StringMethods.prototype, string);
  copyMethods(NumberMethods.prototype, Number.prototype);
  copyMethods(BigIntMethods.prototype, BigInt.prototype);
}

function copyMethods(from: object, to: object): void {
  for (const key of ownKeys(from)) {
    if (key === "constructor") continue;
    defineProperty(to, key, { value: getOwnPropertyDescriptor(from, key)!.value, writable: true, enumerable: false, configurable: true });
  }
}
