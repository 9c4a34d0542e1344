import { safeStringify } from "./describe.ts";

/** Lines one realm keeps between two reads of its log: the first explain a failure, a loop would print millions. */
const logLinesMax = 200;
/** Longest line kept; a longer one is cut with an ellipsis. */
const logLineChars = 2000;

/**
 * A learner realm's console for runtimes that hand their log back on request (component, estimate): lines
 * kept up to a cap and counted beyond it; `take()` gives them (with the count of dropped ones) and empties it.
 */
export function createRealmLog(): { console: Readonly<Record<"log" | "info" | "warn" | "error" | "debug", (...args: unknown[]) => void>>; take(): string[] } {
  let lines: string[] = [];
  let dropped = 0;
  const log = (...args: unknown[]): void => {
    if (lines.length >= logLinesMax) {
      dropped++;
      return;
    }
    const text = args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" ");
    lines.push(text.length > logLineChars ? `${text.slice(0, logLineChars)}…` : text);
  };
  return {
    console: Object.freeze({ log, info: log, warn: (...a: unknown[]) => log("warn:", ...a), error: (...a: unknown[]) => log("error:", ...a), debug: log }),
    take() {
      const out = dropped ? [...lines, `… ${dropped} more lines`] : lines;
      lines = [];
      dropped = 0;
      return out;
    },
  };
}
