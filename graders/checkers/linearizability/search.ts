import type { Operation } from "../../sim/history.ts";
import type { Value } from "../history/types.ts";
import { hashValue, sameValue } from "../history/value.ts";
import type { Model } from "./models.ts";

/**
 * The Wing & Gong / Lowe search as Porcupine does it: call and return entries in one doubly linked list in
 * time order; walk it, linearize the first call whose step the model accepts (lifting its call and return
 * out of the list), and backtrack when a return is reached whose call is not yet linearized. A set of
 * (linearized ops, state) pairs already explored cuts repeated work.
 *
 * Data layout for speed: the list is two Int32Arrays, the linearized set a Uint32Array bitset with a
 * Zobrist hash kept incrementally (xor one random word per operation), and the memo an open-addressing
 * table over flat typed arrays. The hot loop allocates nothing but what the model's `step` allocates.
 */

export interface SearchLimits {
  /** Absolute deadline on `now()`'s clock. */
  deadlineMs: number;
  /** Steps (model calls and backtracks) left for this search. */
  stepsMax: number;
  /** Memo entries allowed (memory bound). */
  memoEntriesMax: number;
  now: () => number;
}

export type SearchOutcome = "linearizable" | "not-linearizable" | "timeout" | "steps" | "memory";

/** A search that can be run in slices (to interleave partitions: the first one to fail ends the check). */
export interface Search {
  /** Runs up to `steps` more steps; "paused" when the slice ended first. Idempotent once finished. */
  run(steps: number): SearchOutcome | "paused";
  /** Current figures (the result once finished). */
  result(): SearchResult;
  /** Approximate bytes held by the memo. */
  memoBytes(): number;
}

export interface SearchResult {
  outcome: SearchOutcome;
  steps: number;
  memoEntries: number;
  /** The longest partial linearization reached: indices into `ops`, in linearization order. */
  longest: number[];
}

/** How often (in loop iterations) the clock is read: a clock read costs more than a step. */
const CLOCK_EVERY = 4096;

/** A deterministic 32-bit generator (mulberry32) for the Zobrist words: same history, same search. */
function zobristWords(count: number): Int32Array {
  const words = new Int32Array(count);
  let seed = 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    words[i] = (t ^ (t >>> 14)) | 0;
  }
  return words;
}

/**
 * Checks one partition. `ops` must already be filtered by Jepsen semantics (failed ops dropped unless the
 * model keeps them); ops with `returnMs === Infinity` may be linearized at any point after their invoke,
 * or never. `optional[i] = 1` makes op i (one with a return) optional as well: it takes effect between its
 * invoke and its return, or not at all (the explanation's shrinking relaxes operations this way).
 */
export function searchLinearization<S>(
  model: Model<S>,
  ops: readonly Operation<Value>[],
  limits: SearchLimits,
  optional?: Uint8Array,
): SearchResult {
  const search = createSearch(model, ops, limits, optional);
  search.run(Infinity);
  return search.result();
}

/**
 * For each op of unknown outcome, the previous op of unknown outcome identical to it (same f, key, value
 * and output; by invoke, then index), or -1. Two such twins are interchangeable: any linearization using the
 * later one can use the earlier one instead (it was invoked no later and neither must return), so the
 * search takes twins in invoke order only. This turns 2^k subsets of k concurrent twins into k + 1.
 */
const hashOf = (v: Value | undefined): number => (v === undefined ? -1 : hashValue(v));
const same = (a: Value | undefined, b: Value | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && sameValue(a, b));

function twinsOf(ops: readonly Operation<Value>[]): Int32Array {
  const twin = new Int32Array(ops.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < ops.length; i++) if (ops[i]!.returnMs === Infinity) open.push(i);
  open.sort((a, b) => ops[a]!.invokeMs - ops[b]!.invokeMs || a - b);
  const last = new Map<string, number[]>(); // f + value hash → ops of that group seen so far
  for (const i of open) {
    const op = ops[i]!;
    const group = `${op.f}\u0000${op.key ?? ""}\u0000${hashOf(op.value)}\u0000${hashOf(op.output)}`;
    let seen = last.get(group);
    if (!seen) last.set(group, (seen = []));
    for (let k = seen.length - 1; k >= 0; k--) {
      const other = ops[seen[k]!]!;
      if (other.key === op.key && same(other.value, op.value) && same(other.output, op.output)) {
        twin[i] = seen[k]!;
        break;
      }
    }
    seen.push(i);
  }
  return twin;
}

/** Sets up the search of one partition; nothing runs until `run`. */
export function createSearch<S>(
  model: Model<S>,
  ops: readonly Operation<Value>[],
  limits: SearchLimits,
  optional?: Uint8Array,
): Search {
  const n = ops.length;

  // ---- entries, sorted by time; at equal times calls come first (the ops then overlap) ----
  let entryCount = 0;
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    if (!(op.returnMs >= op.invokeMs) || !Number.isFinite(op.invokeMs)) {
      throw new Error(`assertion: operation ${op.id} (line ${op.line}) returns (${op.returnMs}) before its invoke (${op.invokeMs})`);
    }
    entryCount += op.returnMs === Infinity ? 1 : 2;
  }
  const order: number[] = new Array(entryCount);
  {
    let k = 0;
    for (let i = 0; i < n; i++) {
      order[k++] = i * 2; // call of op i
      if (ops[i]!.returnMs !== Infinity) order[k++] = i * 2 + 1; // its return
    }
  }
  const timeOf = (code: number): number => (code & 1 ? ops[code >> 1]!.returnMs : ops[code >> 1]!.invokeMs);
  order.sort((a, b) => timeOf(a) - timeOf(b) || (a & 1) - (b & 1) || a - b);

  // Node 0 is the head sentinel, nodes 1..entryCount the entries, entryCount + 1 the tail sentinel.
  const head = 0;
  const tail = entryCount + 1;
  const next = new Int32Array(entryCount + 2);
  const prev = new Int32Array(entryCount + 2);
  const nodeOp = new Int32Array(entryCount + 2);
  const nodeIsCall = new Uint8Array(entryCount + 2);
  const callNode = new Int32Array(n);
  const returnNode = new Int32Array(n).fill(-1);
  for (let k = 0; k < entryCount; k++) {
    const node = k + 1;
    const code = order[k]!;
    const op = code >> 1;
    nodeOp[node] = op;
    if (code & 1) returnNode[op] = node;
    else {
      nodeIsCall[node] = 1;
      callNode[op] = node;
    }
  }
  for (let node = 0; node <= tail; node++) {
    next[node] = node + 1;
    prev[node] = node - 1;
  }
  next[tail] = tail;
  prev[head] = head;

  // ---- linearized set ----
  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words);
  const zobrist = zobristWords(n);

  // ---- memo: open addressing, entries in flat arrays ----
  const stateHash = model.hash;
  const stateEqual = model.equal;
  let capacity = 1024; // slots, power of two, load factor <= 1/2
  let slots = new Int32Array(capacity); // entry index + 1, 0 = empty
  let entryCapacity = capacity >>> 1;
  let entryHash = new Int32Array(entryCapacity);
  let entryBits = new Uint32Array(entryCapacity * words);
  const entryState: S[] = [];
  let memoEntries = 0;

  const grow = (): void => {
    capacity <<= 1;
    const mask = capacity - 1;
    const newSlots = new Int32Array(capacity);
    for (let e = 0; e < memoEntries; e++) {
      let slot = mix(entryHash[e]!) & mask;
      while (newSlots[slot] !== 0) slot = (slot + 1) & mask;
      newSlots[slot] = e + 1;
    }
    slots = newSlots;
    entryCapacity = capacity >>> 1;
    const newHash = new Int32Array(entryCapacity);
    newHash.set(entryHash);
    entryHash = newHash;
    const newBits = new Uint32Array(entryCapacity * words);
    newBits.set(entryBits);
    entryBits = newBits;
  };

  // ---- pruning: twins of unknown outcome, and which ops are optional ----
  const twin = twinsOf(ops);
  const unbounded = new Uint8Array(n);
  for (let i = 0; i < n; i++) unbounded[i] = ops[i]!.returnMs === Infinity ? 1 : 0;
  const isOptional = optional ?? new Uint8Array(n);

  // ---- search stack ----
  const stackOp = new Int32Array(n);
  /** 1 when the op on the stack was linearized as "did not happen" (an optional op, its state unchanged). */
  const stackSkipped = new Uint8Array(n);
  /** Set on backtracking from an optional op that took effect: retry the same node as "did not happen". */
  let skipNext = false;
  const stackState: S[] = new Array(n);
  let depth = 0;
  let longestDepth = 0;
  const longest = new Int32Array(n);

  let state = model.init();
  let setHash = 0;
  let steps = 0;
  let clockIn = CLOCK_EVERY;
  const stepsMax = limits.stepsMax;
  let outcome: SearchOutcome | "paused" = "paused";
  let node = next[head]!;

  const run = (slice: number): SearchOutcome | "paused" => {
    if (outcome !== "paused") return outcome;
    const sliceEnd = steps + slice;
    for (;;) {
      if (node === tail) {
        outcome = "linearizable"; // only calls of ops that may never have happened remain: done
        break;
      }
      if (steps >= sliceEnd) break;
      if (++steps > stepsMax) {
        outcome = "steps";
        break;
      }
      if (--clockIn === 0) {
        clockIn = CLOCK_EVERY;
        if (limits.now() > limits.deadlineMs) {
          outcome = "timeout";
          break;
        }
      }
      if (nodeIsCall[node] === 1) {
        const op = nodeOp[node]!;
        let newState: S | undefined;
        let skipped = 0;
        if (skipNext) {
          skipNext = false;
          newState = state;
          skipped = 1;
        } else {
          if (unbounded[op] === 1 && twin[op] !== -1 && (bits[twin[op]! >>> 5]! & (1 << (twin[op]! & 31))) === 0) {
            node = next[node]!; // its earlier twin first (see twinsOf)
            continue;
          }
          newState = model.step(state, ops[op]!);
          if (newState !== undefined && (unbounded[op] === 1 || isOptional[op] === 1)) {
            // An op that may not happen, and changes nothing if it does: taking it is never needed (it can
            // be left out instead). An optional op with a return then counts as "did not happen".
            const same = stateEqual === undefined ? newState === state : stateEqual(newState, state);
            if (same) {
              if (unbounded[op] === 1) {
                node = next[node]!;
                continue;
              }
              skipped = 1;
            }
          }
          if (newState === undefined) {
            if (isOptional[op] !== 1) {
              node = next[node]!;
              continue;
            }
            newState = state; // it cannot take effect here: it may still not have happened
            skipped = 1;
          }
        }
        // Is (linearized ∪ {op}, newState) already explored?
        const word = op >>> 5;
        const bit = 1 << (op & 31);
        bits[word]! |= bit;
        const newSetHash = setHash ^ zobrist[op]!;
        const hash = stateHash === undefined ? newSetHash : newSetHash ^ Math.imul(stateHash(newState), 0x85ebca6b);
        const mask = capacity - 1;
        let slot = mix(hash) & mask;
        let seen = false;
        for (;;) {
          const e1 = slots[slot]!;
          if (e1 === 0) break;
          const e = e1 - 1;
          if (entryHash[e] === hash) {
            const base = e * words;
            let same = true;
            for (let w = 0; w < words; w++) {
              if (entryBits[base + w] !== bits[w]) {
                same = false;
                break;
              }
            }
            if (same && (stateEqual === undefined ? entryState[e] === newState : stateEqual(entryState[e]!, newState))) {
              seen = true;
              break;
            }
          }
          slot = (slot + 1) & mask;
        }
        if (seen) {
          bits[word]! &= ~bit;
          if (isOptional[op] === 1 && skipped === 0) skipNext = true; // explored: still try "did not happen"
          else node = next[node]!;
          continue;
        }
        if (memoEntries >= limits.memoEntriesMax) {
          outcome = "memory";
          break;
        }
        // Record it: the empty `slot` found above is where it goes (unless the table grows first).
        if (memoEntries >= entryCapacity) {
          grow();
          const m = capacity - 1;
          slot = mix(hash) & m;
          while (slots[slot] !== 0) slot = (slot + 1) & m;
        }
        const e = memoEntries++;
        slots[slot] = e + 1;
        entryHash[e] = hash;
        entryBits.set(bits, e * words);
        entryState[e] = newState;
        // Linearize op: push, lift its call and return out of the list, restart from the head.
        stackOp[depth] = op;
        stackState[depth] = state;
        stackSkipped[depth] = skipped;
        depth++;
        state = newState;
        setHash = newSetHash;
        next[prev[node]!] = next[node]!;
        prev[next[node]!] = prev[node]!;
        const ret = returnNode[op]!;
        if (ret !== -1) {
          next[prev[ret]!] = next[ret]!;
          prev[next[ret]!] = prev[ret]!;
        }
        if (depth > longestDepth) {
          longestDepth = depth;
          longest.set(stackOp.subarray(0, depth));
        }
        node = next[head]!;
      } else {
        // A return whose call is not linearized: this prefix cannot be extended. Backtrack.
        if (depth === 0) {
          outcome = "not-linearizable";
          break;
        }
        depth--;
        const op = stackOp[depth]!;
        state = stackState[depth]!;
        stackState[depth] = undefined as S; // let the state be collected
        bits[op >>> 5]! &= ~(1 << (op & 31));
        setHash ^= zobrist[op]!;
        const call = callNode[op]!;
        const ret = returnNode[op]!;
        if (ret !== -1) {
          next[prev[ret]!] = ret;
          prev[next[ret]!] = ret;
        }
        next[prev[call]!] = call;
        prev[next[call]!] = call;
        if (isOptional[op] === 1 && stackSkipped[depth] === 0) {
          skipNext = true; // it took effect here and that failed: try "it did not happen" at the same point
          node = call;
        } else {
          node = next[call]!;
        }
      }
    }
    return outcome;
  };
  return {
    run,
    result: () => ({
      outcome: outcome === "paused" ? "steps" : outcome,
      steps,
      memoEntries,
      longest: Array.from(longest.subarray(0, longestDepth)),
    }),
    memoBytes: () => capacity * 4 + entryCapacity * (words * 4 + 4) + memoEntries * 8,
  };
}

/** Spreads hash bits before masking (murmur3 finalizer). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
