/**
 * The realm's shared objects that no property path from globalThis names: iterator and generator
 * prototypes, the generator and async function constructors, %TypedArray%, %ThrowTypeError%, V8's error
 * `stack` accessor. Each is reached by making an instance and taking its prototype (or descriptor), and
 * each is as shared as Array.prototype, so the freeze walk starts from them too. Collected before the
 * host's globals go, with whatever the engine has (an engine without Iterator helpers lacks that one).
 * Intl.Segmenter's two are frozen on first use instead (segmenter.ts): making a Segmenter loads ICU data.
 */
const { getPrototypeOf, getOwnPropertyDescriptor } = Reflect;

type Probe = () => unknown;

const probes: Probe[] = [
  () => [][Symbol.iterator](), // %ArrayIteratorPrototype% (and %IteratorPrototype% above it)
  () => new Map().entries(),
  () => new Set().values(),
  () => ""[Symbol.iterator](),
  () => /a/g[Symbol.matchAll](""), // %RegExpStringIteratorPrototype%
  () => ([].values() as unknown as { map(f: (x: unknown) => unknown): unknown }).map((x) => x), // %IteratorHelperPrototype%
  () => (globalThis as unknown as { Iterator: { from(it: object): unknown } }).Iterator.from({ next: () => ({ done: true, value: undefined }) }), // %WrapForValidIteratorPrototype%
  () => function* () {}, // %GeneratorFunction.prototype%
  () => (function* () {})(), // %GeneratorPrototype% above it
  () => async function () {}, // %AsyncFunction.prototype%
  () => async function* () {},
  () => (async function* () {})(), // %AsyncGeneratorPrototype%, %AsyncIteratorPrototype%
  () => new Int8Array(0), // %TypedArray% via the constructor, its prototype via the instance
  () => Object.getPrototypeOf(Int8Array),
  () => throwTypeError(),
  () => errorStackAccessor(),
];

function throwTypeError(): unknown {
  return getOwnPropertyDescriptor((function (): IArguments {
    "use strict";
    return arguments;
  })(), "callee")!.get;
}

/** V8 gives each error an own `stack` accessor whose getter and setter are shared by all errors. */
function errorStackAccessor(): unknown {
  const desc = getOwnPropertyDescriptor(new Error("probe"), "stack");
  return desc && "get" in desc ? [desc.get, desc.set] : undefined;
}

/** One object per probe: the instance's prototype for instances, the value itself for functions. */
export function hiddenIntrinsics(): object[] {
  const found: object[] = [];
  for (const probe of probes) {
    let value: unknown;
    try {
      value = probe();
    } catch {
      continue; // the engine lacks this one
    }
    if (typeof value === "function") found.push(value, getPrototypeOf(value)!);
    else if (typeof value === "object" && value !== null) found.push(Array.isArray(value) ? value : getPrototypeOf(value)!);
  }
  return found;
}
