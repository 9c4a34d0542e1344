/**
 * The protocol between a component engine and a component's realm: entry(method, nowMs, instance, a, b,
 * c, s, t) → result.
 *
 * `method` is a control word ("seed", "new", "logs", "fault") or a method call "<name>|<sig>": one letter
 * per argument, taken in order from the number slots a, b, c ("n"; "b" is the same slot read as a boolean)
 * and the string slots s, t ("s"). A leading "?" marks a method the component may leave out.
 *
 * The result is a number, a boolean, a string or undefined, as the method returned it (the realm reads a
 * null as undefined), so a value crosses untouched: no tag to add in the realm and strip in the engine on
 * each of the ~2.4 million calls of an lru-cache Submit. null is the one answer no method's value can be:
 * a fault (the method threw, is missing, or returned what the system cannot use), whose words the realm
 * keeps until the engine asks for them with "fault". Anything else is off-protocol, a fault too.
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

export const ControlWord = { Seed: "seed", New: "new", Logs: "logs", Fault: "fault" } as const;

/** What the realm answers for a fault: its words wait for a "fault" call. */
export const faultAnswer = null;

export type ComponentValue = number | boolean | string | undefined;

/**
 * Reads what a component's entry returned: its value, or undefined after telling `fault` why there is none
 * (`faultWords` asks the realm for a fault's words). Nothing is allocated for a value.
 */
export function readComponentResult(result: unknown, fault: (text: string) => void, faultWords: () => unknown): ComponentValue {
  switch (typeof result) {
    case "number":
    case "boolean":
    case "undefined":
    case "string":
      return result;
  }
  if (result === faultAnswer) {
    const words = faultWords();
    fault(typeof words === "string" ? words : offProtocol);
  } else fault(offProtocol);
  return undefined;
}

const offProtocol = "the component's realm answered off-protocol";
