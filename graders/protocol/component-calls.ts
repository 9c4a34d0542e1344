/**
 * The protocol between a component engine and a component's realm: entry(method, nowMs, instance, a, b,
 * c, s, t) → result.
 *
 * `method` is a control word ("seed", "new", "logs") or a method call "<name>|<sig>": one letter per
 * argument, taken in order from the number slots a, b, c ("n"; "b" is the same slot read as a boolean)
 * and the string slots s, t ("s"). A leading "?" marks a method the component may leave out.
 *
 * The result is a number, a boolean or undefined as it is; a string is tagged by its first character, so
 * no value a learner returns can pass for a fault: "s<text>" is a string the method returned, "f<text>"
 * a fault (the method threw, is missing, or returned what the system cannot use).
 */

export type ArgKind = "number" | "boolean" | "string";

export interface ComponentMethod {
  name: string;
  optional: boolean;
  args: ArgKind[];
}

const letters: Record<string, ArgKind> = { n: "number", b: "boolean", s: "string" };

/** "?done|nnb" → { name: "done", optional: true, args: [number, number, boolean] }. */
export function parseComponentMethod(method: string): ComponentMethod {
  const optional = method.startsWith("?");
  const bar = method.indexOf("|");
  const name = method.slice(optional ? 1 : 0, bar < 0 ? undefined : bar);
  const sig = bar < 0 ? "" : method.slice(bar + 1);
  const args: ArgKind[] = [];
  for (const ch of sig) {
    const kind = letters[ch];
    if (!kind) throw new Error(`component method "${method}": unknown argument letter "${ch}" (n, b or s)`);
    args.push(kind);
  }
  return { name, optional, args };
}

/** The words naming a method call in a fault: "get()". */
export const methodLabel = (method: string): string => `${parseComponentMethod(method).name}()`;

export const ControlWord = { Seed: "seed", New: "new", Logs: "logs" } as const;

const stringTag = "s";
const faultTag = "f";

export const encodeStringResult = (text: string): string => `${stringTag}${text}`;
export const encodeFault = (text: string): string => `${faultTag}${text}`;

export type ComponentResult = { value: number | boolean | string | undefined; fault?: undefined } | { value: undefined; fault: string };

/** Reads what a component's entry returned; anything off-protocol is a fault, never a value. */
export function decodeComponentResult(result: unknown): ComponentResult {
  switch (typeof result) {
    case "number":
    case "boolean":
    case "undefined":
      return { value: result };
    case "string":
      if (result.startsWith(stringTag)) return { value: result.slice(1) };
      if (result.startsWith(faultTag)) return { value: undefined, fault: result.slice(1) };
      return { value: undefined, fault: "the component's realm answered off-protocol" };
    default:
      return { value: undefined, fault: "the component's realm answered off-protocol" };
  }
}
