import { readEdnLine } from "./edn.ts";
import { HistoryParseError, type EventType, type HistoryEvent, type Operation, type Value } from "./types.ts";

export type HistoryFormat = "json" | "edn";

export interface ParsedHistory {
  format: HistoryFormat;
  events: HistoryEvent[];
  operations: Operation[];
}

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);
/** Bound on input size: a history beyond this is almost surely a mistake, and the checker is exponential. */
const LINES_MAX = 5_000_000;

function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Detects the format from the first non-blank line: `{"` starts a JSON object, `{:` an EDN map.
 * Comment lines (`#` or `;`) and blank lines are skipped.
 */
export function detectHistoryFormat(text: string): HistoryFormat {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (/^\{\s*"/.test(line)) return "json";
    if (/^\{\s*:/.test(line) || /^\{\s*\}$/.test(line)) return "edn";
    throw new HistoryParseError(i + 1, 'a JSON object ({"process": …}) or an EDN map ({:process …})', show(line));
  }
  throw new HistoryParseError(1, "at least one operation", "an empty file");
}

/** Reads one event per line (JSON lines or Jepsen EDN maps, detected per file) and pairs invokes with completions. */
export function parseHistory(text: string): ParsedHistory {
  const format = detectHistoryFormat(text);
  const lines = text.split("\n");
  if (lines.length > LINES_MAX) throw new HistoryParseError(LINES_MAX + 1, `at most ${LINES_MAX} lines`, `${lines.length}`);
  const events: HistoryEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "" || raw.startsWith("#") || raw.startsWith(";")) continue;
    const lineNo = i + 1;
    let record: Value;
    if (format === "json") {
      try {
        record = JSON.parse(raw) as Value;
      } catch (error) {
        throw new HistoryParseError(lineNo, "one JSON object per line", `invalid JSON (${(error as Error).message})`);
      }
    } else {
      record = readEdnLine(raw, lineNo);
    }
    events.push(toEvent(record, lineNo, events.length));
  }
  if (events.length === 0) throw new HistoryParseError(1, "at least one operation", "an empty file");
  return { format, events, operations: pairEvents(events) };
}

function toEvent(record: Value, line: number, index: number): HistoryEvent {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new HistoryParseError(line, "an operation map", show(record));
  }
  const { process, type, f, key, value, time } = record;
  if (typeof process !== "number" && typeof process !== "string") {
    throw new HistoryParseError(line, "a process (number or string)", show(process));
  }
  if (typeof type !== "string" || !TYPES.has(type)) {
    throw new HistoryParseError(line, "a type invoke, ok, fail or info", show(type));
  }
  if (typeof f !== "string" || f === "") throw new HistoryParseError(line, "an operation name f (e.g. read, write)", show(f));
  if (key !== undefined && key !== null && typeof key !== "string" && typeof key !== "number") {
    throw new HistoryParseError(line, "a key (string or number)", show(key));
  }
  if (time !== undefined && (typeof time !== "number" || !Number.isFinite(time))) {
    throw new HistoryParseError(line, "a time (finite number)", show(time));
  }
  const event: HistoryEvent = {
    process,
    type: type as EventType,
    f,
    value: value === undefined ? null : value,
    timeMs: time === undefined ? index : time,
    line,
  };
  if (key !== undefined && key !== null) event.key = String(key);
  return event;
}

/**
 * Pairs each invoke with the next completion of the same process. An invoke never completed is `info`
 * (it may have taken effect at any time after it, or not at all). Jepsen's `:nemesis` events are skipped.
 */
export function pairEvents(events: readonly HistoryEvent[]): Operation[] {
  const operations: Operation[] = [];
  const open = new Map<number | string, Operation>();
  for (const event of events) {
    if (event.process === "nemesis") continue; // Jepsen's fault injector: not a client operation
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending) {
        throw new HistoryParseError(
          event.line,
          `a completion (ok/fail/info) of process ${show(event.process)}'s invoke on line ${pending.line} before its next invoke`,
          "another invoke",
        );
      }
      const op: Operation = {
        id: operations.length,
        process: event.process,
        f: event.f,
        value: event.value,
        output: event.value,
        status: "info",
        invokeMs: event.timeMs,
        returnMs: Infinity,
        line: event.line,
      };
      if (event.key !== undefined) op.key = event.key;
      operations.push(op);
      open.set(event.process, op);
      continue;
    }
    if (!pending) {
      throw new HistoryParseError(event.line, `an invoke of process ${show(event.process)} before its ${event.type}`, event.type);
    }
    if (pending.f !== event.f) {
      throw new HistoryParseError(event.line, `f ${show(pending.f)} (the invoke on line ${pending.line})`, show(event.f));
    }
    if (event.key !== pending.key) {
      throw new HistoryParseError(event.line, `key ${show(pending.key)} (the invoke on line ${pending.line})`, show(event.key));
    }
    if (event.timeMs < pending.invokeMs) {
      throw new HistoryParseError(event.line, `a time at or after the invoke's (${pending.invokeMs})`, show(event.timeMs));
    }
    open.delete(event.process);
    pending.status = event.type as "ok" | "fail" | "info";
    if (event.type === "info") continue; // outcome unknown: keeps the invoke's value and an open end
    pending.output = event.value;
    pending.returnMs = event.timeMs;
  }
  return operations;
}
