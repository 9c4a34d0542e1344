/**
 * The runtime of an estimation drill's learner realm: it holds the learner's default export (a function from
 * assumptions to figures) and exposes one entry that takes and returns strings only (estimate/reply.ts), so
 * no object of the engine's realm reaches learner code and none comes back. The assumptions arrive as JSON
 * and are parsed here, in the learner's realm; the answer leaves as [name, value] pairs of primitives,
 * each value a finite number or the words of what it was instead (NaN, a string…), for the grader to name.
 * Like the other runtimes it returns the globals to install (isolated-vm: onto the realm's globalThis, see
 * estimate-realm.ts; the one-realm sandbox: as the learner code's scope).
 */
import { timerlessGlobals, type RealmGlobals } from "../../../runtime/realm-globals.ts";
import { createRng, type Rng } from "../../../sim/prng.ts";
import { describeError, safeStringify } from "../../../runtime/describe.ts";
import { createRealmLog } from "../../../runtime/realm-log.ts";
import { EstimateEntry, encodeFault, encodeLogs, encodeReply, maxFieldName, maxReplyFields, type ReplyField } from "../../../protocol/estimate-calls.ts";

// Taken when the runtime loads, before learner code runs (the lockdown then freezes them anyway).
const { parse } = JSON;
const { keys } = Object;

export interface EstimateRuntime {
  entry: (kind: string, arg: string) => string;
  globals: RealmGlobals;
  now(): number;
  random(): number;
  setExports(exports: unknown): void;
}

/** A value of the answer as the grader will read it: the number, or words for what it is instead. */
function describeValue(value: unknown): number | string {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "string":
      return `a string (${safeStringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case "undefined":
      return "undefined";
    case "object":
      return value === null ? "null" : Array.isArray(value) ? "an array" : "an object";
    default:
      return `a ${typeof value}`;
  }
}

export function createEstimateRuntime(): EstimateRuntime {
  let rng: Rng = createRng(0, "estimate");
  let solution: unknown;
  const realmLog = createRealmLog();

  function estimate(assumptionsJson: string): string {
    const fn = (solution as { default?: unknown } | undefined)?.default;
    if (typeof fn !== "function") return encodeFault(`the solution must default-export a function (assumptions) => figures; its default export is ${fn === undefined ? "missing" : `${describeValue(fn)}`}`);
    const result: unknown = (fn as (a: unknown) => unknown)(parse(assumptionsJson));
    if (result === null || typeof result !== "object" || Array.isArray(result)) return encodeFault(`your function must return an object of figures, not ${describeValue(result)}`);
    if (typeof (result as { then?: unknown }).then === "function") return encodeFault("your function returned a promise: estimates are computed synchronously (drop the async)");
    const names = keys(result);
    if (names.length > maxReplyFields) return encodeFault(`your function returned an object with ${names.length} fields; a drill's answer has a handful`);
    const fields: ReplyField[] = [];
    for (const name of names) fields.push([name.slice(0, maxFieldName), describeValue((result as Record<string, unknown>)[name])]);
    return encodeReply(fields);
  }

  function entry(kind: string, arg: string): string {
    try {
      if (kind === EstimateEntry.Seed) {
        rng = createRng(Number(arg), "estimate");
        return "";
      }
      if (kind === EstimateEntry.Logs) {
        return encodeLogs(realmLog.take());
      }
      if (kind === EstimateEntry.Estimate) return estimate(String(arg));
      return encodeFault(`unknown entry kind ${safeStringify(kind)}`);
    } catch (error) {
      return encodeFault(`your function threw ${describeError(error)}`);
    }
  }

  const noTimers = (): never => {
    throw new TypeError("an estimate is a calculation: there are no timers");
  };
  // No clock worth reading: a figure must follow from the assumptions alone.
  const globals = timerlessGlobals(noTimers, () => 0, realmLog.console);
  return { entry, globals, now: () => 0, random: () => rng.next(), setExports: (value) => void (solution = value) };
}
