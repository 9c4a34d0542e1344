/**
 * Recovery from crashes: while a node is down, the nodes still up must go on serving. A design with a fixed
 * leader is safe but stops when that leader crashes; this check tells the two apart, per crash.
 */
import { formatMs } from "../report/format.ts";
import { completedOps } from "./history-ops.ts";
import type { ClientOperation } from "../sim/history.ts";
import type { NodeCheckFn } from "../harness/node/run.ts";

export interface CrashWindow {
  node: string;
  crashMs: number;
  /** When it came back: its restart, or the end of the safety phase (everything restarts at the heal). */
  restartMs: number;
}

/** The crash windows of a run's fault schedule, in time order. */
export function crashWindows(faults: ReadonlyArray<{ atMs: number; kind: string; node?: string }>, endMs: number): CrashWindow[] {
  const open = new Map<string, number>();
  const windows: CrashWindow[] = [];
  for (const f of faults) {
    if (f.kind === "crash" && f.node) open.set(f.node, f.atMs);
    else if (f.kind === "restart" && f.node && open.has(f.node)) {
      windows.push({ node: f.node, crashMs: open.get(f.node)!, restartMs: f.atMs });
      open.delete(f.node);
    }
  }
  for (const [node, crashMs] of open) windows.push({ node, crashMs, restartMs: endMs });
  return windows.sort((a, b) => a.crashMs - b.crashMs);
}

/** Definite errors about the data (key missing or present, precondition failed) are answers too. */
const answered = (op: ClientOperation) => op.status === "ok" || (op.status === "fail" && (op.code === 20 || op.code === 21 || op.code === 22));

/**
 * For every crash that lasts at least `withinMs` (default 600) + `observeMs` (default 500): some operation
 * sent to another node was answered between `withinMs` after the crash and the restart. Shorter crashes are
 * not judged: clients still waiting on the dead node, or on a request it was handling, need time to move on.
 */
export const serveDuringCrashes: NodeCheckFn = (run, params) => {
  const withinMs = params.withinMs ?? 600;
  const observeMs = params.observeMs ?? 500;
  const ops = completedOps(run.history);
  const windows = crashWindows(run.knobs.faults, run.scenario.durationMs).filter((w) => w.restartMs - w.crashMs >= withinMs + observeMs);
  // How long the others took to answer a request sent after the crash: the figure withinMs is set against.
  let recoveryMsMax = 0;
  for (const w of windows) {
    const first = ops.filter((op) => answered(op) && op.node !== w.node && op.invokeMs >= w.crashMs && op.returnMs <= w.restartMs).reduce((t, op) => Math.min(t, op.returnMs), Infinity);
    recoveryMsMax = Math.max(recoveryMsMax, Math.min(first, w.restartMs) - w.crashMs);
  }
  const metrics = { crashesJudged: windows.length, recoveryMsMax: Math.round(recoveryMsMax) };
  for (const w of windows) {
    const from = w.crashMs + withinMs;
    const served = ops.some((op) => answered(op) && op.node !== w.node && op.returnMs >= from && op.returnMs <= w.restartMs);
    if (!served) {
      return {
        ok: false,
        message: `${w.node} crashed at ${formatMs(w.crashMs)} and stayed down until ${formatMs(w.restartMs)}, and from ${formatMs(from)} on no operation sent to another node was answered (ok, or a definite error such as 22). The nodes still up must take over: when the node that leads crashes, the others have to notice (no heartbeat for a while) and elect a new leader within ${formatMs(withinMs)}.`,
        metrics,
      };
    }
  }
  return { ok: true, message: `the cluster kept serving through all ${windows.length} crashes of at least ${formatMs(withinMs + observeMs)}`, metrics };
};
