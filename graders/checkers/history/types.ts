/**
 * What a history file holds beyond the record itself (sim/history.ts: events and the operations paired
 * from them): its values, and the error its readers throw.
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
