/**
 * Judging failure detectors: from reports of whom each node suspects (sampled through the run) and the
 * truth the nemesis knows (when each node was down or paused), how fast crashes were detected and how
 * often live nodes were suspected. General over any exercise where nodes report suspicions: heartbeats,
 * phi accrual, gossip or SWIM membership alike.
 *
 * What counts as wrong, and what does not:
 * - A crashed node must be suspected by every node that stayed up, within a bound of the crash.
 * - Suspecting a node that is down or paused is right: a paused node is silent, and no detector can tell
 *   a long pause from a crash. Once it is back (restarted or resumed), the others have `graceMs` to learn
 *   it; suspecting it after that is a false suspicion, as is suspecting a node that was never away.
 */
import type { FaultEvent } from "../sim/scenario.ts";
import { crashWindows } from "./crash-recovery.ts";

export interface SuspicionReport {
  /** The node that answered, and when its answer arrived. */
  observer: string;
  timeMs: number;
  suspects: readonly string[];
}

/** When a node was away: down from a crash to its restart, or paused. Half-open intervals [fromMs, toMs). */
export interface Absence {
  fromMs: number;
  toMs: number;
  kind: "down" | "paused";
}

/** Each node's absences from the fault schedule (scheduled crashes and pauses), in time order. */
export function absencesFromFaults(nodeIds: readonly string[], faults: readonly FaultEvent[], endMs: number): Map<string, Absence[]> {
  const out = new Map<string, Absence[]>(nodeIds.map((id) => [id, []]));
  for (const w of crashWindows(faults, endMs)) out.get(w.node)?.push({ fromMs: w.crashMs, toMs: w.restartMs, kind: "down" });
  for (const f of faults) if (f.kind === "pause") out.get(f.node)?.push({ fromMs: f.atMs, toMs: f.untilMs, kind: "paused" });
  for (const list of out.values()) list.sort((a, b) => a.fromMs - b.fromMs);
  return out;
}

/** The absence of `node` that covers `t`, if any. */
function absentAt(absences: readonly Absence[], t: number): Absence | undefined {
  return absences.find((a) => a.fromMs <= t && t < a.toMs);
}

/** True when the node was present (neither down nor paused) throughout [fromMs, toMs]. */
function presentThroughout(absences: readonly Absence[], fromMs: number, toMs: number): boolean {
  return !absences.some((a) => a.fromMs <= toMs && a.toMs > fromMs);
}

/** When the node last came back before `t` (or −Infinity if it was never away before `t`). */
function backSince(absences: readonly Absence[], t: number): number {
  let back = -Infinity;
  for (const a of absences) if (a.toMs <= t && a.toMs > back) back = a.toMs;
  return back;
}

export interface Detection {
  crashed: string;
  crashMs: number;
  observer: string;
  /** Time from the crash to the observer's first report suspecting it, or null if it never did while the node was down. */
  afterMs: number | null;
}

/**
 * For every scheduled crash that lasted at least `minDownMs`, and every other node present from
 * `graceMs` before the crash to `minDownMs` after it: how long until that node first reported the crashed
 * one as suspected.
 */
export function detections(reports: readonly SuspicionReport[], absences: ReadonlyMap<string, readonly Absence[]>, minDownMs: number, graceMs: number): Detection[] {
  const byObserver = new Map<string, SuspicionReport[]>();
  for (const r of reports) {
    let list = byObserver.get(r.observer);
    if (!list) byObserver.set(r.observer, (list = []));
    list.push(r);
  }
  const out: Detection[] = [];
  for (const [crashed, list] of absences) {
    for (const a of list) {
      if (a.kind !== "down" || a.toMs - a.fromMs < minDownMs) continue;
      for (const [observer, own] of absences) {
        if (observer === crashed || !presentThroughout(own, a.fromMs - graceMs, a.fromMs + minDownMs)) continue;
        const first = (byObserver.get(observer) ?? []).find((r) => r.timeMs >= a.fromMs && r.timeMs < a.toMs && r.suspects.includes(crashed));
        out.push({ crashed, crashMs: a.fromMs, observer, afterMs: first ? first.timeMs - a.fromMs : null });
      }
    }
  }
  return out;
}

export interface FalseSuspicion {
  observer: string;
  suspect: string;
  /** The first and last report of the episode. */
  fromMs: number;
  toMs: number;
}

/**
 * Episodes of false suspicion: consecutive reports by one observer suspecting one node that was present
 * at the time and had been back for at least `graceMs` (or never away). A report that does not suspect it,
 * or suspects it rightly, ends an episode.
 */
export function falseSuspicions(reports: readonly SuspicionReport[], absences: ReadonlyMap<string, readonly Absence[]>, graceMs: number): FalseSuspicion[] {
  const open = new Map<string, FalseSuspicion>();
  const out: FalseSuspicion[] = [];
  const sorted = [...reports].sort((a, b) => a.timeMs - b.timeMs);
  for (const r of sorted) {
    const suspected = new Set(r.suspects);
    for (const [node, list] of absences) {
      if (node === r.observer) continue;
      const key = `${r.observer}>${node}`;
      const wrong = suspected.has(node) && absentAt(list, r.timeMs) === undefined && r.timeMs - backSince(list, r.timeMs) >= graceMs;
      const episode = open.get(key);
      if (wrong) {
        if (episode) episode.toMs = r.timeMs;
        else {
          const e = { observer: r.observer, suspect: node, fromMs: r.timeMs, toMs: r.timeMs };
          open.set(key, e);
          out.push(e);
        }
      } else if (episode && r.observer === episode.observer) open.delete(key);
    }
  }
  return out;
}

/** The instants of [fromMs, toMs] at which the node was neither down nor paused (it can answer only then). */
export function presentParts(fromMs: number, toMs: number, absences: readonly Absence[]): Array<[number, number]> {
  let parts: Array<[number, number]> = [[fromMs, toMs]];
  for (const a of absences) {
    const next: Array<[number, number]> = [];
    for (const [f, t] of parts) {
      if (a.toMs <= f || a.fromMs > t) next.push([f, t]);
      else {
        if (a.fromMs > f) next.push([f, a.fromMs]);
        if (a.toMs <= t) next.push([a.toMs, t]);
      }
    }
    parts = next;
  }
  return parts;
}

/**
 * Milliseconds each node was present (neither down nor paused) in [0, endMs), summed over the nodes. A pause
 * that overlaps a downtime is counted once: the node is away over the union of its absences.
 */
export function presentMs(absences: ReadonlyMap<string, readonly Absence[]>, endMs: number): number {
  let total = 0;
  for (const list of absences.values()) for (const [f, t] of presentParts(0, endMs, list)) total += t - f;
  return total;
}
