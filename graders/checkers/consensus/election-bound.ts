/**
 * Liveness of leader election: whenever a majority of nodes is up and can reach each other, some leader
 * that such a majority follows appears within a bound. Judged from the status reports and the run's fault
 * schedule (crashes, restarts, partitions).
 */
import type { FaultEvent } from "../../sim/scenario.ts";
import { formatMs } from "../../report/format.ts";
import type { NodeStatus, StatusReport } from "./status.ts";

export interface LeaderGap {
  /** When the cluster was last led (or the gap's clock started), and when a leader was back (or judging ended). */
  fromMs: number;
  toMs: number;
}

export interface ElectionTimeline {
  /** The longest stretch with a reachable majority up and no leader that one follows. */
  longest: LeaderGap;
  /** Terms in which some node was seen leading. */
  termsLed: number;
}

/** Both directions of every pair open: the nodes of `set` can hold an election among themselves. */
function connected(set: readonly string[], blocked: ReadonlySet<string>): boolean {
  for (const a of set) for (const b of set) if (a !== b && blocked.has(`${a}>${b}`)) return false;
  return true;
}

/** Whether some majority of the nodes up can all reach each other (every subset tried: clusters are small). */
function majorityReachable(nodeIds: readonly string[], up: ReadonlySet<string>, blocked: ReadonlySet<string>): boolean {
  const majority = Math.floor(nodeIds.length / 2) + 1;
  const alive = nodeIds.filter((n) => up.has(n));
  if (alive.length < majority) return false;
  if (blocked.size === 0) return true;
  if (alive.length > 16) return true; // past any cluster an exercise runs; not judged
  for (let mask = 0; mask < 1 << alive.length; mask++) {
    const set = alive.filter((_, i) => mask & (1 << i));
    if (set.length >= majority && connected(set, blocked)) return true;
  }
  return false;
}

/**
 * Walks the reports and faults up to `endMs`. A node leads effectively when it reports being leader of term
 * t and, counting itself, a majority of nodes up, reachable from it both ways, last reported term t. The gap
 * clock runs only while a reachable majority is up: without one no election can succeed.
 */
export function electionTimeline(reports: readonly StatusReport[], faults: readonly FaultEvent[], nodeIds: readonly string[], endMs: number): ElectionTimeline {
  const majority = Math.floor(nodeIds.length / 2) + 1;
  const latest = new Map<string, NodeStatus | null>();
  const up = new Set(nodeIds);
  let blocked = new Set<string>();
  const terms = new Set<number>();
  type Step = { timeMs: number; apply: () => void };
  const steps: Step[] = [];
  for (const f of faults) {
    if (f.atMs > endMs) continue;
    if (f.kind === "crash") steps.push({ timeMs: f.atMs, apply: () => (up.delete(f.node), latest.set(f.node, null)) });
    else if (f.kind === "restart") steps.push({ timeMs: f.atMs, apply: () => void up.add(f.node) });
    else if (f.kind === "partition") steps.push({ timeMs: f.atMs, apply: () => void (blocked = new Set(f.blocked.map(([a, b]) => `${a}>${b}`))) });
    else if (f.kind === "heal") steps.push({ timeMs: f.atMs, apply: () => void (blocked = new Set()) });
  }
  for (const r of reports) {
    if (r.timeMs > endMs) continue;
    steps.push({ timeMs: r.timeMs, apply: () => void latest.set(r.node, r.status) });
    if (r.status?.role === "leader") terms.add(r.status.term);
  }
  // Faults first at equal times: a report at the instant of a crash came from before it.
  steps.sort((a, b) => a.timeMs - b.timeMs);

  const led = (): boolean => {
    for (const [node, s] of latest) {
      if (s?.role !== "leader" || !up.has(node)) continue;
      let followers = 1;
      for (const [other, o] of latest) {
        if (other === node || !o || o.term !== s.term || !up.has(other)) continue;
        if (!blocked.has(`${node}>${other}`) && !blocked.has(`${other}>${node}`)) followers++;
      }
      if (followers >= majority) return true;
    }
    return false;
  };

  let gapFrom: number | undefined = 0;
  let longest: LeaderGap = { fromMs: 0, toMs: 0 };
  const close = (toMs: number) => {
    if (gapFrom !== undefined && toMs - gapFrom > longest.toMs - longest.fromMs) longest = { fromMs: gapFrom, toMs };
  };
  for (let i = 0; i < steps.length; ) {
    const t = steps[i]!.timeMs;
    for (; i < steps.length && steps[i]!.timeMs === t; i++) steps[i]!.apply();
    const leading = led();
    const reachable = majorityReachable(nodeIds, up, blocked);
    if (leading || !reachable) {
      close(t);
      gapFrom = undefined;
    } else if (gapFrom === undefined) {
      gapFrom = t;
    }
  }
  close(endMs);
  return { longest, termsLed: terms.size };
}

/** The check's verdict: the longest leaderless stretch is at most `withinMs`. */
export function checkElectionBound(timeline: ElectionTimeline, withinMs: number): { ok: boolean; message: string } {
  const { fromMs, toMs } = timeline.longest;
  const gap = toMs - fromMs;
  if (timeline.termsLed === 0) {
    return { ok: false, message: `No node ever reported being leader. Nodes that hear from no leader must stand for election (a new term, a vote for themselves, a request to every other node) after a timeout, and a candidate that gets a majority of votes leads.` };
  }
  if (gap > withinMs) {
    return {
      ok: false,
      message: `No leader for ${formatMs(gap)}, from ${formatMs(fromMs)} to ${formatMs(toMs)}, while a majority of nodes was up and could reach each other (the bound is ${formatMs(withinMs)}). Either nobody stood for election, or elections kept failing: when candidates stand at the same moment they split the votes and nobody wins. Draw each election timeout at random from a range (e.g. 150–300 ms) and draw it again for every attempt, so that one candidate usually asks first and wins.`,
    };
  }
  return { ok: true, message: `a leader within ${formatMs(gap)} at worst (${timeline.termsLed} terms led)` };
}
