import { HistoryParseError, type Operation } from "../history/types.ts";
import { explainViolation, type Violation } from "./explain.ts";
import { models, type Model } from "./models.ts";
import { searchLinearization, type SearchLimits } from "./search.ts";

export type LinearizabilityVerdict = "linearizable" | "not-linearizable" | "unknown";

export interface LinearizabilityOptions {
  /** Wall-clock budget for the whole check; past it the verdict is "unknown". Default 10 000. */
  timeoutMs?: number;
  /** Budget of search steps (model calls + backtracks) over all partitions. Default: unbounded. */
  stepsMax?: number;
  /** Memory budget for the memo of explored (linearized set, state) pairs, per partition. Default 256 MiB. */
  memoBytesMax?: number;
  /** Compute the explanation of a violation (default true); its shrinking has its own budget. */
  explain?: boolean;
  /** Budget for shrinking the explanation to a small set of operations. Default min(2000, timeoutMs). */
  explainTimeoutMs?: number;
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
 * (a failed cas); a read whose outcome is unknown constrains nothing (dropped). Throws a HistoryParseError
 * naming the line of an operation the model cannot read.
 */
export function prepareOperations(model: Model<any>, operations: readonly Operation[]): Operation[] {
  const kept: Operation[] = [];
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
    kept.push(op);
  }
  return kept;
}

const MEMO_BYTES_DEFAULT = 256 * 1024 * 1024;

/** Checks a history of operations against a model, one partition (e.g. key) at a time. */
export function checkLinearizability(
  operations: readonly Operation[],
  modelOrName: string | Model<any>,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  const now = options.now ?? (() => performance.now());
  const startMs = now();
  const timeoutMs = options.timeoutMs ?? 10_000;
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
  let stepsLeft = options.stepsMax ?? Infinity;
  for (const part of parts) {
    const words = (part.ops.length + 31) >>> 5;
    const limits: SearchLimits = {
      deadlineMs: startMs + timeoutMs,
      stepsMax: stepsLeft,
      memoEntriesMax: Math.max(1024, Math.floor((options.memoBytesMax ?? MEMO_BYTES_DEFAULT) / (words * 4 + 24))),
      now,
    };
    const found = searchLinearization(model, part.ops, limits);
    result.steps += found.steps;
    stepsLeft -= found.steps;
    if (found.outcome === "linearizable") {
      result.partitionsChecked++;
      continue;
    }
    if (found.outcome === "not-linearizable") {
      result.partitionsChecked++;
      result.verdict = "not-linearizable";
      delete result.unknown;
      if (options.explain !== false) {
        const explainMs = options.explainTimeoutMs ?? Math.min(2000, timeoutMs);
        result.violation = explainViolation(model, part.ops, found, part.key, { deadlineMs: now() + explainMs, now });
      }
      break;
    }
    // A budget ran out for this partition: keep looking at the others for a definite violation, unless
    // the time is gone.
    result.verdict = "unknown";
    const where = part.key === undefined ? "" : ` on key ${JSON.stringify(part.key)}`;
    const what =
      found.outcome === "timeout"
        ? `the time budget (${timeoutMs} ms) ran out`
        : found.outcome === "steps"
          ? `the step budget (${options.stepsMax} steps) ran out`
          : `the memory budget (${found.memoEntries} explored states) ran out`;
    result.unknown ??= {
      budget: found.outcome,
      message: `${what} while searching ${part.ops.length} operations${where}`,
      ...(part.key === undefined ? {} : { key: part.key }),
    };
    if (found.outcome === "timeout" || stepsLeft <= 0) break;
  }
  result.wallMs = now() - startMs;
  return result;
}
