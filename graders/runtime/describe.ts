/** How learner-realm runtimes put a thrown value or a logged value into words, whatever it is. */

// Captured when the runtime loads, before learner code can replace it.
const { stringify } = JSON;

export function describeError(error: unknown): string {
  try {
    // Errors raised by the engine itself may come from another realm, so `instanceof Error` is not enough.
    if (error instanceof Error || (typeof error === "object" && error !== null && "stack" in error && "message" in error)) {
      const e = error as Error;
      return `${String(e.name)}: ${String(e.message)}`;
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

