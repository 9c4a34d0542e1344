import type { Operation } from "../../sim/history.ts";
import type { Value } from "../history/types.ts";
import type { Model } from "./models.ts";
import { searchLinearization, type SearchResult } from "./search.ts";

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
/** Steps allowed per shrinking trial, at least and at most: relaxed (info) operations can make a trial's
 * search far wider than the original one, and a trial that runs out only means "keep that op strict". */
const TRIAL_STEPS_MIN = 20_000;
const TRIAL_STEPS_MAX = 200_000;
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

  // First guess for the core: the longest prefix and the ops stuck after it (often most of the partition
  // is irrelevant); shrinking starts from there when that guess is confirmed.
  const guess = new Uint8Array(ops.length);
  for (const i of found.longest) guess[i] = 1;
  for (const i of stuckIndices) guess[i] = 1;
  const trialStepsMax = Math.min(TRIAL_STEPS_MAX, Math.max(TRIAL_STEPS_MIN, 4 * found.steps));
  const { core, minimal } = shrinkCore(model, ops, guess, trialStepsMax, budget);
  const where = key === undefined ? "" : ` on key ${JSON.stringify(key)}`;
  const relaxed = ops.length - core.length;
  const message =
    `no order of these ${core.length} operations${where} agrees with both real time and the ${model.name} model` +
    (relaxed === 1
      ? " (even letting the other operation take effect at any time after its invoke, or not at all)"
      : relaxed > 1
        ? ` (even letting the other ${relaxed} take effect at any time after their invoke, or not at all)`
        : "");
  const violation: Violation = {
    model: model.name,
    message,
    core: core.map((i) => toTimelineOp(model, ops[i]!)),
    coreMinimal: minimal,
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
 * Delta debugging over "strict" operations (definite ones: ok, or a failed cas). Relaxing an operation
 * weakens the history: a read-like one is dropped, one with an effect becomes `info` (any time after its
 * invoke, or never). A relaxed history that is still not linearizable proves the remaining strict
 * operations alone cannot be ordered. Returns indices into `ops`, in invoke order.
 */
function shrinkCore<S>(
  model: Model<S>,
  ops: readonly Operation<Value>[],
  guess: Uint8Array,
  trialStepsMax: number,
  budget: { deadlineMs: number; now: () => number },
): { core: number[]; minimal: boolean } {
  const n = ops.length;
  const strict = new Uint8Array(n);
  for (let i = 0; i < n; i++) strict[i] = ops[i]!.status === "info" ? 0 : 1;
  const relaxedCopy: (Operation<Value> | null)[] = ops.map((op) =>
    op.status === "fail" || model.isReadOnly?.(op) ? null : { ...op, status: "info" as const, returnMs: Infinity },
  );
  const stillFails = (): boolean => {
    // A relaxed op invoked after every strict op has returned can always be placed last, or not at all:
    // dropping it changes nothing, and it keeps the trial's search small.
    let horizon = -Infinity;
    for (let i = 0; i < n; i++) if (strict[i] && ops[i]!.returnMs > horizon) horizon = ops[i]!.returnMs;
    const trial: Operation<Value>[] = [];
    for (let i = 0; i < n; i++) {
      if (strict[i]) trial.push(ops[i]!);
      else if (relaxedCopy[i] !== null && ops[i]!.invokeMs <= horizon) trial.push(relaxedCopy[i]!);
    }
    const result = searchLinearization(model, trial, {
      deadlineMs: budget.deadlineMs,
      stepsMax: trialStepsMax,
      memoEntriesMax: TRIAL_MEMO_MAX,
      now: budget.now,
    });
    if (result.outcome !== "linearizable" && result.outcome !== "not-linearizable") inconclusive = true;
    return result.outcome === "not-linearizable";
  };
  let minimal = true;
  let inconclusive = false;
  {
    const before = strict.slice();
    for (let i = 0; i < n; i++) strict[i] &= guess[i]!;
    if (!stillFails()) strict.set(before);
  }
  let strictList = collect(strict);
  let chunk = Math.max(1, Math.ceil(strictList.length / 2));
  outer: for (;;) {
    for (let start = 0; start < strictList.length; start += chunk) {
      if (budget.now() > budget.deadlineMs) {
        minimal = false;
        break outer;
      }
      const group = strictList.slice(start, start + chunk);
      if (group.length === strictList.length && strictList.length > 1) continue; // keep at least one
      for (const i of group) strict[i] = 0;
      if (!stillFails()) for (const i of group) strict[i] = 1;
    }
    strictList = collect(strict);
    if (chunk === 1) break;
    chunk = Math.max(1, Math.ceil(chunk / 2));
  }
  return { core: strictList.sort((a, b) => ops[a]!.invokeMs - ops[b]!.invokeMs || a - b), minimal: minimal && !inconclusive };
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
