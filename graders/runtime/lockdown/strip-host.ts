/**
 * Removes the host's globals: every own property of `globalThis`, and of each object on its prototype
 * chain below `Object.prototype` (WorkerGlobalScope.prototype, EventTarget.prototype, …), that is neither
 * a standard global nor kept by the caller. Learner code then reaches no messaging, network, storage,
 * timers or clock of the host, by name or through `Function("return this")()`.
 */
import { standardGlobals } from "./standard-globals.ts";

const { deleteProperty, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, ownKeys } = Reflect;

/** What could not be taken out of the realm: a name whose value a learner could still call or read. */
export interface StuckGlobal {
  name: string;
  /** 0 = globalThis itself, 1 = its prototype, … */
  depth: number;
}

/**
 * Deletes the host's properties; a property that will not go is set to undefined if it can be. Returns the
 * ones left holding an object or function, which are capabilities the caller must not run learner code
 * with. A stuck primitive, or an alias of the global object itself (`self`), is harmless once frozen.
 */
export function stripHostGlobals(keep: ReadonlySet<string>): StuckGlobal[] {
  const root = globalThis;
  const stuck: StuckGlobal[] = [];
  let depth = 0;
  for (let holder: object | null = root; holder !== null && holder !== Object.prototype; holder = getPrototypeOf(holder), depth++) {
    for (const key of ownKeys(holder)) {
      if (typeof key === "string" && (keep.has(key) || (depth === 0 && standardGlobals.has(key)))) continue;
      if (deleteProperty(holder, key)) continue;
      const desc = getOwnPropertyDescriptor(holder, key)!;
      const writable = "value" in desc && desc.writable === true;
      if ((desc.configurable || writable) && defineProperty(holder, key, { value: undefined })) continue;
      if (isCapability(desc, root)) stuck.push({ name: String(key), depth });
    }
  }
  return stuck;
}

function isCapability(desc: PropertyDescriptor, root: object): boolean {
  if (!("value" in desc)) return true; // an accessor we cannot remove: what it returns is the host's call
  const value: unknown = desc.value;
  return value !== root && ((typeof value === "object" && value !== null) || typeof value === "function");
}
