/**
 * Client histories in Jepsen's shape: each operation is an `invoke` event followed (maybe) by one completion
 * of the same process: `ok` (it happened), `fail` (it definitely did not happen) or `info` (unknown).
 */

import type { ExactNumber } from "./number.ts";

/**
 * A value as it appears in a history: plain data (JSON / EDN scalars, vectors and maps). Maps read from a
 * file have no prototype (a `__proto__` or `toString` key is just a key). A number literal that a double
 * cannot hold exactly (9007199254740993, 0.10000000000000001, 1e999) is an `ExactNumber`, so that no two
 * different numbers compare equal through rounding.
 */
export type Value = null | boolean | number | ExactNumber | string | Value[] | { [key: string]: Value };

/**
 * Deepest nesting of vectors and maps a history line may have (the operation map itself is level 1).
 * Jepsen operations nest a handful of levels. The readers and the value comparison are iterative and do not
 * need a cap; it is there for every other consumer of a parsed value (JSON.stringify in `--json` output,
 * test printers), which recurse and would overflow the stack near 10 000 levels.
 */
export const NESTING_MAX = 1000;

export type EventType = "invoke" | "ok" | "fail" | "info";

/** One line of a history file. */
export interface HistoryEvent {
  process: number | string;
  type: EventType;
  f: string;
  key?: string;
  value: Value;
  /** Virtual time of the event; the line index when the file has no time field. */
  timeMs: number;
  /** 1-based line in the source file (0 when the event was not read from a file). */
  line: number;
}

/** How an operation ended. An operation never completed counts as `info`. */
export type OperationStatus = "ok" | "fail" | "info";

/** An invoke paired with its completion. */
export interface Operation {
  /** Index in invoke order, 0-based; stable across partitions and explanations. */
  id: number;
  process: number | string;
  f: string;
  key?: string;
  /** The invoke's value (a write's value, a cas's [from, to], nil for a read). */
  value: Value;
  /** The completion's value (what a read returned); the invoke's value when the completion is unknown. */
  output: Value;
  status: OperationStatus;
  invokeMs: number;
  /** `Infinity` for `info` operations and operations never completed: they may take effect at any later time. */
  returnMs: number;
  /** 1-based line of the invoke (0 when not read from a file). */
  line: number;
  /** 1-based line of the completion that gave `output`, when there is one and it was read from a file. */
  outputLine?: number;
}

/** Thrown for input that cannot be read as a history: carries the line and what was expected there. */
export class HistoryParseError extends Error {
  line: number;
  expected: string;
  found: string;
  constructor(line: number, expected: string, found: string) {
    super(`line ${line}: expected ${expected}, found ${found}`);
    this.name = "HistoryParseError";
    this.line = line;
    this.expected = expected;
    this.found = found;
  }
}
