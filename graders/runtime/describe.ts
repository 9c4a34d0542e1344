/** How learner-realm runtimes put a thrown value or a logged value into words, whatever it is. */

// Captured when the runtime loads, before learner code can replace it.
const { stringify } = JSON;

export function describeError(error: unknown): string {
  try {
    // Errors raised by the engine itself may come from another realm, so `instanceof Error` is not enough.
    if (error instanceof Error || (typeof error === "object" && error !== null && "stack" in error && "message" in error)) {
      const e = error as Error;
      const at = solutionLocation(e.stack);
      return `${String(e.name)}: ${String(e.message)}${at ? ` (at ${at})` : ""}`;
    }
    if (typeof error === "string") return `a string: ${stringify(error)}`;
    return `a non-Error value: ${String(error)}`;
  } catch {
    return "an unprintable value";
  }
}

export function safeStringify(value: unknown): string {
  try {
    return stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}


/**
 * The solution's name for its transpiled script in error locations: the host maps "solution.js:L:C"
 * back to the learner's TypeScript file (report/source-map.ts).
 */
export const solutionScriptName = "solution.js";

/**
 * Both sandboxes compile the solution with the Function constructor, so its frames read "<anonymous>:L:C"
 * and line 1 of the body is line 3 (V8 puts "function anonymous(\n) {" first). The first such frame is the
 * learner's own line, even when a runtime call of theirs raised the error.
 */
const functionHeaderLines = 2;

/** Where in the learner's solution an error was raised ("" when no frame of its stack is the solution's). */
export function solutionLocationOf(error: unknown): string {
  try {
    return typeof error === "object" && error !== null && "stack" in error ? solutionLocation((error as { stack: unknown }).stack) : "";
  } catch {
    return "";
  }
}

function solutionLocation(stack: unknown): string {
  if (typeof stack !== "string") return "";
  const match = /<anonymous>:(\d+):(\d+)/.exec(stack);
  if (!match) return "";
  const line = Number(match[1]) - functionHeaderLines;
  return line >= 1 ? `${solutionScriptName}:${line}:${match[2]}` : "";
}
