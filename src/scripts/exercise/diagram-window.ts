// Which messages of a long trace fall in the visible window of virtual time. The trace comes in send
// order, so a binary search finds the first candidate and the scan stops at the window's end: the cost
// is the number of visible messages, not the length of the trace.
import type { TraceEntry } from "../../../graders/index.ts";

export interface IndexedTrace {
  trace: TraceEntry[];
  /** The longest time any delivered message spent in flight: how far back a visible arrow can start. */
  maxFlightMs: number;
}

export function indexTrace(trace: TraceEntry[]): IndexedTrace {
  let maxFlightMs = 0;
  for (const m of trace) if (m.recvMs !== undefined) maxFlightMs = Math.max(maxFlightMs, m.recvMs - m.sendMs);
  return { trace, maxFlightMs };
}

function firstSentAtOrAfter(trace: TraceEntry[], ms: number): number {
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trace[mid]!.sendMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Indices of messages whose arrow crosses [fromMs, toMs], in send order. When there are more than `cap`,
 * `cap` of them spread evenly over the window (so a zoomed-out view still shows the whole shape of the
 * run); `total` counts them all, so the view can say how many it left out.
 */
export function visibleMessages(
  indexed: IndexedTrace,
  fromMs: number,
  toMs: number,
  cap: number,
  /** Only messages it keeps (the lanes and types shown); all by default. */
  keep?: (m: TraceEntry) => boolean,
): { indices: number[]; total: number } {
  const { trace, maxFlightMs } = indexed;
  const all: number[] = [];
  for (let i = firstSentAtOrAfter(trace, fromMs - maxFlightMs); i < trace.length; i++) {
    const m = trace[i]!;
    if (m.sendMs > toMs) break;
    // Undelivered messages are drawn at their send time only.
    const arrivesMs = m.recvMs ?? m.sendMs;
    if (arrivesMs >= fromMs && (!keep || keep(m))) all.push(i);
  }
  if (all.length <= cap) return { indices: all, total: all.length };
  const stride = all.length / cap;
  return { indices: Array.from({ length: cap }, (_, k) => all[Math.floor(k * stride)]!), total: all.length };
}

/** A window length that shows roughly `target` messages, rounded to one of `choices` (ms). */
export function defaultSpan(traceLength: number, endMs: number, choices: number[], target = 250): number {
  if (traceLength === 0 || endMs <= 0) return Math.max(endMs, 1);
  const wanted = (endMs * target) / traceLength;
  const fits = choices.filter((c) => c <= endMs).sort((a, b) => a - b);
  return fits.find((c) => c >= wanted) ?? endMs;
}

/**
 * Pixels between lifelines: the width shared out, but never under `min` (the canvas then scrolls
 * sideways, its time axis staying in place) nor over `max` (a few lanes do not spread across the page).
 */
export function laneSpacing(availablePx: number, lanes: number, min = 52, max = 110): number {
  return Math.max(min, Math.min(max, availablePx / Math.max(lanes, 1)));
}

/** Message types in the trace, most frequent first, with their counts. */
export function messageTypes(trace: readonly TraceEntry[]): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  for (const m of trace) counts.set(m.type, (counts.get(m.type) ?? 0) + 1);
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** A time a check's words point at: "at 1234 ms", "from 12.5 s" (as report/format.ts writes them). */
const TIME_IN_WORDS = /\b(?:at|from|since|after|by|until)\s+(\d[\d,]*(?:\.\d+)?)\s*(ms|s)\b/;

/**
 * When the failure happened, as far as the run says: the first uncaught error when the check that failed
 * is about errors (or the message says nothing of time), else the first time the check's message names
 * (the operation or the moment it points at). Undefined when neither exists.
 */
export function failureTimeMs(run: { test: { check?: string; message: string }; errors: ReadonlyArray<{ timeMs: number }> }): { atMs: number; why: string } | undefined {
  const firstError = run.errors.length ? Math.min(...run.errors.map((e) => e.timeMs)) : undefined;
  if (run.test.check === "no-errors" && firstError !== undefined) return { atMs: firstError, why: "the first uncaught error" };
  const said = TIME_IN_WORDS.exec(run.test.message);
  if (said) {
    const value = Number(said[1]!.replaceAll(",", ""));
    return { atMs: said[2] === "s" ? value * 1000 : value, why: `the time check ${run.test.check ?? ""} names`.replace(/ {2}/, " ") };
  }
  return firstError === undefined ? undefined : { atMs: firstError, why: "the first uncaught error" };
}
