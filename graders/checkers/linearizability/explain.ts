import type { Operation } from "../../sim/history.ts";
import type { Value } from "../history/types.ts";
import type { Model } from "./models.ts";
import { searchLinearization, type SearchLimits, type SearchResult } from "./search.ts";

/** One operation as shown in an explanation. `returnMs` is null when it never (knowingly) completed. */
export interface TimelineOp extends Omit<Operation<Value>, "returnMs"> {
  returnMs: number | null;
  description: string;
}

export interface StuckOp extends TimelineOp {
  /** Why it could not come next after the longest partial linearization. */
  reason: string;
}

/** Why a history (one partition of it) is not linearizable, as data; `renderViolation` prints it. */
export interface Violation {
  model: string;
  /** The partition (key) that cannot be linearized, when the model partitions. */
  key?: string;
  message: string;
  /**
   * The smallest set of operations found that cannot be ordered, in invoke order: every other operation of
   * the partition relaxed (allowed to take effect at any time after its invoke, or not at all) still leaves
   * no valid order.
   */
  core: TimelineOp[];
  /** True when no single operation of `core` can be relaxed any more (every shrinking trial was conclusive). */
  coreMinimal: boolean;
  /** Searches run to shrink the core, and their steps in all (bounded by a multiple of the verdict's steps). */
  shrinkTrials: number;
  shrinkSteps: number;
  /** Operations in the partition (after dropping failed ones). */
  partitionOps: number;
  /** The longest partial linearization the search reached (its last PREFIX_MAX operations), in order. */
  prefix: TimelineOp[];
  prefixLength: number;
  stateAfterPrefix: string;
  /** Operations that could have come next after that prefix, and why each could not. */
  stuck: StuckOp[];
}

const PREFIX_MAX = 12;
const STUCK_MAX = 12;
/** The shrinking's step budget: this many steps per step of the verdict's search, plus a base that pays for
 * the few dozen small trials an easy history needs. A trial costs about as much as the verdict (relaxed
 * operations keep their intervals), and a core needs O(size × log(ops)) trials. */
const SHRINK_STEPS_PER_VERDICT_STEP = 20;
const SHRINK_STEPS_BASE = 20_000;
const TRIAL_MEMO_MAX = 500_000;

function toTimelineOp(model: Model<any>, op: Operation<Value>): TimelineOp {
  const t: TimelineOp = {
    id: op.id,
    process: op.process,
    f: op.f,
    value: op.value,
    output: op.output,
    status: op.status,
    invokeMs: op.invokeMs,
    returnMs: op.returnMs === Infinity ? null : op.returnMs,
    line: op.line,
    description: model.describeOp(op),
  };
  if (op.key !== undefined) t.key = op.key;
  return t;
}

/**
 * Builds the explanation of a failed search: the longest partial linearization, the operations that
 * could not follow it, and a small core found by relaxing operations one group at a time (delta debugging)
 * while the partition stays non-linearizable.
 */
export function explainViolation<S>(
  model: Model<S>,
  ops: readonly Operation<Value>[],
  found: SearchResult,
  key: string | undefined,
  budget: { deadlineMs: number; now: () => number },
): Violation {
  // Replay the longest prefix to learn the state after it.
  let state = model.init();
  const placed = new Uint8Array(ops.length);
  for (const i of found.longest) {
    const next = model.step(state, ops[i]!);
    if (next === undefined) throw new Error("assertion: the longest linearization replays under the model");
    state = next;
    placed[i] = 1;
  }
  // The operations that could come next: not placed, and invoked before the earliest pending return.
  let earliest = -1;
  for (let i = 0; i < ops.length; i++) {
    if (placed[i] || ops[i]!.returnMs === Infinity) continue;
    if (earliest === -1 || ops[i]!.returnMs < ops[earliest]!.returnMs) earliest = i;
  }
  const stuck: StuckOp[] = [];
  const stuckIndices: number[] = [];
  if (earliest !== -1) {
    const horizon = ops[earliest]!.returnMs;
    for (let i = 0; i < ops.length && stuck.length < STUCK_MAX; i++) {
      const op = ops[i]!;
      if (placed[i] || op.invokeMs > horizon) continue;
      const accepted = model.step(state, op) !== undefined;
      let reason = accepted
        ? "possible here, but every order continuing with it fails later"
        : `impossible here: the state is ${model.describeState(state)}`;
      if (i === earliest) reason += "; it must come before it returns, so the search backtracks";
      stuck.push({ ...toTimelineOp(model, op), reason });
      stuckIndices.push(i);
    }
  }

  const stepsMax = SHRINK_STEPS_PER_VERDICT_STEP * found.steps + SHRINK_STEPS_BASE;
  const { core, minimal, trials, steps } = shrinkCore(model, ops, stepsMax, budget);
  const where = key === undefined ? "" : ` on key ${JSON.stringify(key)}`;
  const relaxed = ops.length - core.length;
  const message =
    `no order of these ${core.length} operations${where} agrees with both real time and the ${model.name} model` +
    (relaxed === 1
      ? " (even letting the other operation take effect at any time between its invoke and its return, or not at all)"
      : relaxed > 1
        ? ` (even letting each of the other ${relaxed} take effect at any time between its invoke and its return, or not at all)`
        : "");
  const violation: Violation = {
    model: model.name,
    message,
    core: core.map((i) => toTimelineOp(model, ops[i]!)),
    coreMinimal: minimal,
    shrinkTrials: trials,
    shrinkSteps: steps,
    partitionOps: ops.length,
    prefix: found.longest.slice(-PREFIX_MAX).map((i) => toTimelineOp(model, ops[i]!)),
    prefixLength: found.longest.length,
    stateAfterPrefix: model.describeState(state),
    stuck,
  };
  if (key !== undefined) violation.key = key;
  return violation;
}

/**
 * Searches `ops` with only the operations at `strict` (indices) kept definite and every other one relaxed:
 * a read-like one (a read, a failed cas) dropped, one with an effect made optional (between its invoke and
 * its return, or not at all); operations of unknown outcome stay as they are. "not-linearizable" proves
 * that the strict operations cannot be ordered whatever the others did (see shrinkCore).
 */
export function searchRelaxed<S>(
  model: Model<S>,
  ops: readonly Operation<Value>[],
  strict: readonly number[],
  limits: SearchLimits,
): SearchResult {
  const n = ops.length;
  const isStrict = new Uint8Array(n);
  // An op invoked after every strict op has returned can be placed last, or not at all: leaving it out
  // changes nothing and keeps the search small.
  let horizon = -Infinity;
  for (const i of strict) {
    isStrict[i] = 1;
    if (ops[i]!.returnMs > horizon) horizon = ops[i]!.returnMs;
  }
  const trial: Operation<Value>[] = [];
  const optional: number[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    if (isStrict[i]) trial.push(op);
    else if (op.status !== "fail" && model.isReadOnly?.(op) !== true && op.invokeMs <= horizon) {
      if (op.status !== "info") optional.push(trial.length);
      trial.push(op);
    }
  }
  const flags = new Uint8Array(trial.length);
  for (const t of optional) flags[t] = 1;
  return searchLinearization(model, trial, limits, flags);
}

/**
 * Shrinking by relaxation. A "strict" operation is a definite one (ok, or a failed cas). Relaxing one
 * weakens the history: a read-like one is dropped, one with an effect becomes optional (it takes effect
 * between its invoke and its return, or not at all). Any order of the full history is an order of a relaxed
 * one, so a relaxed history that is still not linearizable proves the remaining strict operations cannot be
 * ordered whatever the others did. Relaxing keeps each operation's own interval (rather than letting it act
 * at any time after its invoke), which keeps every trial's search about as narrow as the verdict's.
 *
 * More strict operations only constrain more, so "still fails" is monotone in the strict set; the search
 * for a core uses that: first the shortest prefix (in invoke order) of strict operations that fails, then
 * the latest start within it, each by binary search, then delta debugging inside that window, ending with
 * single removals until none succeeds (1-minimal). Every trial is a search; all of them together may take
 * at most `stepsMax` steps (a multiple of the verdict's), so the explanation costs a bounded multiple of the
 * verdict. A trial cut short by the budget counts as "does not fail" (the operations stay strict) and the
 * core is then reported as not minimal. Returns indices into `ops`, in invoke order.
 */
function shrinkCore<S>(
  model: Model<S>,
  ops: readonly Operation<Value>[],
  stepsMax: number,
  budget: { deadlineMs: number; now: () => number },
): { core: number[]; minimal: boolean; trials: number; steps: number } {
  const n = ops.length;
  // Candidates for the core, in invoke order (binary searches over windows of it).
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (ops[i]!.status !== "info") candidates.push(i);
  candidates.sort((a, b) => ops[a]!.invokeMs - ops[b]!.invokeMs || a - b);

  let steps = 0;
  let trials = 0;
  let inconclusive = false;
  const tried = new Map<string, boolean>();
  /** Whether the history with exactly `chosen` strict (the other candidates relaxed) is not linearizable. */
  const fails = (chosen: readonly number[]): boolean => {
    const memoKey = [...chosen].sort((a, b) => a - b).join(",");
    const known = tried.get(memoKey);
    if (known !== undefined) return known;
    const left = stepsMax - steps;
    if (left <= 0 || budget.now() > budget.deadlineMs) {
      inconclusive = true;
      return false;
    }
    trials++;
    const result = searchRelaxed(model, ops, chosen, { deadlineMs: budget.deadlineMs, stepsMax: left, memoEntriesMax: TRIAL_MEMO_MAX, now: budget.now });
    steps += result.steps + n; // setting a trial up costs about a step per op
    if (result.outcome !== "linearizable" && result.outcome !== "not-linearizable") {
      inconclusive = true;
      return false; // not cached: a bigger budget might decide it
    }
    const failed = result.outcome === "not-linearizable";
    tried.set(memoKey, failed);
    return failed;
  };

  // The whole history fails (the verdict): find the shortest failing prefix of candidates, then its latest start.
  let hi = candidates.length; // candidates[0, hi) fails
  {
    let lo = 0; // candidates[0, lo) is known (or assumed) not to fail
    while (lo + 1 < hi) {
      const mid = (lo + hi) >>> 1;
      if (fails(candidates.slice(0, mid))) hi = mid;
      else lo = mid;
    }
  }
  let from = 0; // candidates[from, hi) fails
  {
    let top = hi; // candidates[top, hi) does not fail (empty: nothing strict)
    while (from + 1 < top) {
      const mid = (from + top) >>> 1;
      if (fails(candidates.slice(mid, hi))) from = mid;
      else top = mid;
    }
  }
  // Delta debugging inside the window: remove chunks of halving size while the rest still fails.
  let core = candidates.slice(from, hi);
  let chunk = Math.max(1, Math.ceil(core.length / 2));
  for (;;) {
    let removed = false;
    for (let start = 0; start < core.length && core.length > 1; ) {
      const rest = core.slice(0, start).concat(core.slice(start + chunk));
      if (rest.length > 0 && fails(rest)) {
        core = rest;
        removed = true;
      } else start += chunk;
    }
    if (chunk > 1) chunk = Math.max(1, Math.ceil(chunk / 2));
    else if (!removed) break; // a full pass of single removals changed nothing: 1-minimal
  }
  core.sort((a, b) => ops[a]!.invokeMs - ops[b]!.invokeMs || a - b);
  return { core, minimal: !inconclusive, trials, steps };
}

function collect(flags: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(i);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Text rendering

const TIMELINE_COLUMNS = 40;
const ROWS_MAX = 30;

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/**
 * An ASCII timeline: one row per operation, time flowing right on an ordinal scale (the ordering of
 * invokes and returns is what matters, not the gaps). `[` invoke, `]` return, `>` never completed.
 */
export function renderTimeline(ops: readonly TimelineOp[], rowsMax = ROWS_MAX): string[] {
  if (ops.length === 0) return [];
  const shown = ops.slice(0, rowsMax);
  const times = new Set<number>();
  for (const op of shown) {
    times.add(op.invokeMs);
    if (op.returnMs !== null) times.add(op.returnMs);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const span = Math.max(1, sorted.length - 1);
  const columns = Math.min(TIMELINE_COLUMNS, Math.max(8, sorted.length * 3));
  const rank = new Map(sorted.map((t, i) => [t, i] as const));
  const col = (t: number): number => Math.round((rank.get(t)! / span) * (columns - 1));
  const processWidth = Math.min(10, Math.max(7, ...shown.map((op) => String(op.process).length + 1)));
  const lines = [`  ${"process".padEnd(processWidth)} ${"time →".padEnd(columns + 1)} operation`];
  for (const op of shown) {
    const a = col(op.invokeMs);
    const b = op.returnMs === null ? columns : Math.max(a + 1, col(op.returnMs));
    const cells = Array.from({ length: columns + 1 }, () => " ");
    for (let c = a; c <= Math.min(b, columns); c++) cells[c] = "-";
    cells[a] = "[";
    if (op.returnMs === null) cells[columns] = ">";
    else cells[Math.min(b, columns)] = "]";
    const lineRange = `line ${op.line}`;
    const status = op.status === "info" ? " (unknown outcome)" : op.status === "fail" ? " (failed)" : "";
    // The model's description may name the outcome already ("cas 1 → 2 (failed)"): say it once, here.
    const description = status ? op.description.replace(/ \((?:\?|failed)\)$/, "") : op.description;
    lines.push(
      `  ${clip(`p${op.process}`, processWidth).padEnd(processWidth)} ${cells.join("")} ${clip(description, 60)}${status}  ${lineRange}`,
    );
  }
  if (ops.length > shown.length) lines.push(`  … ${ops.length - shown.length} more operations`);
  return lines;
}

/** The violation as text for a terminal: the core timeline, then the search's view. Capped in size. */
export function renderViolation(violation: Violation): string {
  const where = violation.key === undefined ? "" : ` (key ${JSON.stringify(violation.key)})`;
  const lines = [`Not linearizable${where}: ${violation.message}.`, ""];
  lines.push(...renderTimeline(violation.core));
  if (!violation.coreMinimal) lines.push("  (shrinking stopped at its budget: a smaller set may exist)");
  lines.push(
    "",
    `Longest partial linearization: ${violation.prefixLength} of ${violation.partitionOps} operations` +
      (violation.prefixLength > violation.prefix.length ? ` (last ${violation.prefix.length} shown)` : "") +
      `, state after it ${violation.stateAfterPrefix}.`,
  );
  for (const op of violation.prefix) lines.push(`  p${op.process}  ${clip(op.description, 70)}  line ${op.line}`);
  if (violation.stuck.length > 0) {
    lines.push("", "None of these could come next:");
    for (const op of violation.stuck) {
      lines.push(`  p${op.process}  ${clip(op.description, 60)}  line ${op.line}: ${op.reason}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
