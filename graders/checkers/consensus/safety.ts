/**
 * The safety properties of a leader-based replicated log, judged from what the nodes reported over time
 * (status.ts). Each returns undefined when the property held, or a violation in words with the evidence.
 * They assume nothing about how the protocol works beyond terms, one leader per term, and a commit index.
 */
import { at, type CommittedRewrite, type LogEntry, type StatusReport } from "./status.ts";

export interface ConsensusViolation {
  message: string;
}

const first = (log: readonly LogEntry[], upTo: number, other: readonly LogEntry[]): number => {
  for (let i = 0; i < upTo; i++) if (log[i]?.json !== other[i]?.json) return i + 1;
  return 0;
};

const brief = (entry: LogEntry | undefined): string => (entry === undefined ? "nothing" : entry.json.length > 80 ? `${entry.json.slice(0, 79)}…` : entry.json);

/** Election safety: at most one node is leader of any one term. */
export function checkElectionSafety(reports: readonly StatusReport[]): ConsensusViolation | undefined {
  const leaders = new Map<number, StatusReport>();
  for (const r of reports) {
    if (r.status?.role !== "leader") continue;
    const earlier = leaders.get(r.status.term);
    if (!earlier) leaders.set(r.status.term, r);
    else if (earlier.node !== r.node) {
      return {
        message: `Two leaders of term ${r.status.term}: ${at(earlier)} and ${at(r)} both reported being its leader. A term may have one leader at most: each node grants one vote per term, and keeps that promise through a crash (in node.storage, before the vote leaves), so two majorities of one term always share a voter who would have had to vote twice.`,
      };
    }
  }
  return undefined;
}

/**
 * Log matching: two logs that hold an entry with the same index and term are identical up to that index.
 * Each distinct log prefix gets a number (interned), so a report costs one pass over its log.
 */
export function checkLogMatching(reports: readonly StatusReport[]): ConsensusViolation | undefined {
  const prefixIds = new Map<string, number>();
  /** "index term" → the prefix it closed the first time it was seen, and that report. */
  const seen = new Map<string, { prefix: number; report: StatusReport }>();
  const previous = new Map<string, { log: readonly LogEntry[]; ids: number[] }>();
  for (const r of reports) {
    const s = r.status;
    if (!s) continue;
    const prev = previous.get(r.node);
    // Unchanged entries keep their prefix numbers: only what changed since this node's last report is walked.
    let i = 0;
    const ids: number[] = [];
    if (prev) {
      while (i < s.log.length && i < prev.log.length && s.log[i]!.json === prev.log[i]!.json) ids.push(prev.ids[i++]!);
    }
    for (; i < s.log.length; i++) {
      const key = `${i === 0 ? -1 : ids[i - 1]!} ${s.log[i]!.json}`;
      let id = prefixIds.get(key);
      if (id === undefined) prefixIds.set(key, (id = prefixIds.size));
      ids.push(id);
      const slot = `${i + 1} ${s.log[i]!.term}`;
      const other = seen.get(slot);
      if (!other) seen.set(slot, { prefix: id, report: r });
      else if (other.prefix !== id) {
        const o = other.report.status!;
        const d = first(s.log, i + 1, o.log);
        return {
          message: `Log matching broken: ${at(other.report)} and ${at(r)} both hold an entry of term ${s.log[i]!.term} at index ${i + 1}, yet their logs differ at index ${d} (${brief(o.log[d - 1])} against ${brief(s.log[d - 1])}). A follower may append entries only right after an entry that matches the leader's (same index and term), and must cut its log where it conflicts with the leader's; then an index and a term name one entry and everything before it.`,
        };
      }
    }
    previous.set(r.node, { log: s.log, ids });
  }
  return undefined;
}

/**
 * State machine safety: no two nodes ever report different committed entries at one index, and no node
 * replaces one it reported committed (`rewrites`, from the probe).
 */
export function checkStateMachineSafety(reports: readonly StatusReport[], rewrites: readonly CommittedRewrite[] = []): ConsensusViolation | undefined {
  const rewrite = rewrites[0];
  if (rewrite) {
    return {
      message: `${at(rewrite)} replaced the entry at index ${rewrite.index}, which it had reported committed: ${brief(rewrite.before)} became ${brief(rewrite.after)}. A committed entry is final: a follower cuts its log only where it conflicts with the leader, and a leader that lacks a committed entry must never have won its election (votes go only to candidates whose log is at least as up to date).`,
    };
  }
  const committed: Array<{ entry: LogEntry; report: StatusReport }> = [];
  for (const r of reports) {
    const s = r.status;
    if (!s) continue;
    if (s.commit > s.log.length) {
      return {
        message: `${at(r)} reported entries up to index ${s.commit} committed, but its log holds only ${s.log.length}: committed entries were cut from it. A follower cuts its log only where it conflicts with the leader's, and a leader whose log lacks committed entries must not have been elected (a vote goes only to a candidate whose log is at least as up to date).`,
      };
    }
    for (let i = 0; i < s.commit; i++) {
      const entry = s.log[i]!;
      const known = committed[i];
      if (!known) committed[i] = { entry, report: r };
      else if (known.entry.json !== entry.json) {
        const same = known.report.node === r.node;
        return {
          message: `Committed entries disagree at index ${i + 1}: ${at(known.report)} had committed ${brief(known.entry)} there, and ${at(r)} reported ${brief(entry)} as committed at the same index${same ? " (the node changed an entry it had committed)" : ""}. Once an entry is committed it is final on every node: a leader may count an entry as committed only when it is of its own term and on a majority, and a node must keep its log through a crash.`,
        };
      }
    }
  }
  return undefined;
}

/**
 * Leader completeness: an entry committed in some term is in the log of every leader of every later term.
 * A node that reports commit ≥ i while in term t proves entry i was committed in term t or earlier, so
 * every leader of a term above t must hold it.
 */
export function checkLeaderCompleteness(reports: readonly StatusReport[]): ConsensusViolation | undefined {
  // For each index, the committed entry seen with the lowest term, and where it was seen.
  const earliest: Array<{ term: number; entry: LogEntry; report: StatusReport }> = [];
  for (const r of reports) {
    const s = r.status;
    if (!s) continue;
    for (let i = 0; i < Math.min(s.commit, s.log.length); i++) {
      const known = earliest[i];
      if (!known || s.term < known.term) earliest[i] = { term: s.term, entry: s.log[i]!, report: r };
    }
  }
  for (const r of reports) {
    const s = r.status;
    if (s?.role !== "leader") continue;
    for (let i = 0; i < earliest.length; i++) {
      const known = earliest[i];
      if (!known || known.term >= s.term) continue;
      if (s.log[i]?.json === known.entry.json) continue;
      return {
        message: `A committed entry is missing from a later leader: ${at(known.report)} reported index ${i + 1} (${brief(known.entry)}) committed while in term ${known.term}, but ${at(r)}, leader of term ${s.term}, holds ${brief(s.log[i])} at index ${i + 1}. A node may vote only for a candidate whose log is at least as up to date as its own (a later last term, or the same last term and at least as long), and a leader may count replicas only for entries of its own term: an older entry on a majority can still be overwritten by a leader whose log ends in a later term.`,
      };
    }
  }
  return undefined;
}
