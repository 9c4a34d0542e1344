import { ExactNumber } from "../history/number.ts";
import type { Operation } from "../../sim/history.ts";
import type { Value } from "../history/types.ts";
import { displayValue, hashValue, isMapValue, sameValue } from "../history/value.ts";

// Value equality lives with the values (history/value.ts): canonical, iterative, exact on numbers.
export { hashValue, sameValue };

/**
 * A sequential specification. The checker looks for an order of the history's operations, consistent with
 * real time, in which `step` accepts every operation.
 *
 * `step(state, op)` reads the input from `op.f` / `op.value` and the observed output from `op.output` /
 * `op.status` ("ok", a "fail" the model chose to keep, or "info": output unknown, the invoke's value counts).
 * It returns the next state, or `undefined` when that output is impossible from `state` (so `undefined` is
 * never a state). Deterministic on purpose: no allocation of a result tuple in the search's hot loop.
 */
export interface Model<S = unknown> {
  name: string;
  /** Operation names (`f`) this model understands. */
  fs: readonly string[];
  init(): S;
  step(state: S, op: Operation<Value>): S | undefined;
  /** A 32-bit hash of a state (default: 0, the search then tells states apart by `equal` alone). */
  hash?(state: S): number;
  /** State equality (default `===`). */
  equal?(a: S, b: S): boolean;
  /** Why `op` cannot be read: a description of what was expected, or undefined when it is well formed. */
  validate?(op: Operation<Value>): string | undefined;
  /** Splits a history into independent parts (P-compositionality, e.g. one per key); default: one part. */
  partition?(ops: readonly Operation<Value>[]): Array<{ key?: string; ops: Operation<Value>[] }>;
  /** True for a `fail` operation that still says something (a failed cas: the compare did not match). */
  keepFailed?(op: Operation<Value>): boolean;
  /** True for an operation that changes nothing (a read): with an unknown output it constrains nothing. */
  isReadOnly?(op: Operation<Value>): boolean;
  describeOp(op: Operation<Value>): string;
  describeState(state: S): string;
}

function formatValue(value: Value | undefined): string {
  if (value === null || value === undefined) return "nil";
  return displayValue(value, 40);
}

function isPlainValue(value: Value): boolean {
  return !isMapValue(value);
}

function describeRegisterOp(op: Operation<Value>): string {
  if (op.f === "read") return `read → ${op.status === "info" ? "?" : formatValue(op.output)}`;
  if (op.f === "write") return `write ${formatValue(op.value)}`;
  const [from, to] = op.value as Value[];
  const outcome = op.status === "fail" ? " (failed)" : op.status === "info" ? " (?)" : "";
  return `cas ${formatValue(from!)} → ${formatValue(to!)}${outcome}`;
}

/** A register holding one value (initially nil): `read` returns it, `write` replaces it. */
export const registerModel: Model<Value> = {
  name: "register",
  fs: ["read", "write"],
  init: () => null,
  step(state, op) {
    if (op.f === "write") return op.value;
    return sameValue(state, op.output) ? state : undefined; // read
  },
  hash: hashValue,
  equal: sameValue,
  validate(op) {
    if (op.f !== "read" && op.f !== "write") return "f read or write (model register)";
    return isPlainValue(op.value) ? undefined : "a scalar or vector value";
  },
  isReadOnly: (op) => op.f === "read",
  describeOp: describeRegisterOp,
  describeState: formatValue,
};

/**
 * A register with compare-and-set: `cas [from, to]` replaces `from` by `to`. A failed cas is a definite
 * answer, the value was not `from`: it stays in the history as a read that must see a different value.
 */
export const casRegisterModel: Model<Value> = {
  name: "cas-register",
  fs: ["read", "write", "cas"],
  init: () => null,
  step(state, op) {
    const f = op.f;
    if (f === "write") return op.value;
    if (f === "read") return sameValue(state, op.output) ? state : undefined;
    const pair = op.value as Value[];
    const matches = sameValue(state, pair[0]!);
    if (op.status === "fail") return matches ? undefined : state;
    return matches ? pair[1]! : undefined; // ok, or info: if it took effect, it succeeded
  },
  hash: hashValue,
  equal: sameValue,
  validate(op) {
    if (op.f !== "read" && op.f !== "write" && op.f !== "cas") return "f read, write or cas (model cas-register)";
    if (op.f === "cas" && !(Array.isArray(op.value) && op.value.length === 2)) return "a cas value [from, to]";
    return isPlainValue(op.value) ? undefined : "a scalar or vector value";
  },
  keepFailed: (op) => op.f === "cas",
  isReadOnly: (op) => op.f === "read",
  describeOp: describeRegisterOp,
  describeState: formatValue,
};

/** A kv value as the string it stands for; numbers as JavaScript prints them (exact ones by their digits). */
function kvString(value: Value): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  if (value instanceof ExactNumber) return value.text;
  return displayValue(value, Infinity); // refused by validate; never String() on a map (its toString is data)
}

const isKvScalar = (v: Value): boolean => v === null || typeof v === "string" || typeof v === "number" || v instanceof ExactNumber;

/** One key's value with its FNV-1a hash, extended incrementally by appends (hashing the whole string on
 * every step would cost O(length)). Equal strings have equal hashes whatever the appends that built them. */
export interface KvState {
  s: string;
  h: number;
}

function fnvExtend(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

const FNV_OFFSET = 0x811c9dc5 | 0;

/**
 * A key-value store of strings, checked one key at a time: `get` returns the value ("" or nil when
 * missing), `put` replaces it, `append` concatenates to it. The state of one partition is that key's string.
 */
export const kvModel: Model<KvState> = {
  name: "kv",
  fs: ["get", "put", "append"],
  init: () => ({ s: "", h: FNV_OFFSET }),
  step(state, op) {
    const f = op.f;
    if (f === "append") {
      const v = kvString(op.value);
      return { s: state.s + v, h: fnvExtend(state.h, v) };
    }
    if (f === "put") {
      const v = kvString(op.value);
      return { s: v, h: fnvExtend(FNV_OFFSET, v) };
    }
    return state.s === kvString(op.output) ? state : undefined; // get
  },
  hash: (state) => state.h,
  equal: (a, b) => a === b || (a.h === b.h && a.s === b.s),
  validate(op) {
    if (op.f !== "get" && op.f !== "put" && op.f !== "append") return "f get, put or append (model kv)";
    if (op.key === undefined) return "a key (model kv)";
    if (!isKvScalar(op.value)) return "a string value";
    if (op.f === "get" && op.status === "ok" && !isKvScalar(op.output)) {
      const where = op.outputLine === undefined ? "" : ` (the ok on line ${op.outputLine}: ${displayValue(op.output, 40)})`;
      return `a string, number or nil as what the get read${where}`;
    }
    return undefined;
  },
  partition: partitionByKey,
  isReadOnly: (op) => op.f === "get",
  describeOp(op) {
    const key = JSON.stringify(op.key);
    if (op.f === "get") return `get ${key} → ${op.status === "info" ? "?" : JSON.stringify(kvString(op.output))}`;
    return `${op.f} ${key} ${JSON.stringify(kvString(op.value))}`;
  },
  describeState: ({ s }) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s),
};

/** Operations grouped by key, keys in first-seen order: Jepsen's independent keys, each its own object. */
export function partitionByKey(ops: readonly Operation<Value>[]): Array<{ key: string; ops: Operation<Value>[] }> {
  const byKey = new Map<string, Operation<Value>[]>();
  for (const op of ops) {
    const key = op.key ?? "";
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(op);
  }
  return [...byKey].map(([key, list]) => ({ key, ops: list }));
}

/** A single-object model checked one key at a time (each key an independent register). */
export function perKey<S>(model: Model<S>, name = model.name): Model<S> {
  return { ...model, name, partition: partitionByKey };
}

export const models: Record<string, Model<any>> = {
  register: registerModel,
  "cas-register": casRegisterModel,
  kv: kvModel,
};

/** A model whose step may lead to several states (or none): `stepAll` lists them. */
export interface NondeterministicModel<S> extends Omit<Model<S>, "step" | "describeState"> {
  stepAll(state: S, op: Operation<Value>): readonly S[];
  describeState(state: S): string;
}

/**
 * Turns a nondeterministic model into a deterministic one over sets of states (as Porcupine does): the
 * state is the list of states the object may be in, deduplicated; an empty list means "impossible".
 */
export function fromNondeterministic<S>(model: NondeterministicModel<S>): Model<readonly S[]> {
  const equal = model.equal ?? ((a: S, b: S) => a === b);
  const hash = model.hash;
  const setHash = (states: readonly S[]): number => {
    if (!hash) return states.length;
    let h = 0;
    for (const s of states) h = (h + hash(s)) | 0; // order-independent
    return h;
  };
  const contains = (states: readonly S[], s: S): boolean => states.some((t) => equal(t, s));
  const result: Model<readonly S[]> = {
    name: model.name,
    fs: model.fs,
    init: () => [model.init()],
    step(states, op) {
      const out: S[] = [];
      for (const s of states) for (const t of model.stepAll(s, op)) if (!contains(out, t)) out.push(t);
      return out.length === 0 ? undefined : out;
    },
    hash: setHash,
    equal: (a, b) => a === b || (a.length === b.length && a.every((s) => contains(b, s))),
    describeOp: model.describeOp,
    describeState: (states) =>
      states.length === 1 ? model.describeState(states[0]!) : `one of {${states.map((s) => model.describeState(s)).join(", ")}}`,
  };
  if (model.validate) result.validate = model.validate;
  if (model.partition) result.partition = model.partition;
  if (model.keepFailed) result.keepFailed = model.keepFailed;
  if (model.isReadOnly) result.isReadOnly = model.isReadOnly;
  return result;
}
