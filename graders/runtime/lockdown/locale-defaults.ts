/**
 * The two defaults a locked realm uses instead of the machine's: the locale "en-US" and the time zone
 * "UTC". ECMA-402 falls back to the host's default locale when no locale is given, when the list is empty,
 * and when none of the requested ones is available; appending "en-US" to every list covers all three, and
 * an explicitly given, available locale still wins (it comes first).
 */
export const defaultLocale = "en-US";
export const defaultTimeZone = "UTC";

const getCanonicalLocales = Intl.getCanonicalLocales;
const { create } = Object;

/** The `locales` argument to pass on: a string when none was given (engines cache that case). */
export function fixLocales(locales: unknown): string | string[] {
  if (locales === undefined) return defaultLocale;
  const requested = getCanonicalLocales(locales as string[]); // throws the RangeError the built-in would
  if (requested.length === 0) return defaultLocale;
  requested.push(defaultLocale);
  return requested;
}

/** The first requested locale, or the default: what the case-mapping methods use. */
export function fixCaseLocale(locales: unknown): string {
  if (locales === undefined) return defaultLocale;
  const requested = getCanonicalLocales(locales as string[]);
  return requested.length === 0 ? defaultLocale : requested[0]!;
}

/**
 * `options` with `timeZone: "UTC"` unless it names one. The other options are read through the prototype,
 * so getters and inherited options behave as they did; null stays null for the built-in's TypeError.
 */
export function withDefaultTimeZone(options: unknown): unknown {
  if (options === undefined) return { timeZone: defaultTimeZone };
  if (options === null) return options;
  const object = Object(options) as { timeZone?: unknown };
  if (object.timeZone !== undefined) return options;
  return create(object, { timeZone: { value: defaultTimeZone, writable: true, enumerable: true, configurable: true } });
}
