/**
 * What the consensus checkers read: each node's state as the status probe saw it over time
 * (workloads/status-probe.ts), with the log rebuilt from the probe's incremental answers. Any consensus
 * exercise whose nodes answer `status` can use these checkers; unit tests build reports by hand.
 */
import type { Observation } from "../../harness/node/run.ts";
import { jsonText } from "../../report/json-text.ts";
import { formatMs } from "../../report/format.ts";

export type Role = "leader" | "candidate" | "follower";

/** One log entry as reported: its term, and the whole entry as JSON text (what "the same entry" means). */
export interface LogEntry {
  term: number;
  json: string;
}

/** A node's state at one instant. `log[i - 1]` is the entry at index i. */
export interface NodeStatus {
  term: number;
  role: Role;
  /** Index of the last entry the node knows to be committed (0: none); past the log's end when it cut committed entries. */
  commit: number;
  log: readonly LogEntry[];
}

/** One observation: the node's status, or null when it did not answer (down). */
export interface StatusReport {
  node: string;
  timeMs: number;
  status: NodeStatus | null;
}

/** An answer the checkers cannot read: every consensus check fails on it, naming the problem. */
export interface MalformedStatus {
  node: string;
  timeMs: number;
  problem: string;
}

/** A node replaced an entry it had reported committed (the probe saw the entry at that index change). */
export interface CommittedRewrite {
  node: string;
  timeMs: number;
  index: number;
  before: LogEntry;
  after: LogEntry;
}

export interface StatusTimeline {
  /** In time order (stable for equal times). */
  reports: StatusReport[];
  malformed: MalformedStatus | undefined;
  /** Committed entries the nodes replaced, in the order seen. */
  rewrites: CommittedRewrite[];
}

const roles: readonly string[] = ["leader", "candidate", "follower"];
const isIndex = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

/** A learner's entry: an object with a whole, non-negative `term`. */
function entryOf(raw: unknown): LogEntry | string {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return `an entry must be an object with a term, got ${jsonText(raw).slice(0, 60)}`;
  const term = (raw as { term?: unknown }).term;
  if (!isIndex(term)) return `an entry's term must be a whole number ≥ 0, got ${jsonText(term).slice(0, 30)}`;
  return { term, json: jsonText(raw, { sortKeys: true }) };
}

/**
 * Rebuilds every node's log from the probe's answers: an answer holds the entries from `from` on, and the
 * probe held the ones before (what the node said was committed) and gets the last of those again. A node's
 * committed entries never change, so the rebuilt log is the node's own; when the repeated entry did change
 * (`rewritten`), the answer becomes a CommittedRewrite instead, and a log shorter than what the probe held
 * keeps only what the answer shows.
 */
export function statusTimeline(observations: readonly Observation[]): StatusTimeline {
  const held = new Map<string, readonly LogEntry[]>();
  const reports: StatusReport[] = [];
  const rewrites: CommittedRewrite[] = [];
  let malformed: MalformedStatus | undefined;
  for (const o of observations) {
    if (o.value === null) {
      held.delete(o.node);
      reports.push({ node: o.node, timeMs: o.timeMs, status: null });
      continue;
    }
    const before = held.get(o.node) ?? [];
    const parsed = parseAnswer(o.value, before);
    if (typeof parsed === "string") {
      malformed ??= { node: o.node, timeMs: o.timeMs, problem: parsed };
      held.delete(o.node);
      continue;
    }
    const from = (o.value as { from: number }).from;
    if ((o.value as { rewritten?: boolean }).rewritten && before[from - 1] && parsed.log[from - 1]) {
      // What came before `from` is unknown now: the probe asks for the whole log next.
      rewrites.push({ node: o.node, timeMs: o.timeMs, index: from, before: before[from - 1]!, after: parsed.log[from - 1]! });
      held.delete(o.node);
      continue;
    }
    held.set(o.node, parsed.log);
    reports.push({ node: o.node, timeMs: o.timeMs, status: parsed });
  }
  reports.sort((a, b) => a.timeMs - b.timeMs);
  return { reports, malformed, rewrites };
}

function parseAnswer(value: unknown, held: readonly LogEntry[]): NodeStatus | string {
  const a = value as Record<string, unknown>;
  if (!isIndex(a.term)) return `"term" must be a whole number ≥ 0, got ${jsonText(a.term).slice(0, 30)}`;
  if (typeof a.role !== "string" || !roles.includes(a.role)) return `"role" must be "leader", "candidate" or "follower", got ${jsonText(a.role).slice(0, 30)}`;
  if (!isIndex(a.commit)) return `"commit" must be a whole number ≥ 0, got ${jsonText(a.commit).slice(0, 30)}`;
  if (!isIndex(a.length)) return `"length" must be the log's length, got ${jsonText(a.length).slice(0, 30)}`;
  if (!Array.isArray(a.entries)) return `"entries" must be the list of entries from index ${String(a.from)} on`;
  const from = a.from as number;
  const entries: LogEntry[] = [];
  for (const raw of a.entries as unknown[]) {
    const entry = entryOf(raw);
    if (typeof entry === "string") return entry;
    entries.push(entry);
  }
  let log: LogEntry[];
  if (a.length < from - 1) {
    // The log is shorter than the part the probe held: nothing from `from` on can be sent.
    if (entries.length) return `"length" ${a.length} is below the index asked from (${from}), yet entries were sent`;
    log = held.slice(0, a.length);
  } else {
    if (held.length < from - 1) return `the probe asked from index ${from} but held only ${held.length} entries`;
    log = held.slice(0, from - 1).concat(entries);
    if (log.length !== a.length) return `"length" is ${a.length} but the entries from index ${from} end at index ${log.length}`;
  }
  // A commit index past the end of the log is kept as reported: it means committed entries were cut, which
  // state machine safety judges (a report the checkers could not read would hide that).
  return { term: a.term, role: a.role as Role, commit: a.commit, log };
}

/** "n2 at 1.23 s": how messages name a report. */
export function at(report: { node: string; timeMs: number }): string {
  return `${report.node} at ${formatMs(report.timeMs)}`;
}
