/**
 * The own properties of `globalThis` a locked realm keeps: ECMAScript's standard globals, minus those that
 * are a channel between nodes or a source of non-determinism (`WeakRef` and `FinalizationRegistry` observe
 * the collector, `SharedArrayBuffer`/`Atomics` share memory, `WebAssembly` brings its own memory and
 * timing). Everything else on the global object and its prototype chain is the host's and is removed.
 * Names a realm lacks (an older engine without `Iterator`, say) are simply absent.
 */
export const standardGlobals: ReadonlySet<string> = new Set([
  // Values and functions of the global object.
  "globalThis", "Infinity", "NaN", "undefined",
  "eval", "isFinite", "isNaN", "parseFloat", "parseInt",
  "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
  // Fundamental objects and numbers.
  "Object", "Function", "Boolean", "Symbol", "Number", "BigInt", "Math", "Date", "String", "RegExp",
  // Errors.
  "Error", "AggregateError", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
  "SuppressedError",
  // Collections and buffers.
  "Array", "Map", "Set", "WeakMap", "WeakSet", "ArrayBuffer", "DataView",
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
  // Control, reflection and the rest.
  "Promise", "Iterator", "Proxy", "Reflect", "JSON", "Intl",
]);
