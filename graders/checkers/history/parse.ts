import { decodeHistoryBytes } from "./decode.ts";
import { readEdnLine } from "./edn.ts";
import { readJsonLine } from "./json.ts";
import { ExactNumber } from "./number.ts";
import { pairHistory, type EventType, type HistoryEvent, type Operation } from "../../sim/history.ts";
import { HistoryParseError, type Value } from "./types.ts";
import { displayValue, isMapValue } from "./value.ts";

export type HistoryFormat = "json" | "edn";

/** An event read from a file: its values are `Value`s, and it knows its line. */
export type FileEvent = HistoryEvent<Value> & { line: number };

export interface ParsedHistory {
  format: HistoryFormat;
  events: FileEvent[];
  operations: Operation<Value>[];
}

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);
/** Bound on input size: a history beyond this is almost surely a mistake, and the checker is exponential. */
const LINES_MAX = 5_000_000;

const show = (value: unknown): string => displayValue(value);

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

/**
 * Reads one event per line (JSON lines or Jepsen EDN maps, detected per file) and pairs invokes with
 * completions. Given bytes (a file as read), it decodes them as strict UTF-8 first.
 */
export function parseHistory(input: string | Uint8Array): ParsedHistory {
  const text = typeof input === "string" ? input : decodeHistoryBytes(input);
  const format = detectHistoryFormat(text);
  const lines = text.split("\n");
  if (lines.length > LINES_MAX) throw new HistoryParseError(LINES_MAX + 1, `at most ${LINES_MAX} lines`, `${lines.length}`);
  const events: FileEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "" || raw.startsWith("#") || raw.startsWith(";")) continue;
    const lineNo = i + 1;
    const record = format === "json" ? readJsonLine(raw, lineNo) : readEdnLine(raw, lineNo);
    events.push(toEvent(record, lineNo, events.length));
  }
  if (events.length === 0) throw new HistoryParseError(1, "at least one operation", "an empty file");
  return { format, events, operations: pairEvents(events) };
}

// Process ids and times are used as doubles (map keys, comparisons), so an exact number a double cannot
// hold is refused there: two processes or two times that rounding would merge must not become one.
const EXACT_ONLY = "a double holds exactly (integers up to 2^53)";

function toEvent(record: Value, line: number, index: number): FileEvent {
  // The readers build maps without a prototype, so these fields are the line's own or undefined.
  if (!isMapValue(record)) throw new HistoryParseError(line, "an operation map", show(record));
  const { process, type, f, key, value, time } = record;
  if (process instanceof ExactNumber) throw new HistoryParseError(line, `a process id ${EXACT_ONLY}`, show(process));
  if (typeof process !== "number" && typeof process !== "string") {
    throw new HistoryParseError(line, "a process (number or string)", show(process));
  }
  if (typeof type !== "string" || !TYPES.has(type)) {
    throw new HistoryParseError(line, "a type invoke, ok, fail or info", show(type));
  }
  if (typeof f !== "string" || f === "") throw new HistoryParseError(line, "an operation name f (e.g. read, write)", show(f));
  if (key !== undefined && key !== null && typeof key !== "string" && typeof key !== "number" && !(key instanceof ExactNumber)) {
    throw new HistoryParseError(line, "a key (string or number)", show(key));
  }
  if (time instanceof ExactNumber) throw new HistoryParseError(line, `a time ${EXACT_ONLY}`, show(time));
  if (time !== undefined && (typeof time !== "number" || !Number.isFinite(time))) {
    throw new HistoryParseError(line, "a time (finite number)", show(time));
  }
  const event: FileEvent = {
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
 * Pairs each invoke with the next completion of the same process (sim/history.ts), strictly: a file that
 * breaks Jepsen's rules is refused with the line. Jepsen's `:nemesis` events are skipped.
 */
export function pairEvents(events: readonly FileEvent[]): Operation<Value>[] {
  // Jepsen's fault injector is not a client.
  const clientEvents = events.filter((event) => event.process !== "nemesis");
  return pairHistory<Value, FileEvent>(clientEvents, {
    reinvoke(open, next) {
      throw new HistoryParseError(next.line, `a completion (ok/fail/info) of process ${show(next.process)}'s invoke on line ${open.line} before its next invoke`, "another invoke");
    },
    orphan(completion) {
      throw new HistoryParseError(completion.line, `an invoke of process ${show(completion.process)} before its ${completion.type}`, completion.type);
    },
    match(invoke, completion) {
      if (invoke.f !== completion.f) throw new HistoryParseError(completion.line, `f ${show(invoke.f)} (the invoke on line ${invoke.line})`, show(completion.f));
      if (completion.key !== invoke.key) throw new HistoryParseError(completion.line, `key ${show(invoke.key)} (the invoke on line ${invoke.line})`, show(completion.key));
      if (completion.timeMs < invoke.timeMs) throw new HistoryParseError(completion.line, `a time at or after the invoke's (${invoke.timeMs})`, show(completion.timeMs));
    },
  });
}
