import { formatMs } from "../report/format.ts";
import { asText } from "../report/json-text.ts";
import { completedOps } from "./history-ops.ts";
import { outcomeOf } from "../sim/history.ts";
import type { CheckFn, RunData } from "../contract.ts";
import type { NodeRunData } from "../harness/node/run.ts";

/** The q-quantile (0…1) of sorted numbers, nearest-rank; 0 for an empty list. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface RunFigures {
  ops: number;
  okOps: number;
  msgsPerOp: number;
  latency: { p50: number; p99: number; max: number };
}

/** A history's ok operations' latencies, sorted: the figures and every check that reads them ask for the same history's. */
const okLatenciesByHistory = new WeakMap<NodeRunData["history"], Float64Array>();

/** The latencies (return − invoke) of the run's ok operations, ascending. Shared between callers: read-only. */
export function okLatencies(run: NodeRunData): Float64Array {
  const known = okLatenciesByHistory.get(run.history);
  if (known) return known;
  const ops = completedOps(run.history);
  const latencies = new Float64Array(ops.length);
  let ok = 0;
  for (const op of ops) if (op.status === "ok") latencies[ok++] = op.returnMs - op.invokeMs;
  const sorted = latencies.subarray(0, ok).sort();
  okLatenciesByHistory.set(run.history, sorted);
  return sorted;
}

/** Figures every run reports: operations, node-to-node messages per operation, client latency. */
export function runFigures(run: NodeRunData): RunFigures {
  const ops = completedOps(run.history);
  const latencies = okLatencies(run);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    ops: ops.length,
    okOps: latencies.length,
    msgsPerOp: ops.length ? round(run.stats.serverMessages / ops.length) : 0,
    latency: {
      p50: round(percentile(latencies, 0.5)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
  };
}

/** The run's figures, or an authoring error when it recorded no client operation to judge. */
function figuresToJudge(run: NodeRunData, check: string): RunFigures {
  const figures = runFigures(run);
  if (figures.ops === 0) {
    throw new Error(`check "${check}" has no client operations to judge: this run recorded none (its workload sends no requests), so the exercise must name another check`);
  }
  return figures;
}

/** Checks every run has data for, whatever its harness: they read only what every run carries. */
export const runChecks: Record<string, CheckFn<RunData>> = {
  /** No handler, timer or start() threw, and no message went to an unknown address. */
  "no-errors"(run) {
    if (run.errors.length === 0) return { ok: true, message: "no node threw or misaddressed a message" };
    const e = run.errors[0]!;
    // The text is the node's own: it may be any JSON value, not the string it should be.
    return {
      ok: false,
      message: `${asText(e.node)} at ${formatMs(e.timeMs)}: ${asText(e.text)}${run.errors.length > 1 ? ` (and ${run.errors.length - 1} more errors)` : ""}`,
    };
  },
};

/** Checks of a node run's client operations and messages, whatever its workload. */
export const clientChecks: Record<string, CheckFn<NodeRunData>> = {
  /** Node-to-node messages per client operation. Param: max. */
  "msgs-per-op"(run, params) {
    const f = figuresToJudge(run, "msgs-per-op");
    const metrics = { msgsPerOp: f.msgsPerOp };
    if (params.max !== undefined && f.msgsPerOp > params.max) {
      return { ok: false, message: `${f.msgsPerOp} node-to-node messages per operation, over the budget of ${params.max} (${run.stats.serverMessages} messages for ${f.ops} operations). ${wasteHint(run)}`, metrics };
    }
    return { ok: true, message: `${f.msgsPerOp} messages per operation`, metrics };
  },
  /**
   * Share of operations that completed ok. Params: min (0…1); exceptWhileDown (1: leave out operations on a
   * node that was crashed at some time while they waited, which no code could have answered).
   */
  availability(run, params) {
    figuresToJudge(run, "availability");
    const exceptWhileDown = params.exceptWhileDown === 1;
    const down = exceptWhileDown ? downWindows(run) : new Map<string, Array<[number, number]>>();
    const ops = completedOps(run.history);
    // With no node down at any time (most runs) every operation is judged: no test, no copy of the list.
    const judged = down.size === 0 ? ops : ops.filter((op) => !(down.get(op.node) ?? []).some(([fromMs, toMs]) => op.invokeMs <= toMs && fromMs <= op.returnMs));
    let okOps = 0;
    for (const op of judged) if (op.status === "ok") okOps++;
    const ratio = judged.length ? okOps / judged.length : 1;
    const min = params.min ?? 1;
    const metrics = { okRatio: Math.round(ratio * 1000) / 1000 };
    const which = exceptWhileDown ? " on nodes that were up" : "";
    if (ratio < min) {
      const failed = judged.find((op) => op.status !== "ok");
      return {
        ok: false,
        message: `${okOps} of ${judged.length} operations${which} completed ok (${(ratio * 100).toFixed(1)}%, need ${(min * 100).toFixed(1)}%).${failed ? ` First failure: ${failed.process} ${failed.f} on ${failed.node} at ${formatMs(failed.invokeMs)} ended ${outcomeOf(failed)}${failed.code !== undefined ? ` (code ${failed.code})` : ""}.` : ""}`,
        metrics,
      };
    }
    return { ok: true, message: `${okOps} of ${judged.length} operations${which} ok`, metrics };
  },
  /** Client-observed latency of ok operations. Params: p50Max, p99Max, maxMax (ms). Fails when no operation was ok. */
  latency(run, params) {
    const { latency, ops, okOps } = figuresToJudge(run, "latency");
    const metrics = { latencyP50Ms: latency.p50, latencyP99Ms: latency.p99, latencyMaxMs: latency.max };
    // Without an ok operation every percentile reads 0 ms: that is no evidence of speed.
    if (okOps === 0) return { ok: false, message: `none of ${ops} operations completed ok, so there is no latency to judge: answer the requests first`, metrics };
    const over: string[] = [];
    if (params.p50Max !== undefined && latency.p50 > params.p50Max) over.push(`p50 ${latency.p50} ms > ${params.p50Max} ms`);
    if (params.p99Max !== undefined && latency.p99 > params.p99Max) over.push(`p99 ${latency.p99} ms > ${params.p99Max} ms`);
    if (params.maxMax !== undefined && latency.max > params.maxMax) over.push(`max ${latency.max} ms > ${params.maxMax} ms`);
    if (over.length) return { ok: false, message: `operations are too slow: ${over.join(", ")}`, metrics };
    return { ok: true, message: `latency p50 ${latency.p50} ms, p99 ${latency.p99} ms`, metrics };
  },
};

/** The generic checks a node exercise may name: the run's and its clients'. */
export const genericChecks: Record<string, CheckFn<NodeRunData>> = { ...runChecks, ...clientChecks };

/**
 * Messages between nodes sent in a step where the sender had just received a message (a handler relaying or
 * replying) and those sent from a timer, over the part of the trace that was kept.
 */
export function sendTriggers(run: NodeRunData): { onReceipt: number; onTimer: number; total: number } {
  const nodeSet = new Set(run.knobs.nodeIds);
  const received = new Set<string>();
  for (const e of run.trace) if (e.recvMs !== undefined && nodeSet.has(e.dest)) received.add(`${e.dest}@${e.recvMs}`);
  let onReceipt = 0, total = 0;
  for (const e of run.trace) {
    if (!nodeSet.has(e.src) || !nodeSet.has(e.dest)) continue;
    total++;
    if (received.has(`${e.src}@${e.sendMs}`)) onReceipt++;
  }
  return { onReceipt, onTimer: total - onReceipt, total };
}

/** Where too many messages come from, judged from when they were sent: on a timer, or on receipt. */
function wasteHint(run: NodeRunData): string {
  const { onTimer, total } = sendTriggers(run);
  const afterMs = run.scenario.durationMs;
  const quiet = run.trace.filter((e) => e.sendMs >= afterMs && run.knobs.nodeIds.includes(e.src) && run.knobs.nodeIds.includes(e.dest)).length;
  if (total > 0 && onTimer / total > 0.5) {
    const idle = quiet > 0 && !run.stats.traceTruncated ? ` (${quiet} of them after the clients stopped, when there was nothing new to tell)` : "";
    return `${Math.round((onTimer / total) * 100)}% of them left on a timer${idle}: a timer that sends everything to everyone costs messages whether or not there is news. Tick less often, and on a tick send a peer only what it has not acknowledged: nothing, when that is nothing.`;
  }
  return `Most were sent as soon as something arrived: every message that makes its receiver send several more multiplies. Send each node each value once (remember what each peer has), and let one message carry many values and one acknowledgement confirm them all.`;
}

/**
 * When each node was down: from a crash to its restart (or the end of the safety phase, when all restart).
 * A targeted crash strikes at a moment of the node's own making, after it was armed: from arming to the end
 * of the safety phase is the window it can fall in.
 */
function downWindows(run: NodeRunData): Map<string, Array<[number, number]>> {
  const windows = new Map<string, Array<[number, number]>>();
  const add = (node: string, fromMs: number, toMs: number) => {
    const list = windows.get(node) ?? [];
    list.push([fromMs, toMs]);
    windows.set(node, list);
  };
  const downSince = new Map<string, number>();
  const endMs = run.scenario.durationMs;
  for (const f of run.knobs.faults) {
    if (f.kind === "crash") downSince.set(f.node, f.atMs);
    else if (f.kind === "restart" && downSince.has(f.node)) {
      add(f.node, downSince.get(f.node)!, f.atMs);
      downSince.delete(f.node);
    } else if (f.kind === "crash-point") add(f.node, f.atMs, endMs);
  }
  for (const [node, fromMs] of downSince) add(node, fromMs, endMs);
  return windows;
}
