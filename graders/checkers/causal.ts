/**
 * Causal consistency (causal memory, Ahamad et al. 1995) from recorded dependencies.
 *
 * The causal order ("happens before") is the transitive closure of:
 * - session order: a client's operations in the order it issued them (one at a time);
 * - reads-from: a write comes before every read that returned its value;
 * - recorded dependencies: any further "b depends on write a" edges a workload records (`deps`).
 * A history is causally consistent (for this checker) when no read returns a value that its own causal past
 * had already overwritten: if write d to key k is in the causal past of a read of k, the read must not return
 * the initial value, nor a write that d causally follows. A cycle in the causal order (a value read before it
 * could have been written) is a violation too.
 *
 * Outcomes: only ok reads are judged. A write that is not ok (info) may or may not have happened: it
 * enters the graph only through reads that returned its value, and it is not placed before its client's later
 * operations (it may have taken effect after them). Failed writes are left out.
 */
import { canonicalValue, describeKvOp, isInitial, keyOf } from "./session.ts";
import type { ClientOperation } from "../sim/history.ts";
import type { CheckOutcome } from "../contract.ts";

export interface CausalOp {
  process: string;
  kind: "write" | "read";
  key: string;
  /** Reads: the index of the write whose value it returned, null for the initial value, undefined when unknown. */
  readsFrom?: number | null;
  /** Indexes of writes this operation depends on, beyond session order and reads-from. */
  deps?: number[];
  /** Writes: whether it certainly took effect (an ok write). Other writes only count once read. */
  certain?: boolean;
  invokeMs: number;
  /** How the operation is shown in explanations. */
  description: string;
}

export interface CausalViolation {
  kind: "overwritten" | "cycle";
  /** overwritten: the read, the write it returned (undefined: the initial value) and the write that overwrote it. */
  read?: number;
  returned?: number;
  newer?: number;
  /** How `newer` reached the reader: operation indexes from `newer` to the read. */
  chain: number[];
  /** How `newer` follows `returned`: operation indexes from `returned` to `newer` (empty for the initial value). */
  overwrite: number[];
}

export interface CausalOutcome extends CheckOutcome {
  violation?: CausalViolation;
}

/** A fixed-size set of write indexes. */
class Bits {
  readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }
  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  or(other: Bits): void {
    for (let w = 0; w < this.words.length; w++) this.words[w]! |= other.words[w]!;
  }
}

/** Builds the causal graph of a key-value history whose written values are unique per key (reads-from by value). */
export function causalOpsFromKv(ops: readonly ClientOperation[]): CausalOp[] {
  const out: CausalOp[] = [];
  const writeByValue = new Map<string, number>();
  const pendingReads: Array<{ index: number; value: unknown }> = [];
  const sorted = [...ops].sort((a, b) => a.invokeMs - b.invokeMs);
  for (const op of sorted) {
    const key = keyOf(op.value);
    if (key === undefined) continue;
    if (op.f === "write" && op.status !== "fail") {
      const value = (op.value as { value?: unknown }).value;
      const id = `${key}\u0000${canonicalValue(value)}`;
      // Should a value repeat, the ok write wins the reads.
      if (!writeByValue.has(id) || op.status === "ok") writeByValue.set(id, out.length);
      out.push({ process: op.process, kind: "write", key, certain: op.status === "ok", invokeMs: op.invokeMs, description: describeKvOp(op) });
    } else if (op.f === "read" && op.status === "ok") {
      pendingReads.push({ index: out.length, value: op.output });
      out.push({ process: op.process, kind: "read", key, invokeMs: op.invokeMs, description: describeKvOp(op) });
    }
  }
  for (const { index, value } of pendingReads) {
    const read = out[index]!;
    read.readsFrom = isInitial(value) ? null : writeByValue.get(`${read.key}\u0000${canonicalValue(value)}`);
  }
  return out;
}

/** Checks causal consistency of a dependency graph (see the top of this file). */
export function checkCausal(ops: readonly CausalOp[]): CausalOutcome {
  const n = ops.length;
  // Predecessors of each operation: [index, why] with why "session" | "reads-from" | "dep".
  const preds: Array<Array<[number, "session" | "reads-from" | "dep"]>> = ops.map(() => []);
  const lastOf = new Map<string, number>();
  const order = ops.map((op, i) => ({ op, i })).sort((a, b) => a.op.invokeMs - b.op.invokeMs || a.i - b.i);
  for (const { op, i } of order) {
    const prev = lastOf.get(op.process);
    if (prev !== undefined) preds[i]!.push([prev, "session"]);
    // An uncertain write may have taken effect after its client's later operations: it is nobody's session predecessor.
    const carriesOn = op.kind === "read" || op.certain !== false;
    if (carriesOn) lastOf.set(op.process, i);
    else if (prev !== undefined) lastOf.set(op.process, prev);
    if (op.kind === "read" && typeof op.readsFrom === "number") preds[i]!.push([op.readsFrom, "reads-from"]);
    for (const d of op.deps ?? []) preds[i]!.push([d, "dep"]);
  }

  // Topological order (Kahn); what is left over lies on a cycle or behind one.
  const succs: number[][] = ops.map(() => []);
  const indegree = new Int32Array(n);
  for (let i = 0; i < n; i++) for (const [p] of preds[i]!) (succs[p]!.push(i), indegree[i]++);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  const topo: number[] = [];
  while (queue.length) {
    const i = queue.shift()!;
    topo.push(i);
    for (const s of succs[i]!) if (--indegree[s]! === 0) queue.push(s);
  }
  const writeIds = new Map<number, number>();
  ops.forEach((op, i) => op.kind === "write" && writeIds.set(i, writeIds.size));
  const metrics = { causalOps: n, causalWrites: writeIds.size, checkedReads: 0, violations: 0 };
  if (topo.length < n) {
    const cycle = findCycle(preds, indegree);
    const violation: CausalViolation = { kind: "cycle", chain: cycle, overwrite: [] };
    return {
      ok: false,
      message: `causal order has a cycle: ${cycle.map((i) => ops[i]!.description).join(" → ")} → back to the first. An operation cannot depend on itself: somewhere a value was read before the write that produced it could have happened.`,
      metrics: { ...metrics, violations: 1 },
      violation,
    };
  }

  // Causal past of each operation: the writes before it (itself included, for a write).
  const past: Bits[] = new Array(n);
  /** The reader's past before it read: everything but its reads-from edge. */
  const before: Array<Bits | undefined> = new Array(n);
  for (const i of topo) {
    const bits = new Bits(writeIds.size);
    const op = ops[i]!;
    if (op.kind === "read") {
      for (const [p, why] of preds[i]!) if (why !== "reads-from") bits.or(past[p]!);
      before[i] = new Bits(writeIds.size);
      before[i]!.or(bits);
      for (const [p, why] of preds[i]!) if (why === "reads-from") bits.or(past[p]!);
    } else {
      for (const [p] of preds[i]!) bits.or(past[p]!);
      bits.add(writeIds.get(i)!);
    }
    past[i] = bits;
  }

  const writesByKey = new Map<string, number[]>();
  ops.forEach((op, i) => {
    if (op.kind !== "write") return;
    const list = writesByKey.get(op.key);
    if (list) list.push(i);
    else writesByKey.set(op.key, [i]);
  });
  const found: Array<{ read: number; returned: number | undefined; newer: number }> = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    if (op.kind !== "read" || op.readsFrom === undefined) continue;
    metrics.checkedReads++;
    const returned = op.readsFrom ?? undefined;
    const seen = before[i]!;
    for (const d of writesByKey.get(op.key) ?? []) {
      if (d === returned || !seen.has(writeIds.get(d)!)) continue;
      if (returned === undefined || past[d]!.has(writeIds.get(returned)!)) {
        found.push({ read: i, returned, newer: d });
        break;
      }
    }
  }
  metrics.violations = found.length;
  if (found.length === 0) {
    return { ok: true, message: `causally consistent: no read returned a value its causal past had overwritten (${metrics.checkedReads} reads checked)`, metrics };
  }
  found.sort((a, b) => ops[a.read]!.invokeMs - ops[b.read]!.invokeMs);
  const first = found[0]!;
  const chain = pathBetween(preds, first.newer, first.read, true);
  const overwrite = first.returned === undefined ? [] : pathBetween(preds, first.returned, first.newer, false);
  const violation: CausalViolation = { kind: "overwritten", ...first, chain, overwrite };
  const show = (path: number[]) => path.map((i) => ops[i]!.description).join(" → ");
  const read = ops[first.read]!;
  const what = first.returned === undefined ? "" : `, the value of ${ops[first.returned]!.description}`;
  const why =
    first.returned === undefined
      ? `but ${ops[first.newer]!.description} was already in its causal past`
      : `but that write was overwritten by ${ops[first.newer]!.description}, which causally follows it (${show(overwrite)}), and was already in the reader's causal past`;
  const more = found.length > 1 ? ` (${found.length - 1} more violation${found.length === 2 ? "" : "s"}.)` : "";
  return {
    ok: false,
    message: `causal consistency violated: ${read.description}${what}; ${why}: ${show(chain)}. A read must not return a value that something it causally depends on (its own session, what it read, and what those writes had seen) has overwritten. Carry dependencies with each write and make a write visible only where everything it depends on is visible.${more}`,
    metrics,
    violation,
  };
}

/** Operation indexes along causal edges from `from` to `to` (shortest), skipping `to`'s reads-from edge when asked. */
function pathBetween(preds: ReadonlyArray<ReadonlyArray<[number, string]>>, from: number, to: number, skipReadsFromAtEnd: boolean): number[] {
  const parent = new Map<number, number>([[to, -1]]);
  const queue = [to];
  while (queue.length) {
    const i = queue.shift()!;
    if (i === from) break;
    for (const [p, why] of preds[i]!) {
      if (i === to && skipReadsFromAtEnd && why === "reads-from") continue;
      if (!parent.has(p)) (parent.set(p, i), queue.push(p));
    }
  }
  if (!parent.has(from)) return [from, to];
  const path: number[] = [];
  for (let i = from; i !== -1; i = parent.get(i)!) path.push(i);
  return path;
}

/** One cycle among the operations Kahn's algorithm could not order (indegree still above 0). */
function findCycle(preds: ReadonlyArray<ReadonlyArray<[number, string]>>, indegree: Int32Array): number[] {
  let i = indegree.findIndex((d) => d > 0);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  // Walk predecessors that are themselves unordered: in a finite graph this must come back to a node.
  while (!seenAt.has(i)) {
    seenAt.set(i, walk.length);
    walk.push(i);
    i = preds[i]!.find(([p]) => indegree[p]! > 0)![0];
  }
  return walk.slice(seenAt.get(i)!).reverse();
}
