/**
 * The text of `Date#toString`, `toDateString` and `toTimeString` in a locked realm: ECMAScript's format
 * for a realm whose local time zone is UTC, whatever the machine's TZ, e.g.
 * "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)". Built from the UTC getters, which
 * never consult the time zone.
 */
const proto = Date.prototype;
const { getUTCDay, getUTCMonth, getUTCDate, getUTCFullYear, getUTCHours, getUTCMinutes, getUTCSeconds } = proto;
const getTime = proto.getTime;
const { apply } = Reflect;

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const pad = (n: number, width: number): string => `${n}`.padStart(width, "0");
const call = (getter: () => number, date: Date): number => apply(getter, date, []);

/** Throws a TypeError, as the built-ins do, if `date` is not a Date; NaN for an invalid one. */
export function timeValueOf(date: unknown): number {
  return apply(getTime, date, []);
}

export function utcDateText(date: Date): string {
  if (Number.isNaN(timeValueOf(date))) return "Invalid Date";
  const year = call(getUTCFullYear, date);
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${weekdays[call(getUTCDay, date)]} ${months[call(getUTCMonth, date)]} ${pad(call(getUTCDate, date), 2)} ${yearText}`;
}

export function utcTimeText(date: Date): string {
  if (Number.isNaN(timeValueOf(date))) return "Invalid Date";
  const clock = `${pad(call(getUTCHours, date), 2)}:${pad(call(getUTCMinutes, date), 2)}:${pad(call(getUTCSeconds, date), 2)}`;
  return `${clock} GMT+0000 (Coordinated Universal Time)`;
}

export function utcDateTimeText(date: Date): string {
  if (Number.isNaN(timeValueOf(date))) return "Invalid Date";
  return `${utcDateText(date)} ${utcTimeText(date)}`;
}
