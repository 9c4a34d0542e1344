/**
 * `Date.parse` for a realm whose local time zone is UTC. The engine's parser reads a string without an
 * offset as the machine's local time; this one makes every such string say "UTC" before the engine reads
 * it, so the result never depends on TZ. Strings with an explicit offset or zone are the engine's as is.
 *
 * The engine's legacy (non-ISO) parser lets a later zone override an earlier one, so appending " GMT" is
 * safe only when the string has none: `hasLegacyZone` errs towards "none", which may ignore an exotic zone
 * the engine would have read but never makes the result depend on the machine.
 */
const originalParse = Date.parse;
const { getFullYear, getMonth, getDate, getHours, getMinutes, getSeconds, getMilliseconds } = Date.prototype;
const OriginalDate = Date;
const utc = Date.UTC;
const { apply } = Reflect;

/** ECMAScript's date-time string format; group 2 is the time, group 3 its offset. */
const isoFormat = /^([+-]\d{6}|\d{4})(?:-\d\d(?:-\d\d)?)?(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/;
/** Zone names the engine's legacy parser knows, as whole words. */
const zoneWord = /(?:^|[^a-z])(?:z|ut|utc|gmt|[cemp][sd]t)(?![a-z])/i;
/** A sign after a time of day, or after a zone or am/pm word: an offset such as "10:00 -0500". */
const offsetAfterTime = /(?:\d:\d\d(?::\d\d(?:\.\d+)?)?|(?:^|[^a-z])(?:am|pm|z|ut|utc|gmt|[cemp][sd]t))\s*-/i;

export function parseAsUtc(text: string): number {
  const iso = isoFormat.exec(text);
  if (iso) return originalParse(iso[2] !== undefined && iso[3] === undefined ? `${text}Z` : text);
  const local = originalParse(text);
  if (local !== local || hasLegacyZone(text)) return local;
  const asUtc = originalParse(`${text} GMT`);
  if (asUtc === asUtc) return asUtc;
  // The engine read the string but not with a zone appended (rare): read its local fields back as UTC.
  // This differs from UTC only for a local time the machine's zone skips (a DST gap).
  const date = new OriginalDate(local);
  const field = (getter: () => number) => apply(getter, date, []) as number;
  return utc(field(getFullYear), field(getMonth), field(getDate), field(getHours), field(getMinutes), field(getSeconds), field(getMilliseconds));
}

function hasLegacyZone(text: string): boolean {
  // The engine ignores parenthesised text and reads a zone only after the first number.
  const cleaned = text.replace(/\([^)]*\)?/g, " ");
  const firstDigit = cleaned.search(/\d/);
  if (firstDigit === -1) return false;
  const rest = cleaned.slice(firstDigit);
  return zoneWord.test(rest) || rest.includes("+") || offsetAfterTime.test(rest);
}
