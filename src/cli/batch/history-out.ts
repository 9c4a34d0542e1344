/**
 * `clusterlab grade --history`: each run's client history in Jepsen's formats, one operation event per line, as
 * JSON lines (.jsonl) or EDN maps (.edn), so a run can be checked again by `clusterlab check`, Knossos, Elle or
 * Porcupine. The events are Jepsen's: `process` an integer, `type` invoke/ok/fail/info, `f`, `value`, `time` in
 * nanoseconds; `node` (the node asked) and `error` (a Maelstrom error code) ride along.
 *
 * Keyed operations, whose value is `{key, …}` (the kv workloads), carry `key` apart, as `clusterlab check` reads
 * independent keys: `{key, value}` → the value, `{key, from, to}` → `[from, to]`, `{key}` → nil.
 * A lin-kv history (replicated-kv) is written as Maelstrom's lin-kv client records it for Knossos: a read
 * answered "key does not exist" (error 20) is an ok read of nil; a cas refused with 20 or 22 is a fail (the
 * compare did not match); a cas refused with any other definite error did not happen and is left out.
 * After an `info` (a timeout: the client gave up, the request may still act) Jepsen retires the process: its
 * client goes on as process + the number of clients, so no process ever has two operations open.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { ClientEvent, TestResult } from "../../../graders/index.ts";
import { UsageError } from "../command.ts";

export type HistoryFileFormat = "jsonl" | "edn";

export interface RunHistory {
  test: TestResult;
  history: readonly ClientEvent[];
  /** The scenario's workload, for its translation (lin-kv). */
  workload?: string;
}

/** The format a --history path asks for, by its extension. */
export function historyFormatOf(path: string): HistoryFileFormat {
  if (path.endsWith(".jsonl")) return "jsonl";
  if (path.endsWith(".edn")) return "edn";
  throw new UsageError(`--history writes .jsonl (JSON lines) or .edn (Jepsen's EDN) files, not "${basename(path)}"`);
}

/** A Jepsen operation event, in the order its fields are written. */
export interface JepsenEvent {
  process: number | string;
  type: "invoke" | "ok" | "fail" | "info";
  f: string;
  key?: unknown;
  value: unknown;
  time: number;
  node?: string;
  error?: number;
}

/** One run's history as Jepsen's events (see the top of this file). */
export function toJepsenEvents(history: readonly ClientEvent[], workload?: string): JepsenEvent[] {
  const clients = [...new Set(history.map((op) => op.process))];
  const generation = new Map<string, number>();
  const open = new Map<string, number>(); // client → index of its open invoke in `events`
  const events: Array<JepsenEvent | undefined> = [];
  const processOf = (client: string): number | string => {
    const base = /^c(\d+)$/.exec(client) ? Number(client.slice(1)) - 1 : clients.indexOf(client);
    return base + (generation.get(client) ?? 0) * clients.length;
  };
  for (const op of history) {
    const event: JepsenEvent = { process: processOf(op.process), type: op.type, f: op.f, value: op.value, time: Math.round(op.timeMs * 1e6), node: op.node };
    if (op.code !== undefined) event.error = op.code;
    if (op.type === "invoke") {
      open.set(op.process, events.length);
    } else {
      const invokeAt = open.get(op.process);
      open.delete(op.process);
      if (workload === "lin-kv" && op.type === "fail") {
        if (op.f === "read" && op.code === 20) {
          event.type = "ok";
          event.value = { key: keyOf(invokeAt === undefined ? undefined : events[invokeAt]?.value), value: null };
        } else if (op.f === "cas" && op.code !== 20 && op.code !== 22) {
          if (invokeAt !== undefined) events[invokeAt] = undefined;
          continue;
        }
      }
      if (op.type === "info") generation.set(op.process, (generation.get(op.process) ?? 0) + 1);
    }
    events.push(event);
  }
  return events.filter((e): e is JepsenEvent => e !== undefined).map(splitKey);
}

const keyOf = (value: unknown): unknown => (isRecord(value) ? value.key : undefined);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{key, …}` values: the key as a field of its own and the rest as the register's value. */
function splitKey(event: JepsenEvent): JepsenEvent {
  const value = event.value;
  if (!isRecord(value) || !Object.hasOwn(value, "key")) return event;
  const { key, ...rest } = value;
  const names = Object.keys(rest);
  let inner: unknown = rest;
  if (names.length === 0) inner = null;
  else if (names.length === 1 && names[0] === "value") inner = rest.value ?? null;
  else if (names.length === 2 && "from" in rest && "to" in rest) inner = [rest.from ?? null, rest.to ?? null];
  // A read's invoke carries no value: Jepsen writes nil there.
  if (event.type === "invoke" && event.f === "read") inner = null;
  // Fields in Jepsen's order, the key beside the operation it names.
  const { process, type, f, time, node, error } = event;
  return { process, type, f, key, value: inner, time, ...(node === undefined ? {} : { node }), ...(error === undefined ? {} : { error }) };
}

/** One event as a line of JSON. */
export function jsonLine(event: JepsenEvent): string {
  return JSON.stringify(event);
}

/** One event as an EDN map, type and f as keywords. */
export function ednLine(event: JepsenEvent): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(event)) {
    if (value === undefined) continue;
    parts.push(`:${name} ${name === "type" || name === "f" ? keyword(String(value)) : edn(value)}`);
  }
  return `{${parts.join(", ")}}`;
}

const KEYWORD = /^[A-Za-z*+!_?<>=-][\w*+!?<>=.-]*$/;

const keyword = (name: string): string => (KEYWORD.test(name) ? `:${name}` : ednString(name));

/** A JSON-like value in EDN: maps with keyword keys where they can be keywords, vectors, strings, numbers, nil. */
export function edn(value: unknown, depth = 0): string {
  if (depth > 100) throw new Error("a value nested more than 100 levels deep");
  if (value === null || value === undefined) return "nil";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "nil";
  if (typeof value === "string") return ednString(value);
  if (Array.isArray(value)) return `[${value.map((v) => edn(v, depth + 1)).join(" ")}]`;
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${keyword(k)} ${edn(v, depth + 1)}`).join(", ")}}`;
  return "nil";
}

/** EDN strings escape as Java's do; every other control character, and any lone surrogate, as \\uXXXX. */
function ednString(text: string): string {
  const escaped = text.replace(/[\\"\n\t\r]|[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) => {
    if (ch === "\\") return "\\\\";
    if (ch === '"') return '\\"';
    if (ch === "\n") return "\\n";
    if (ch === "\t") return "\\t";
    if (ch === "\r") return "\\r";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

/** A history file's whole text: one event a line. */
export function renderHistory(events: readonly JepsenEvent[], format: HistoryFileFormat): string {
  const line = format === "jsonl" ? jsonLine : ednLine;
  return events.map((e) => `${line(e)}\n`).join("");
}

/**
 * Writes every run that has a client history: to `path` itself when there is one run, else one file per run
 * beside it, `<name>.<task>.<scenario>.seed<N>.<ext>`. Returns what it wrote, as a line for the user.
 */
export function writeHistories(path: string, runs: readonly RunHistory[], shown = path): string {
  const format = historyFormatOf(path);
  const withHistory = runs.filter((r) => r.history.length > 0);
  if (withHistory.length === 0) return `no history written: ${runs.length ? "these runs record no client operations (a component exercise)" : "no run produced data"}`;
  mkdirSync(dirname(path), { recursive: true });
  const stem = path.slice(0, -(format.length + 1));
  const written: string[] = [];
  for (const run of withHistory) {
    const file = runs.length === 1 ? path : `${stem}.${safe(run.test.taskId)}.${safe(run.test.scenario)}.seed${run.test.seed}.${format}`;
    writeFileSync(file, renderHistory(toJepsenEvents(run.history, run.workload), format));
    written.push(file);
  }
  if (written.length === 1) return `history written to ${shown}`;
  const shownDir = dirname(shown);
  return `${written.length} histories written beside ${shown} (${basename(stem)}.<task>.<scenario>.seed<N>.${format} in ${shownDir}); check them with: clusterlab check ${join(shownDir, `${basename(stem)}.*.${format}`)} --model <model>`;
}

/** A task or scenario name as part of a file name. */
const safe = (name: string): string => name.replace(/[^A-Za-z0-9_-]+/g, "_");
