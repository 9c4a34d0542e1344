/**
 * Freezes every object reachable from the roots: own properties (string and symbol keys, data values and
 * both accessor functions) and prototypes. Iterative with an explicit stack, so a deep graph cannot
 * overflow the call stack, and each object is visited once.
 */
const { freeze, isFrozen } = Object;
const { getOwnPropertyDescriptor, getPrototypeOf, ownKeys } = Reflect;

/**
 * Returns how many objects it froze (including ones already frozen). With `skipFrozen`, an object that is
 * already frozen is neither counted nor walked through: right only when everything reachable from a frozen
 * object is known to be frozen too, as it is after the lockdown's own walk.
 */
export function freezeGraph(roots: readonly object[], skipFrozen = false): number {
  const seen = new Set<object>();
  const pending: object[] = [];
  const visit = (value: unknown): void => {
    if (((typeof value === "object" && value !== null) || typeof value === "function") && !seen.has(value)) {
      if (skipFrozen && isFrozen(value)) return;
      seen.add(value);
      pending.push(value);
    }
  };
  for (const root of roots) visit(root);
  while (pending.length > 0) {
    const object = pending.pop()!;
    visit(getPrototypeOf(object));
    // One descriptor per key is cheaper in V8 than getOwnPropertyDescriptors' object of them all.
    const keys = ownKeys(object);
    for (let i = 0; i < keys.length; i++) {
      const desc = getOwnPropertyDescriptor(object, keys[i]!)!;
      if ("value" in desc) visit(desc.value);
      else {
        visit(desc.get);
        visit(desc.set);
      }
    }
    freeze(object);
  }
  return seen.size;
}
