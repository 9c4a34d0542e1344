/**
 * Frozen prototypes turn an ordinary assignment into an error: `this.name = "MyError"` in an Error
 * subclass, or `Foo.prototype.toString = …` on an object made with Object.create, fails because the
 * inherited property is read-only (the "override mistake"). For the few properties code commonly
 * overrides this way, the data property becomes an accessor: reading gives the same value, assigning on an
 * inheriting object defines an own property there as assignment used to, and assigning on the prototype
 * itself still fails. The getter and setter hold no state, so they are no channel. Not on Array.prototype
 * or Promise.prototype: V8 watches their `constructor` (species protectors) and would slow every `map`
 * and `then` down.
 */
const { defineProperty, getOwnPropertyDescriptor } = Reflect;

const errorConstructors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];

function overridable(): Array<[object, readonly string[]]> {
  const list: Array<[object, readonly string[]]> = [
    [Object.prototype, ["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]],
    [Function.prototype, ["toString"]],
  ];
  const suppressed = (globalThis as unknown as { SuppressedError?: ErrorConstructor }).SuppressedError;
  for (const ctor of suppressed ? [...errorConstructors, suppressed] : errorConstructors) {
    list.push([ctor.prototype, ["constructor", "name", "message", "toString"]]);
  }
  return list;
}

export function tameOverrides(): number {
  let count = 0;
  for (const [proto, keys] of overridable()) {
    for (const key of keys) if (tame(proto, key)) count++;
  }
  return count;
}

function tame(proto: object, key: string): boolean {
  const desc = getOwnPropertyDescriptor(proto, key);
  if (!desc || !("value" in desc) || !desc.configurable) return false;
  const value: unknown = desc.value;
  // A class body: strict and named like a built-in accessor ("get toString"), and no constructors.
  const accessors = class {
    get [key](): unknown {
      return value;
    }
    set [key](next: unknown) {
      if (this === proto) throw new TypeError(`Cannot assign to read only property '${key}' of a locked-down intrinsic`);
      // Strict code assigning to a primitive's property throws, as defineProperty does here.
      defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true }) ||
        fail(key);
    }
  }.prototype;
  const { get, set } = getOwnPropertyDescriptor(accessors, key)!;
  defineProperty(proto, key, { get, set, enumerable: desc.enumerable, configurable: true });
  return true;
}

function fail(key: string): never {
  throw new TypeError(`Cannot assign to property '${key}': the object is not extensible or the property is read-only`);
}
