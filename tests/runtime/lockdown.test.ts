// lockdownRealm, run where learner code runs: in a fresh isolated-vm context and in a fresh node:vm
// context (DONT_CONTEXTIFY: a contextified global cannot be made non-extensible, see the last test).
// "Two nodes" are two scripts evaluated one after the other in the same locked realm: the first tries to
// leave a value somewhere, the second looks for it.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import vm from "node:vm";
import ivm from "isolated-vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleScript } from "../../graders/sandbox/node/bundles.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const kept = ["__setNow", "__thenCalls"];
const startMs = 1_000_000; // the fixture clock's first reading

interface Realm {
  run(code: string): unknown;
  runAsync(code: string): Promise<unknown>;
}

let bundle = "";
let isolate: ivm.Isolate;
let compiled: ivm.Script;

beforeAll(async () => {
  bundle = await bundleScript(join(fixtures, "lockdown-entry.ts"));
  isolate = new ivm.Isolate({ memoryLimit: 128 });
  compiled = isolate.compileScriptSync(bundle);
});
afterAll(() => isolate.dispose());

/** A fresh realm with the fixture loaded; `before` runs as host code before the lockdown. */
const kinds: Record<string, (before?: string) => Realm> = {
  "isolated-vm": (before) => {
    const context = isolate.createContextSync();
    compiled.runSync(context);
    if (before) context.evalSync(before);
    return {
      run: (code) => context.evalSync(code),
      runAsync: (code) => context.eval(code, { promise: true }),
    };
  },
  "node:vm": (before) => {
    const context = vm.createContext(vm.constants.DONT_CONTEXTIFY);
    vm.runInContext(bundle, context);
    if (before) vm.runInContext(before, context);
    return {
      run: (code) => vm.runInContext(code, context),
      runAsync: async (code) => (await vm.runInContext(code, context)) as unknown,
    };
  },
};

function lock(realm: Realm, keep: readonly string[] = kept): { objectsFrozen: number; overridesTamed: number } {
  return JSON.parse(realm.run(`__lockdown(${JSON.stringify(JSON.stringify(keep))})`) as string);
}

/** Evaluates an expression in the realm and brings its value back as JSON. */
function value(realm: Realm, expression: string): unknown {
  const text = realm.run(`JSON.stringify((() => { try { return ${expression}; } catch (e) { return "threw " + e.name; } })())`);
  return text === undefined ? undefined : JSON.parse(text as string);
}

/** Node A's write (a sloppy script, so silent failures stay silent) and node B's read of the same channel. */
const channels: Array<[string, string, string]> = [
  ["global binding (assignment)", "secret = 42", "typeof secret === 'undefined' ? undefined : secret"],
  ["global binding (globalThis)", "globalThis.secret = 42", "globalThis.secret"],
  ["global binding (defineProperty)", "Object.defineProperty(globalThis, 'secret', { value: 42 })", "globalThis.secret"],
  ["Function('return this')()", "Function('return this')().secret = 42", "Function('return this')().secret"],
  ["sloppy function this", "(function () { this.secret = 42; })()", "(function () { return this.secret; })()"],
  ["indirect eval var", "(0, eval)('var secret = 42')", "typeof secret === 'undefined' ? undefined : secret"],
  ["indirect eval function", "(0, eval)('function secret() { return 42 }')", "typeof secret === 'undefined' ? undefined : secret()"],
  ["replacing a global", "Array = function () { return 42 }", "Array.length === 1 ? 'original' : Array()"],
  ["Math.max.x", "Math.max.x = 42", "Math.max.x"],
  ["Math.random replaced", "Math.random = () => 42", "Math.random()"],
  ["JSON.stringify replaced", "JSON.stringify = () => 42", "JSON.stringify.length === 3 ? 'original' : 42"],
  ["Object.prototype", "Object.prototype.secret = 42", "({}).secret"],
  ["Object.prototype setPrototypeOf", "Object.setPrototypeOf(Array.prototype, { secret: 42 })", "[].secret"],
  ["Array.prototype", "Array.prototype.secret = 42", "[].secret"],
  ["Array.prototype.push", "Array.prototype.push = () => 42", "[].push(1)"],
  ["Array.prototype[Symbol.unscopables]", "Array.prototype[Symbol.unscopables].secret = 42", "Array.prototype[Symbol.unscopables].secret"],
  ["Symbol-keyed property", "Array.prototype[Symbol.for('secret')] = 42", "[][Symbol.for('secret')]"],
  ["Symbol.iterator replaced", "Array.prototype[Symbol.iterator] = function* () { yield 42 }", "[...[1]][0]"],
  ["accessor getter", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get.secret = 42", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').get.secret"],
  ["accessor setter", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').set.secret = 42", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').set.secret"],
  ["RegExp flags getter", "Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get.secret = 42", "Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get.secret"],
  ["Symbol.species getter", "Object.getOwnPropertyDescriptor(Map, Symbol.species).get.secret = 42", "Object.getOwnPropertyDescriptor(Map, Symbol.species).get.secret"],
  ["tamed override accessor", "Object.getOwnPropertyDescriptor(Object.prototype, 'toString').get.secret = 42", "Object.getOwnPropertyDescriptor(Object.prototype, 'toString').get.secret"],
  ["error stack accessor", "Object.getOwnPropertyDescriptor(new Error(), 'stack').get.secret = 42", "Object.getOwnPropertyDescriptor(new Error(), 'stack').get.secret"],
  ["%ThrowTypeError%", "Object.getOwnPropertyDescriptor(Function.prototype, 'caller').get.secret = 42", "(function () { 'use strict'; return Object.getOwnPropertyDescriptor(arguments, 'callee').get.secret })()"],
  ["Array iterator prototype", "Object.getPrototypeOf([][Symbol.iterator]()).secret = 42", "[].values().secret"],
  ["Map iterator prototype", "Object.getPrototypeOf(new Map().entries()).secret = 42", "new Map().keys().secret"],
  ["Set iterator prototype", "Object.getPrototypeOf(new Set().values()).secret = 42", "new Set().entries().secret"],
  ["String iterator prototype", "Object.getPrototypeOf(''[Symbol.iterator]()).secret = 42", "'x'[Symbol.iterator]().secret"],
  ["RegExp string iterator prototype", "Object.getPrototypeOf('a'.matchAll(/a/g)).secret = 42", "'b'.matchAll(/b/g).secret"],
  ["Iterator helper prototype", "Object.getPrototypeOf([].values().map((x) => x)).secret = 42", "[].values().filter(Boolean).secret"],
  ["wrap-for-valid-iterator prototype", "Object.getPrototypeOf(Iterator.from({ next() {} })).secret = 42", "Iterator.from({ next() {} }).secret"],
  ["Iterator.prototype", "Iterator.prototype.secret = 42", "[].values().secret"],
  ["Iterator", "Iterator.secret = 42", "Iterator.secret"],
  ["generator prototype", "Object.getPrototypeOf(function* () {}).prototype.secret = 42", "(function* () {})().secret"],
  ["GeneratorFunction", "Object.getPrototypeOf(function* () {}).constructor.secret = 42", "Object.getPrototypeOf(function* () {}).constructor.secret"],
  ["GeneratorFunction.prototype", "Object.getPrototypeOf(function* () {}).secret = 42", "(function* () {}).secret"],
  ["AsyncFunction", "Object.getPrototypeOf(async function () {}).constructor.secret = 42", "(async () => {}).constructor.secret"],
  ["AsyncFunction.prototype", "Object.getPrototypeOf(async function () {}).secret = 42", "(async () => {}).secret"],
  ["async generator prototype", "Object.getPrototypeOf(async function* () {}).prototype.secret = 42", "(async function* () {})().secret"],
  ["AsyncGeneratorFunction", "Object.getPrototypeOf(async function* () {}).constructor.secret = 42", "Object.getPrototypeOf(async function* () {}).constructor.secret"],
  ["%AsyncIteratorPrototype%", "Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype)).secret = 42", "(async function* () {})().secret"],
  ["%TypedArray%", "Object.getPrototypeOf(Int8Array).secret = 42", "Object.getPrototypeOf(Uint8Array).secret"],
  ["%TypedArray%.prototype", "Object.getPrototypeOf(Int8Array.prototype).secret = 42", "new Uint8Array(1).secret"],
  ["Intl prototype", "Intl.DateTimeFormat.prototype.secret = 42", "new Intl.DateTimeFormat().secret"],
  ["Intl namespace", "Intl.secret = 42", "Intl.secret"],
  ["Intl segments prototype", "Object.getPrototypeOf(new Intl.Segmenter().segment('a')).secret = 42", "new Intl.Segmenter().segment('b').secret"],
  ["Intl segment iterator prototype", "Object.getPrototypeOf(new Intl.Segmenter().segment('a')[Symbol.iterator]()).secret = 42", "new Intl.Segmenter().segment('b')[Symbol.iterator]().secret"],
  ["RegExp.$1", "/(secret42)/.exec('secret42')", "RegExp.$1"],
  ["RegExp.lastMatch", "/secret42/.exec('secret42')", "RegExp.lastMatch"],
  ["RegExp.input", "/secret42/.exec('secret42')", "RegExp.input"],
  ["RegExp['$&']", "'secret42'.replace(/secret42/, '')", "RegExp['$&']"],
  ["Proxy.x", "Proxy.secret = 42", "Proxy.secret"],
  ["Reflect.x", "Reflect.secret = 42", "Reflect.secret"],
  ["Date.x", "Date.secret = 42", "Date.secret"],
  ["Date.now replaced", "Date.now = () => 42", "Date.now()"],
  ["Error.prepareStackTrace", "Error.prepareStackTrace = () => 42", "Error.prepareStackTrace === undefined ? 'unset' : 42"],
  ["Error.stackTraceLimit", "Error.stackTraceLimit = 42", "Error.stackTraceLimit"],
  ["Error.captureStackTrace onto an intrinsic", "Error.captureStackTrace(Object.prototype)", "Object.getOwnPropertyDescriptor(Object.prototype, 'stack')"],
  ["Error.prototype.name", "Error.prototype.name = 'secret42'", "new Error('x').name"],
  ["Promise.prototype.then", "Promise.prototype.then = () => 42", "Promise.resolve().then() === 42 ? 42 : 'original'"],
  ["Function.prototype", "Function.prototype.secret = 42", "(() => {}).secret"],
  ["delete a built-in", "delete Array.prototype.map", "typeof [].map"],
  ["Atomics / SharedArrayBuffer", "Atomics.secret = 42", "typeof Atomics === 'undefined' ? typeof SharedArrayBuffer : 42"],
  ["WeakRef / FinalizationRegistry", "new WeakRef({})", "typeof WeakRef + typeof FinalizationRegistry"],
  ["WebAssembly", "WebAssembly.secret = 42", "typeof WebAssembly"],
];

/** Channels the language itself closes (tested anyway: the lockdown must not reopen them). */
const closedByTheLanguage = new Set(["%ThrowTypeError%"]);

/** The functions named `name` reachable from globalThis by any property or prototype path. */
const reachableNamed = (name: string) => `(() => {
  const seen = new Set(), todo = [globalThis], found = [];
  while (todo.length) {
    const o = todo.pop();
    if (seen.has(o)) continue;
    seen.add(o);
    if (typeof o === "function" && Object.getOwnPropertyDescriptor(o, "name")?.value === ${JSON.stringify(name)}) found.push(o);
    const next = [Object.getPrototypeOf(o)];
    for (const k of Reflect.ownKeys(o)) { const d = Object.getOwnPropertyDescriptor(o, k); next.push(d.value, d.get, d.set); }
    for (const v of next) if ((typeof v === "object" && v !== null) || typeof v === "function") todo.push(v);
  }
  return found;
})()`;

describe.each(Object.keys(kinds))("lockdownRealm in a fresh %s context", (kind) => {
  const fresh = kinds[kind]!;

  it.each(channels)("closes the channel: %s", (name, write, read) => {
    const realm = fresh();
    lock(realm);
    realm.run(`try { ${write} } catch {}`);
    // Strict code is told, sloppy code fails silently; either way the second node reads nothing.
    const seen = value(realm, read);
    expect(seen).not.toBe(42);
    expect(JSON.stringify(seen) ?? "").not.toContain("secret42");
    // And the channel is real: in a realm that is not locked, the same write does reach the reader.
    if (closedByTheLanguage.has(name)) return;
    const open = fresh();
    open.run(`try { ${write} } catch {}`);
    expect(value(open, read)).not.toEqual(seen);
  });

  it("freezes every object reachable from globalThis and from the hidden intrinsics", () => {
    const realm = fresh();
    const report = lock(realm);
    expect(report.objectsFrozen).toBeGreaterThan(500);
    const unfrozen = value(realm, `(() => {
      const seg = new Intl.Segmenter().segment("ab");
      const roots = [globalThis, [][Symbol.iterator](), new Map().entries(), new Set().values(), ""[Symbol.iterator](),
        /a/g[Symbol.matchAll](""), [].values().map((x) => x), Iterator.from({ next() {} }), Object.getPrototypeOf(function* () {}),
        Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(async function* () {}), Object.getPrototypeOf(Int8Array),
        Object.getOwnPropertyDescriptor((function () { "use strict"; return arguments; })(), "callee").get,
        Object.getOwnPropertyDescriptor(new Error(), "stack").get, Object.getOwnPropertyDescriptor(new Error(), "stack").set,
        seg, seg[Symbol.iterator]()];
      // Instances are their maker's own; what they lead to (prototypes, methods) must be frozen.
      const own = new Set(roots.slice(1).filter((r) => typeof r === "object"));
      const seen = new Set(), todo = [...roots], bad = [];
      while (todo.length) {
        const o = todo.pop();
        if (seen.has(o)) continue;
        seen.add(o);
        const next = [Object.getPrototypeOf(o)];
        if (own.has(o)) { todo.push(...next.filter(Boolean)); continue; } // its own properties are its own too
        if (!Object.isFrozen(o)) bad.push(typeof o === "function" ? "function " + o.name : Object.prototype.toString.call(o));
        for (const k of Reflect.ownKeys(o)) { const d = Object.getOwnPropertyDescriptor(o, k); next.push(d.value, d.get, d.set); }
        for (const v of next) if ((typeof v === "object" && v !== null) || typeof v === "function") todo.push(v);
      }
      return { bad, seen: seen.size };
    })()`) as { bad: string[]; seen: number };
    expect(unfrozen.bad).toEqual([]);
    expect(unfrozen.seen).toBeGreaterThan(500);
  });

  it("removes host globals, keeps the standard ones and those asked for, and refuses a stuck capability", () => {
    // What a Worker's global looks like, in miniature: own host globals and a host prototype chain.
    const host = `
      const proto = Object.create(Object.getPrototypeOf(globalThis), {
        addEventListener: { value() {}, writable: true, configurable: true },
        [Symbol.toStringTag]: { value: "WorkerGlobalScope", configurable: true },
      });
      Object.setPrototypeOf(globalThis, proto);
      Object.assign(globalThis, { postMessage() {}, fetch() {}, setTimeout() {}, performance: { now: () => 1 }, importScripts() {}, indexedDB: {} });
      globalThis.self = globalThis;
      Object.defineProperty(globalThis, "stuckNumber", { value: 1, writable: false, configurable: false });
      Object.defineProperty(globalThis, "stuckWritable", { value: {}, writable: true, configurable: false });
    `;
    const realm = fresh(host);
    lock(realm, [...kept, "fetch"]);
    expect(value(realm, `["postMessage", "setTimeout", "performance", "importScripts", "indexedDB", "self", "console", "addEventListener"].map((k) => typeof globalThis[k])`)).toEqual(Array(8).fill("undefined"));
    expect(value(realm, `[typeof fetch, typeof __setNow, stuckNumber, stuckWritable, Object.isFrozen(Object.getPrototypeOf(globalThis)), Reflect.ownKeys(Object.getPrototypeOf(globalThis)).length]`)).toEqual(["function", "function", 1, null, true, 0]);
    const standard = value(realm, `Object.getOwnPropertyNames(globalThis).filter((k) => !["__setNow", "__thenCalls", "fetch", "stuckNumber", "stuckWritable"].includes(k)).sort()`) as string[];
    expect(standard).toEqual(expect.arrayContaining(["Array", "Date", "Intl", "Iterator", "Promise", "Proxy", "globalThis", "eval", "escape"]));
    expect(standard).not.toEqual(expect.arrayContaining(["WeakRef"]));
    expect(standard.filter((k) => ["WeakRef", "FinalizationRegistry", "SharedArrayBuffer", "Atomics", "WebAssembly", "console", "DisposableStack"].includes(k))).toEqual([]);

    const stuck = fresh(`Object.defineProperty(globalThis, "postMessage", { value() {}, writable: false, configurable: false });`);
    expect(() => lock(stuck)).toThrow(/cannot remove host globals that are capabilities: postMessage/);
  });

  it("keeps the real clock out of reach and reads the given one instead", () => {
    const realm = fresh();
    lock(realm);
    const atStart = value(realm, `[Date.now(), new Date().getTime(), +new Date(), Date(), new Date().constructor === Date,
      Date.prototype.constructor === Date, Object.getPrototypeOf(Date) === Function.prototype,
      Reflect.construct(Date, [], Object).constructor === Object, Date.prototype.getTime.call(Reflect.construct(Date, [], Object)),
      new (class extends Date {})().getTime(), Reflect.construct(Date.prototype.constructor, []).getTime(),
      new (Object.getPrototypeOf(new Date()).constructor)().getTime(), typeof Date.prototype.toTemporalInstant, typeof Temporal,
      typeof performance, typeof setTimeout]`);
    expect(atStart).toEqual([startMs, startMs, startMs, "Thu Jan 01 1970 00:16:40 GMT+0000 (Coordinated Universal Time)", true, true, true, true,
      startMs, startMs, startMs, startMs, "undefined", "undefined", "undefined", "undefined"]);
    realm.run("__setNow(1e12)");
    expect(value(realm, `[Date.now(), new Date().getTime(), new Intl.DateTimeFormat("en-US", { dateStyle: "short", timeStyle: "short" }).format(),
      Intl.DateTimeFormat().formatToParts().map((p) => p.value).join(""), ((f) => f.format === f.format)(new Intl.DateTimeFormat())]`)).toEqual([
      1e12, 1e12, "9/9/01, 1:46 AM", "9/9/2001", true]);
    // formatRange has no "now": it throws rather than read any clock.
    expect(value(realm, `new Intl.DateTimeFormat().formatRange()`)).toBe("threw TypeError");
    // The only functions named Date or DateTimeFormat anywhere in the realm are the virtual ones.
    expect(value(realm, `${reachableNamed("Date")}.map((f) => f === Date)`)).toEqual([true]);
    expect(value(realm, `${reachableNamed("DateTimeFormat")}.map((f) => f === Intl.DateTimeFormat)`)).toEqual([true]);
    expect(value(realm, `[Math.random(), Math.random(), Math.random()]`)).toEqual([0, 1 / 7, 2 / 7]);
  });

  it("lives in UTC: local-time methods, parsing and text", () => {
    const realm = fresh();
    lock(realm);
    expect(value(realm, `(() => { const d = new Date(2020, 0, 15, 10, 30); d.setHours(11); d.setMinutes(5);
      return [d.getTime() === Date.UTC(2020, 0, 15, 11, 5), d.getHours(), d.getTimezoneOffset(), new Date(NaN).getTimezoneOffset(),
        d.toString(), d.toDateString(), d.toTimeString(), String(new Date(NaN)), d.getYear(), new Date(0).setYear(99),
        Date.parse("2020-01-15T10:30"), Date.parse("Jan 15 2020 10:30"), Date.parse("Jan 15 2020 10:30 GMT+0100"), new Date("2020-01-15T10:30").getTime()]; })()`)).toEqual([
      true, 11, 0, null, "Wed Jan 15 2020 11:05:00 GMT+0000 (Coordinated Universal Time)", "Wed Jan 15 2020",
      "11:05:00 GMT+0000 (Coordinated Universal Time)", "Invalid Date", 120, Date.UTC(1999, 0, 1),
      Date.UTC(2020, 0, 15, 10, 30), Date.UTC(2020, 0, 15, 10, 30), Date.UTC(2020, 0, 15, 9, 30), Date.UTC(2020, 0, 15, 10, 30)]);
  });

  it("defaults every locale-dependent built-in to en-US and UTC, and honours an explicit locale", () => {
    const realm = fresh();
    lock(realm);
    expect(value(realm, `[new Intl.DateTimeFormat().resolvedOptions().timeZone, new Intl.NumberFormat().resolvedOptions().locale,
      new Intl.Collator("de").resolvedOptions().locale, new Intl.NumberFormat("zz").resolvedOptions().locale, (1234.5).toLocaleString(),
      (1234.5).toLocaleString("de-DE"), new Date(0).toLocaleString(), new Date(0).toLocaleString("en-GB", { timeZone: "Asia/Tokyo" }),
      Intl.DateTimeFormat.name, Intl.DateTimeFormat.length, typeof Intl.DateTimeFormat.supportedLocalesOf, new Intl.DateTimeFormat() instanceof Intl.DateTimeFormat]`)).toEqual([
      "UTC", "en-US", "de", "en-US", "1,234.5", "1.234,5", "1/1/1970, 12:00:00 AM", "01/01/1970, 09:00:00", "DateTimeFormat", 0, "function", true]);
  });

  it("gives the same locale and time results under TZ=Pacific/Chatham LC_ALL=de_DE.UTF-8 as under TZ=UTC LC_ALL=C", async () => {
    if (kind !== "isolated-vm") return; // one child per environment runs both kinds of realm
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-lockdown-"));
    try {
      const file = join(dir, "bundle.js");
      writeFileSync(file, bundle);
      const child = join(fixtures, "lockdown-locale-child.mjs");
      const runUnder = async (env: Record<string, string>) => {
        const { stdout } = await promisify(execFile)(process.execPath, ["--no-node-snapshot", child, file], { env: { ...process.env, ...env } });
        return JSON.parse(stdout) as { ivm: unknown; vm: unknown; unlocked: { offset: number; locale: string } };
      };
      const [plain, far] = await Promise.all([runUnder({ TZ: "UTC", LC_ALL: "C" }), runUnder({ TZ: "Pacific/Chatham", LC_ALL: "de_DE.UTF-8" })]);
      // The environments do differ for an unlocked realm; else the comparison below would prove nothing.
      expect(plain.unlocked).toEqual({ offset: 0, locale: "en-US" });
      expect(far.unlocked.offset).toBeLessThan(-700);
      expect(far.unlocked.locale).toBe("de-DE");
      expect(far.ivm).toEqual(plain.ivm);
      expect(far.vm).toEqual(plain.vm);
      expect(plain.vm).toEqual(plain.ivm);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves the engine's own normal code working", async () => {
    const realm = fresh();
    lock(realm);
    expect(value(realm, `(() => {
      class Shape { constructor(n) { this.n = n; } area() { return 0; } toString() { return "shape " + this.n; } }
      class Square extends Shape { area() { return this.n * this.n; } }
      class BadInput extends Error { constructor(m) { super(m); this.name = "BadInput"; } }
      function Legacy() {}
      Legacy.prototype = Object.create(Object.prototype);
      Legacy.prototype.constructor = Legacy;
      Legacy.prototype.toString = function () { return "legacy"; };
      const m = new Map([[1, "a"]]); m.set(2, "b");
      const s = new Set([1, 2, 2]);
      function* gen() { yield 1; yield 2; }
      const e = new BadInput("no");
      return [new Square(3).area(), String(new Square(2)), [3, 1, 2].sort().map((x) => x * 2), [...m.values()].join(""), s.size,
        [...gen()], JSON.parse(JSON.stringify({ a: [1, { b: 2 }] })), e.name, String(e), e instanceof Error, String(new Legacy()),
        new Date(0).toISOString(), JSON.stringify(new Date(0)), Object.entries({ x: 1 }), [1, 2, 3].values().map((x) => x + 1).toArray(),
        /(\\d+)/.exec("ab12")[1], "a-b".replace(/-/g, "+"), Array.from({ length: 2 }, (_, i) => i), typeof structuredClone];
    })()`)).toEqual([9, "shape 2", [2, 4, 6], "ab", 2, [1, 2], { a: [1, { b: 2 }] }, "BadInput", "BadInput: no", true, "legacy",
      "1970-01-01T00:00:00.000Z", '"1970-01-01T00:00:00.000Z"', [["x", 1]], [2, 3, 4], "12", "a+b", [0, 1], "undefined"]);
    // Async code runs, and the then hook the host installed before the lockdown still sees the `.then`
    // calls (solutions are transpiled with await lowered to them; a native await bypasses the hook).
    const before = realm.run("__thenCalls()") as number;
    const result = await realm.runAsync(`(async () => { const a = await Promise.resolve(20); return new Promise((r) => r(a)).then((x) => x + 22); })()`);
    expect(result).toBe(42);
    expect(realm.run("__thenCalls()") as number).toBeGreaterThan(before);
  });

  it("refuses a second call", () => {
    const realm = fresh();
    lock(realm, [...kept, "__lockdown"]);
    expect(() => lock(realm)).toThrow(/already locked down/);
  });
});

describe("lockdownRealm in a contextified node:vm context", () => {
  it("throws clearly: such a global cannot be made non-extensible", () => {
    const context = vm.createContext();
    vm.runInContext(bundle, context);
    expect(() => vm.runInContext(`__lockdown("[]")`, context)).toThrow(/global object cannot be frozen/);
  });
});
