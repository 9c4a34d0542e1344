/**
 * Freezes the Worker's shared intrinsics before any learner code runs. In the browser every node shares
 * one realm with the simulator and the checkers, so a solution that patched `JSON.stringify` or
 * `Array.prototype.push` would change the grader itself; frozen, such a patch fails (silently in sloppy
 * code, with a TypeError in strict code) and the grade stays the engine's. A node's clock, timers and
 * randomness are its own scope's, not these.
 */
const constructors = [
  Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Date, RegExp, Error, TypeError, RangeError,
  SyntaxError, ReferenceError, EvalError, URIError, Promise, Map, Set, WeakMap, WeakSet, ArrayBuffer, DataView,
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array,
  Float64Array, BigInt64Array, BigUint64Array,
];
const namespaces = [JSON, Math, Reflect, Atomics, Intl];

export function hardenIntrinsics(): void {
  // The typed arrays' shared parent, and iterator prototypes, reached only through these objects.
  const extra = [
    Object.getPrototypeOf(Int8Array),
    Object.getPrototypeOf(Int8Array.prototype),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function () {}),
  ];
  for (const ctor of constructors) {
    Object.freeze(ctor.prototype);
    Object.freeze(ctor);
  }
  for (const object of [...namespaces, ...extra]) Object.freeze(object);
}
