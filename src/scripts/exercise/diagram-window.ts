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
): { indices: number[]; total: number } {
  const { trace, maxFlightMs } = indexed;
  const all: number[] = [];
  for (let i = firstSentAtOrAfter(trace, fromMs - maxFlightMs); i < trace.length; i++) {
    const m = trace[i]!;
    if (m.sendMs > toMs) break;
    // Undelivered messages are drawn at their send time only.
    const arrivesMs = m.recvMs ?? m.sendMs;
    if (arrivesMs >= fromMs) all.push(i);
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
