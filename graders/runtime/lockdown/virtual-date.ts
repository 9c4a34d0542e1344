/**
 * Replaces the realm's `Date` with one that reads the simulator's clock and lives in UTC. The original
 * constructor stays only in this module's closure: the new one shares `Date.prototype` (so instances,
 * `instanceof` and subclasses keep working) and `Date.prototype.constructor` points to it, so no property
 * path leads back to the wall clock. Local-time methods become their UTC twins, whatever the machine's TZ.
 */
import { parseAsUtc } from "./date-parse.ts";
import { timeValueOf, utcDateText, utcDateTimeText, utcTimeText } from "./date-text.ts";
import { fixLocales, withDefaultTimeZone } from "./locale-defaults.ts";

const OriginalDate = Date;
const proto = Date.prototype;
const { apply, construct, defineProperty, deleteProperty, getOwnPropertyDescriptor, ownKeys } = Reflect;

/** ECMAScript's TimeClip: what `new Date(x)` keeps of a time value. */
function timeClip(ms: number): number {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? Math.trunc(ms) + 0 : Number.NaN;
}

/** ECMAScript's ToPrimitive with the default hint, which `new Date(value)` applies to a non-Date object. */
function toPrimitive(value: object): unknown {
  const exotic = (value as { [Symbol.toPrimitive]?: unknown })[Symbol.toPrimitive];
  if (exotic !== undefined && exotic !== null) {
    if (typeof exotic !== "function") throw new TypeError("Symbol.toPrimitive is not a function");
    const result: unknown = apply(exotic, value, ["default"]);
    if ((typeof result === "object" && result !== null) || typeof result === "function") throw new TypeError("Cannot convert object to primitive value");
    return result;
  }
  for (const name of ["valueOf", "toString"] as const) {
    const method: unknown = (value as Record<string, unknown>)[name];
    if (typeof method === "function") {
      const result: unknown = apply(method, value, []);
      if ((typeof result !== "object" || result === null) && typeof result !== "function") return result;
    }
  }
  throw new TypeError("Cannot convert object to primitive value");
}

/** The time value `new Date(value)` starts from, read as UTC where the original reads local time. */
function singleArgumentTime(value: unknown): unknown {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    try {
      return timeValueOf(value); // a Date (of this realm): its time value, as the spec says
    } catch {
      value = toPrimitive(value);
    }
  }
  return typeof value === "string" ? parseAsUtc(value) : value;
}

/** Local-time methods that are the UTC ones when the local zone is UTC. */
const utcTwins = [
  "Date", "Day", "FullYear", "Hours", "Milliseconds", "Minutes", "Month", "Seconds",
] as const;
const utcSetTwins = ["Date", "FullYear", "Hours", "Milliseconds", "Minutes", "Month", "Seconds"] as const;

/** The date methods that differ from a plain alias; a class body so that they are strict and not constructors. */
class UtcDateMethods {
  getTimezoneOffset(this: Date): number {
    return Number.isNaN(timeValueOf(this)) ? Number.NaN : 0;
  }
  getYear(this: Date): number {
    return apply(proto.getUTCFullYear, this, []) - 1900;
  }
  /** Annex B's setYear, in UTC: a two-digit year means 19xx, an invalid date starts from +0. */
  setYear(this: Date, year: unknown): number {
    const start = timeValueOf(this);
    const y = Number(year);
    if (Number.isNaN(y)) return apply(proto.setTime, this, [Number.NaN]);
    const whole = Math.trunc(y);
    const fullYear = whole >= 0 && whole <= 99 ? 1900 + whole : y;
    const from = new OriginalDate(Number.isNaN(start) ? 0 : start);
    apply(proto.setUTCFullYear, from, [fullYear]);
    return apply(proto.setTime, this, [timeValueOf(from)]);
  }
  toString(this: Date): string {
    return utcDateTimeText(this);
  }
  toDateString(this: Date): string {
    return utcDateText(this);
  }
  toTimeString(this: Date): string {
    return utcTimeText(this);
  }
  toLocaleString(this: Date, locales?: unknown, options?: unknown): string {
    return apply(originalLocale.toLocaleString, this, [fixLocales(locales), withDefaultTimeZone(options)]);
  }
  toLocaleDateString(this: Date, locales?: unknown, options?: unknown): string {
    return apply(originalLocale.toLocaleDateString, this, [fixLocales(locales), withDefaultTimeZone(options)]);
  }
  toLocaleTimeString(this: Date, locales?: unknown, options?: unknown): string {
    return apply(originalLocale.toLocaleTimeString, this, [fixLocales(locales), withDefaultTimeZone(options)]);
  }
}

const originalLocale = {
  toLocaleString: proto.toLocaleString,
  toLocaleDateString: proto.toLocaleDateString,
  toLocaleTimeString: proto.toLocaleTimeString,
};

/** Builds the virtual `Date`, puts it in place of the realm's, and retunes `Date.prototype`. */
export function virtualiseDate(now: () => number): void {
  const nowClipped = (): number => timeClip(now());
  const parse = (text: unknown): number => parseAsUtc(`${text as string}`);

  // A plain function, not a class: `Date()` without `new` must work. Strict, so `this` is never the global;
  // simple parameters (read through `arguments`), because a strict function cannot have a rest parameter.
  const VirtualDate = function Date(this: unknown): unknown {
    "use strict";
    if (new.target === undefined) return utcDateTimeText(new OriginalDate(nowClipped()));
    const count = arguments.length;
    let time: unknown;
    if (count === 0) time = nowClipped();
    else if (count === 1) time = singleArgumentTime(arguments[0]);
    else time = apply(OriginalDate.UTC, undefined, arguments);
    // new.target is this function or a subclass; either way its .prototype is (derived from) Date.prototype.
    return construct(OriginalDate, [time], new.target);
  };
  const statics = class {
    static now(): number {
      return nowClipped();
    }
    static parse(text: unknown): number {
      return parse(text);
    }
  };
  // Named explicitly: a bundler may rename the function expression (esbuild: "Date2") to spare the global.
  defineProperty(VirtualDate, "name", { value: "Date", writable: false, enumerable: false, configurable: true });
  defineProperty(VirtualDate, "length", { value: 7, writable: false, enumerable: false, configurable: true });
  defineProperty(VirtualDate, "prototype", { value: proto, writable: false, enumerable: false, configurable: false });
  for (const [name, fn] of [["now", statics.now], ["parse", statics.parse], ["UTC", OriginalDate.UTC]] as const) {
    defineProperty(VirtualDate, name, { value: fn, writable: true, enumerable: false, configurable: true });
  }
  defineProperty(proto, "constructor", { value: VirtualDate, writable: true, enumerable: false, configurable: true });

  // Aliases, not wrappers: the UTC built-ins are exactly right when the local zone is UTC, at native speed
  // (their `name` says getUTC…, the one visible difference).
  for (const field of utcTwins) setMethod(`get${field}`, (proto as unknown as Record<string, unknown>)[`getUTC${field}`]);
  for (const field of utcSetTwins) setMethod(`set${field}`, (proto as unknown as Record<string, unknown>)[`setUTC${field}`]);
  for (const key of ownKeys(UtcDateMethods.prototype)) {
    if (key !== "constructor") setMethod(key, getOwnPropertyDescriptor(UtcDateMethods.prototype, key)!.value);
  }
  // Temporal, where an engine ships it, carries its own wall clock (Temporal.Now).
  deleteProperty(proto, "toTemporalInstant");

  defineProperty(globalThis, "Date", { value: VirtualDate, writable: true, enumerable: false, configurable: true });
}

function setMethod(key: PropertyKey, fn: unknown): void {
  if (getOwnPropertyDescriptor(proto, key) === undefined) return; // e.g. an engine without Annex B's getYear
  defineProperty(proto, key, { value: fn, writable: true, enumerable: false, configurable: true });
}
