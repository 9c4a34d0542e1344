import type { Operation } from "../../sim/history.ts";
import { HistoryParseError, type Value } from "../history/types.ts";
import { explainViolation, type Violation } from "./explain.ts";
import { models, type Model } from "./models.ts";
import { createSearch, type SearchLimits } from "./search.ts";
import { wallNow } from "../../sim/wall-clock.ts";

export type LinearizabilityVerdict = "linearizable" | "not-linearizable" | "unknown";

export interface LinearizabilityOptions {
  /** Wall-clock budget for the whole check, in real ms; past it the verdict is "unknown". Default 10 000. */
  wallMs?: number;
  /** Budget of search steps (model calls + backtracks) over all partitions. Default: unbounded. */
  stepsMax?: number;
  /** Memory budget for the memo of explored (linearized set, state) pairs, per partition. Default 256 MiB. */
  memoBytesMax?: number;
  /** Compute the explanation of a violation (default true); its shrinking has its own budget. */
  explain?: boolean;
  /** Wall-clock budget for shrinking the explanation to a small set of operations. Default min(2000, wallMs). */
  explainWallMs?: number;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

export interface LinearizabilityResult {
  verdict: LinearizabilityVerdict;
  model: string;
  /** Operations checked (after dropping failed ones and reads of unknown outcome). */
  operations: number;
  partitions: number;
  /** Partitions fully checked. */
  partitionsChecked: number;
  steps: number;
  wallMs: number;
  /** Why the verdict is unknown: which budget ran out, and where. */
  unknown?: { budget: "timeout" | "steps" | "memory"; key?: string; message: string };
  /** Set when the verdict is "not-linearizable". */
  violation?: Violation;
}

export function resolveModel(model: string | Model<any>): Model<any> {
  if (typeof model !== "string") return model;
  const found = models[model];
  if (!found) throw new Error(`unknown model "${model}": expected one of ${Object.keys(models).join(", ")}`);
  return found;
}

/**
 * Applies Jepsen semantics before the search: a `fail` did not happen (dropped) unless the model keeps it
 * (a failed cas); a read whose outcome is unknown constrains nothing (dropped); any other unknown outcome
 * has an open end. Throws a HistoryParseError naming the line of an operation the model cannot read.
 */
export function prepareOperations(model: Model<any>, operations: readonly Operation<Value>[]): Operation<Value>[] {
  const kept: Operation<Value>[] = [];
  for (const op of operations) {
    if (!model.fs.includes(op.f)) {
      throw new HistoryParseError(op.line, `f ${model.fs.join(", ")} (model ${model.name})`, JSON.stringify(op.f));
    }
    const problem = model.validate?.(op);
    if (problem !== undefined) {
      throw new HistoryParseError(op.line, problem, JSON.stringify({ f: op.f, key: op.key, value: op.value }));
    }
    if (op.status === "fail" && !model.keepFailed?.(op)) continue;
    if (op.status === "info" && model.isReadOnly?.(op)) continue;
    // An unknown outcome may take effect at any time after its invoke, also after the client gave up.
    kept.push(op.status === "info" && op.returnMs !== Infinity ? { ...op, returnMs: Infinity } : op);
  }
  return kept;
}

const MEMO_BYTES_DEFAULT = 256 * 1024 * 1024;
/** Ten seconds decide every history the exercises produce with room to spare; a harder one is "unknown". */
const WALL_MS_DEFAULT = 10_000;
/** A violation is shown at once; shrinking it to a smaller core may take at most this long by default. */
const EXPLAIN_WALL_MS_MAX = 2000;
const SLICE_STEPS = 10_000;
const SLICE_STEPS_MAX = 100_000;


/** Checks a history of operations against a model, one partition (e.g. key) at a time. */
export function checkLinearizability(
  operations: readonly Operation<Value>[],
  modelOrName: string | Model<any>,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  const now = options.now ?? wallNow;
  const startMs = now();
  const wallMs = options.wallMs ?? WALL_MS_DEFAULT;
  const model = resolveModel(modelOrName);
  const ops = prepareOperations(model, operations);
  const parts = model.partition ? model.partition(ops) : [{ ops }];
  const result: LinearizabilityResult = {
    verdict: "linearizable",
    model: model.name,
    operations: ops.length,
    partitions: parts.length,
    partitionsChecked: 0,
    steps: 0,
    wallMs: 0,
  };
  // Partitions are searched round-robin, a slice of steps each: a partition that fails fast ends the check
  // even when another one would take long (Porcupine gets the same effect from goroutines). Slices are
  // counted in steps, not time, so the verdict and the failing key are deterministic.
  const stepsMax = options.stepsMax ?? Infinity;
  const memoBytesMax = options.memoBytesMax ?? MEMO_BYTES_DEFAULT;
  const active = parts.map((part) => {
    const words = (part.ops.length + 31) >>> 5;
    const limits: SearchLimits = {
      deadlineMs: startMs + wallMs,
      stepsMax: Infinity,
      memoEntriesMax: Math.max(1024, Math.floor(memoBytesMax / (words * 4 + 24))),
      now,
    };
    return { part, search: createSearch(model, part.ops, limits), stepsSeen: 0 };
  });
  const giveUp = (budget: "timeout" | "steps" | "memory", key: string | undefined, opsCount: number): void => {
    result.verdict = "unknown";
    const where = key === undefined ? "" : ` on key ${JSON.stringify(key)}`;
    const what =
      budget === "timeout"
        ? `the time budget (${wallMs} ms) ran out`
        : budget === "steps"
          ? `the step budget (${stepsMax} steps) ran out`
          : `the memory budget (${Math.round(memoBytesMax / 1048576)} MiB of explored states) ran out`;
    result.unknown ??= {
      budget,
      message: `${what} while searching ${opsCount} operations${where}`,
      ...(key === undefined ? {} : { key }),
    };
  };
  let slice = SLICE_STEPS;
  let stop = false;
  while (active.length > 0 && !stop) {
    let memoBytes = 0;
    for (let a = 0; a < active.length && !stop; a++) {
      const { part, search } = active[a]!;
      const outcome = search.run(Math.min(slice, Math.max(0, stepsMax - result.steps)));
      const found = search.result();
      result.steps += found.steps - active[a]!.stepsSeen;
      active[a]!.stepsSeen = found.steps;
      if (outcome === "paused") {
        memoBytes += search.memoBytes();
        if (result.steps >= stepsMax) {
          giveUp("steps", part.key, part.ops.length);
          stop = true;
        }
        continue;
      }
      active.splice(a--, 1); // finished: its memo can be collected
      if (outcome === "linearizable") {
        result.partitionsChecked++;
      } else if (outcome === "not-linearizable") {
        result.partitionsChecked++;
        result.verdict = "not-linearizable";
        delete result.unknown;
        if (options.explain !== false) {
          const explainMs = options.explainWallMs ?? Math.min(EXPLAIN_WALL_MS_MAX, wallMs);
          result.violation = explainViolation(model, part.ops, found, part.key, { deadlineMs: now() + explainMs, now });
        }
        stop = true;
      } else {
        giveUp(outcome, part.key, part.ops.length);
        if (outcome === "timeout") stop = true; // the others would time out too
      }
    }
    if (!stop && memoBytes > memoBytesMax) {
      giveUp("memory", undefined, ops.length);
      stop = true;
    }
    // Grow the slice so that many partitions do not pay the switching cost on long searches.
    slice = Math.min(slice * 2, SLICE_STEPS_MAX);
  }
  result.wallMs = now() - startMs;
  return result;
}
