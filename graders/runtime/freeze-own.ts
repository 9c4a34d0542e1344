/**
 * Freezes a runtime object that learner code is handed (a harness's building blocks, its globals), the
 * functions and objects it holds down to `depth` levels, and each function's `prototype` object. Where
 * one realm runs several copies of a learner's module (a design's pool instances, a component's
 * instances) these objects are the same for every copy: a property written on one (`design.cache = new
 * Map()`) would be memory every copy shares. The prototype chain is left to the realm's lockdown, which
 * may still have to change intrinsics when this runs.
 */
const { freeze } = Object;
const { getOwnPropertyDescriptor, ownKeys } = Reflect;

export function freezeOwn(value: unknown, depth = 2): void {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return;
  freeze(value);
  if (typeof value === "function") {
    const prototype = getOwnPropertyDescriptor(value, "prototype")?.value as unknown;
    if (prototype !== null && typeof prototype === "object") freeze(prototype);
  }
  if (depth === 0) return;
  for (const key of ownKeys(value)) {
    const desc = getOwnPropertyDescriptor(value, key)!;
    if ("value" in desc) freezeOwn(desc.value, depth - 1);
  }
}
