import { pairEvents, type FileEvent, type Value } from "../../graders/checkers/index.ts";
import type { HistoryEvent, Operation } from "../../graders/sim/history.ts";

/**
 * Builds operations from a compact list: [process, type, f, value, time?]. Times default to the index, so
 * the order of the list is the real-time order.
 */
export type Row = [process: number, type: HistoryEvent["type"], f: string, value: unknown, timeMs?: number];

export function history(rows: Row[], key?: string): Operation<Value>[] {
  const events: FileEvent[] = rows.map(([process, type, f, value, timeMs], i) => {
    const event: FileEvent = { process, type, f, value: value as Value, timeMs: timeMs ?? i, line: i + 1 };
    if (key !== undefined) event.key = key;
    return event;
  });
  return pairEvents(events);
}
