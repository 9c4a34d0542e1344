/**
 * Session guarantees (Terry et al., "Session Guarantees for Weakly Consistent Replicated Data", 1994),
 * read staleness, and eventual convergence, over a key-value history.
 *
 * History shape (ClientOperation, sim/history.ts), per client (`process`, whose operations are sequential):
 * - write: `f: "write"`, `input: { key: string, value: unknown }`. Its output is ignored.
 * - read:  `f: "read"`,  `input: { key: string }`, `output` = the value read; `null` or `undefined` means the
 *   key had no value yet (the initial version). Operations with another `f` or another input shape are ignored.
 *
 * Version order (an assumption, stated in every message): written values are unique per key, so a read's value
 * names the write it came from; the versions of a key are ordered by when their writes were acknowledged
 * (`returnMs` of the ok completion; ties by invoke time, then history order). The initial "no value" precedes
 * every write.
 *
 * Outcomes that are not "ok":
 * - fail: the write did not happen (a definite error, history-ops.ts). It has no version; a read returning its
 *   value is not placed by the guarantees, and is judged by the no-aborted-reads check instead: the client was
 *   told the write did not happen, so no read may return it.
 * - info (an unknown outcome, or no reply before the end): the write may or may not have happened, and when
 *   it took effect is unknown, so it has no place in the version order. Only where a read returned its value
 *   is it known to have happened; then it is still newer than the initial value, but no comparison with another
 *   write's version is made. No violation is reported that rests on an info write's position or on whether it
 *   happened.
 * Only ok reads are judged. A read whose value no ok/info write produced is not judged either.
 */
import { formatMs } from "../report/format.ts";
import { jsonText } from "../report/json-text.ts";
import { completedOps, definitelyFailed } from "./history-ops.ts";
import { outcomeOf, type ClientOperation } from "../sim/history.ts";
import { errorCodeInfo } from "../protocol/errors.ts";
import { percentile } from "./stats.ts";
import type { CheckOutcome } from "../contract.ts";
import type { NodeCheckFn } from "../harness/node/run.ts";

export type SessionGuarantee = "read-your-writes" | "monotonic-reads" | "monotonic-writes" | "writes-follow-reads";

/** The first violation of a guarantee: the operation that established the expectation, and the one that broke it. */
export interface SessionViolation {
  guarantee: SessionGuarantee;
  /** The client whose session guarantee was broken (for monotonic writes: the writer). */
  client: string;
  /** The client that observed it, when that is another one (monotonic writes, writes-follow-reads). */
  observer: string;
  key: string;
  /** Established the expectation (own write, earlier read, the newer write seen first, the read a write followed). */
  first: ClientOperation;
  /** The ok read that broke it. */
  second: ClientOperation;
  /** For writes-follow-reads: the client's write that followed its read `first`. For monotonic writes: the later write. */
  via?: ClientOperation;
}

export interface SessionOutcome extends CheckOutcome {
  violation?: SessionViolation;
}

export const VERSION_ORDER_NOTE =
  "Versions of a key are ordered by when their writes were acknowledged; written values are assumed unique per key.";

const PREVENTION: Record<SessionGuarantee, string> = {
  "read-your-writes":
    "A session layer prevents this with sticky sessions (the client goes back to the replica that took its write) or a client-side version token: the client carries the version of its last write and a replica serves its read only once it has applied that version.",
  "monotonic-reads":
    "A session layer prevents this with a client-side version token: the client remembers the highest version it has read of each key and a replica that is behind waits, or forwards the read, instead of answering with older data (sticky sessions do the same while the replica stays up).",
  "monotonic-writes":
    "A session layer prevents this by tagging each write with the client's session id and a sequence number, so every replica applies a session's writes in sequence order and holds back a write until its predecessor has arrived.",
  "writes-follow-reads":
    "A session layer prevents this by attaching the versions the client has read to each of its writes as dependencies; a replica makes a write visible only after it has applied everything the write depends on (causal consistency).",
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the history

interface WriteInfo {
  op: ClientOperation;
  key: string;
  value: unknown;
  /** 1-based position in the key's ack order; undefined for info writes. */
  version: number | undefined;
  /** Position in the writer's session (its operations in invoke order). */
  sessionIndex: number;
}

/** What a read returned: the initial value, a known write, or something that cannot be placed. */
type ReadResult = { kind: "initial" } | { kind: "write"; write: WriteInfo } | { kind: "unknown" };

interface ReadInfo {
  op: ClientOperation;
  key: string;
  result: ReadResult;
}

interface Prepared {
  /** Per client, its operations in invoke order, with writes and reads recognized. */
  sessions: Map<string, Array<{ op: ClientOperation; write?: WriteInfo; read?: ReadInfo }>>;
  /** Per key, ok writes in ack order (index + 1 = version). */
  okWrites: Map<string, WriteInfo[]>;
  reads: ReadInfo[];
}

/** The key of a kv operation's input ({key: string | number}), as text; undefined for other shapes. */
export function keyOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const key = (input as { key?: unknown }).key;
  if (typeof key === "string") return key;
  if (typeof key === "number") return String(key);
  return undefined;
}

/**
 * Canonical text of a value, for identity: object keys sorted. Values are the nodes' own, of any depth, so the
 * walk is a loop (json-text.ts), not recursion.
 */
export function canonicalValue(value: unknown): string {
  if (value === undefined) return "undefined";
  return jsonText(value, { sortKeys: true });
}

/** Whether a read's value means "the key had no value yet". */
export function isInitial(value: unknown): boolean {
  return value === null || value === undefined;
}

function prepare(ops: readonly ClientOperation[]): Prepared {
  const indexed = ops.map((op, i) => ({ op, i }));
  indexed.sort((a, b) => a.op.invokeMs - b.op.invokeMs || a.i - b.i);
  const sessions: Prepared["sessions"] = new Map();
  const okWrites: Prepared["okWrites"] = new Map();
  const byValue = new Map<string, Map<string, WriteInfo>>();
  const writes: Array<{ info: WriteInfo; i: number }> = [];
  const pendingReads: Array<{ entry: { op: ClientOperation; read?: ReadInfo }; key: string }> = [];

  for (const { op, i } of indexed) {
    let session = sessions.get(op.process);
    if (!session) sessions.set(op.process, (session = []));
    const entry: { op: ClientOperation; write?: WriteInfo; read?: ReadInfo } = { op };
    const sessionIndex = session.length;
    session.push(entry);
    const key = keyOf(op.value);
    if (key === undefined) continue;
    if (op.f === "write") {
      if (op.status === "fail") continue;
      const info: WriteInfo = { op, key, value: (op.value as { value?: unknown }).value, version: undefined, sessionIndex };
      entry.write = info;
      writes.push({ info, i });
    } else if (op.f === "read" && op.status === "ok") {
      pendingReads.push({ entry, key });
    }
  }

  // Ack order of ok writes per key.
  const ok = writes.filter((w) => w.info.op.status === "ok");
  ok.sort((a, b) => a.info.op.returnMs - b.info.op.returnMs || a.info.op.invokeMs - b.info.op.invokeMs || a.i - b.i);
  for (const { info } of ok) {
    let list = okWrites.get(info.key);
    if (!list) okWrites.set(info.key, (list = []));
    list.push(info);
    info.version = list.length;
  }
  // Value → write, ok writes winning over info ones should a value repeat.
  for (const { info } of [...ok, ...writes.filter((w) => w.info.op.status !== "ok")]) {
    let values = byValue.get(info.key);
    if (!values) byValue.set(info.key, (values = new Map()));
    const id = canonicalValue(info.value);
    if (!values.has(id)) values.set(id, info);
  }

  const reads: ReadInfo[] = [];
  for (const { entry, key } of pendingReads) {
    const value = entry.op.output;
    let result: ReadResult;
    if (isInitial(value)) result = { kind: "initial" };
    else {
      const write = byValue.get(key)?.get(canonicalValue(value));
      result = write ? { kind: "write", write } : { kind: "unknown" };
    }
    const read: ReadInfo = { op: entry.op, key, result };
    entry.read = read;
    reads.push(read);
  }
  return { sessions, okWrites, reads };
}

/** Version of a read result: 0 for the initial value, the ack rank for an ok write, undefined when unknown. */
function versionOf(result: ReadResult): number | undefined {
  if (result.kind === "initial") return 0;
  if (result.kind === "write") return result.write.version;
  return undefined;
}

/**
 * Whether `a` is certainly an older version than `b`. The initial value is older than any write that a read
 * observed (that write happened); otherwise both versions must be known.
 */
function olderThan(a: ReadResult, b: ReadResult): boolean {
  if (a.kind === "initial") return b.kind === "write";
  const va = versionOf(a);
  const vb = versionOf(b);
  return va !== undefined && vb !== undefined && va < vb;
}

// ---------------------------------------------------------------------------------------------------------------
// Describing operations

function showValue(value: unknown): string {
  if (isInitial(value)) return "no value";
  const text = typeof value === "string" ? JSON.stringify(value) : canonicalValue(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function span(op: ClientOperation): string {
  const end = op.status === "ok" ? formatMs(op.returnMs) : op.returnMs === Infinity ? "no reply" : `${op.status} at ${formatMs(op.returnMs)}`;
  return `${formatMs(op.invokeMs)} → ${end}, on ${op.node}`;
}

/** "c1's write x=2 (10 ms → 30 ms, on n1)" or "c2's read of x returned 1 (40 ms → 45 ms, on n2)". */
export function describeKvOp(op: ClientOperation): string {
  const key = keyOf(op.value) ?? "?";
  if (op.f === "write") return `${op.process}'s write ${key}=${showValue((op.value as { value?: unknown }).value)} (${span(op)})`;
  if (op.f === "read") return `${op.process}'s read of ${key} returned ${showValue(op.output)} (${span(op)})`;
  return `${op.process}'s ${op.f} (${span(op)})`;
}

function writeOf(read: ClientOperation, prepared: Prepared): string {
  const r = prepared.reads.find((x) => x.op === read);
  if (r?.result.kind !== "write") return "";
  const w = r.result.write.op;
  return w.status === "ok" ? ` (written by ${w.process}, acknowledged at ${formatMs(w.returnMs)})` : ` (written by ${w.process}, outcome ${outcomeOf(w)})`;
}

function outcome(guarantee: SessionGuarantee, found: SessionViolation[], checked: number, holds: string, explain: (v: SessionViolation) => string): SessionOutcome {
  const metrics = { checkedReads: checked, violations: found.length };
  if (found.length === 0) return { ok: true, message: `${guarantee} holds: ${holds} (${checked} reads checked). ${VERSION_ORDER_NOTE}`, metrics };
  found.sort((a, b) => a.second.invokeMs - b.second.invokeMs || a.second.returnMs - b.second.returnMs);
  const v = found[0]!;
  const more = found.length > 1 ? ` (${found.length - 1} more violation${found.length === 2 ? "" : "s"}.)` : "";
  return {
    ok: false,
    message: `${guarantee} violated for client ${v.client}: ${explain(v)} ${VERSION_ORDER_NOTE} ${PREVENTION[guarantee]}${more}`,
    metrics,
    violation: v,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The four guarantees

/** A client's ok read of k returns its own latest acknowledged write to k, or a newer version. */
export function checkReadYourWrites(ops: readonly ClientOperation[]): SessionOutcome {
  const p = prepare(ops);
  const found: SessionViolation[] = [];
  let checked = 0;
  for (const [client, session] of p.sessions) {
    const own = new Map<string, WriteInfo>();
    for (const { op, write, read } of session) {
      if (write && op.status === "ok") own.set(write.key, write);
      if (!read) continue;
      const mine = own.get(read.key);
      if (!mine || mine.op.returnMs > op.invokeMs) continue;
      checked++;
      if (olderThan(read.result, { kind: "write", write: mine })) {
        found.push({ guarantee: "read-your-writes", client, observer: client, key: read.key, first: mine.op, second: op });
      }
    }
  }
  return outcome("read-your-writes", found, checked, "every read of a key a client had written returned its own latest acknowledged write or a newer one", (v) =>
    `${describeKvOp(v.first)}, then ${describeKvOp(v.second)}${writeOf(v.second, p)}, an older version than its own write.`,
  );
}

/** A client never reads an older version of k than one it read before. */
export function checkMonotonicReads(ops: readonly ClientOperation[]): SessionOutcome {
  const p = prepare(ops);
  const found: SessionViolation[] = [];
  let checked = 0;
  for (const [client, session] of p.sessions) {
    /** Per key, the reads so far that no other read was known to be newer than (the frontier). */
    const seen = new Map<string, ReadInfo[]>();
    for (const { op, read } of session) {
      if (!read || read.result.kind === "unknown") continue;
      const before = seen.get(read.key) ?? [];
      if (before.length > 0) checked++;
      const newer = before.find((b) => olderThan(read.result, b.result));
      if (newer) found.push({ guarantee: "monotonic-reads", client, observer: client, key: read.key, first: newer.op, second: op });
      seen.set(read.key, [...before.filter((b) => !olderThan(b.result, read.result)), read]);
    }
  }
  return outcome("monotonic-reads", found, checked, "no client read an older version of a key after a newer one", (v) =>
    `${describeKvOp(v.first)}${writeOf(v.first, p)}, then ${describeKvOp(v.second)}${writeOf(v.second, p)}, an older version.`,
  );
}

/**
 * A client's writes to k take effect in the order it issued them: no client reads the client's later write to k
 * and afterwards its earlier write to k. (Under the ack order every client's own writes are already in session
 * order, so what can be checked is what readers observe.)
 */
export function checkMonotonicWrites(ops: readonly ClientOperation[]): SessionOutcome {
  const p = prepare(ops);
  const found: SessionViolation[] = [];
  let checked = 0;
  for (const [observer, session] of p.sessions) {
    /** Per key and writer, the latest write in the writer's session this observer has read, and the read. */
    const seen = new Map<string, { write: WriteInfo; read: ClientOperation }>();
    for (const { op, read } of session) {
      if (read?.result.kind !== "write") continue;
      const write = read.result.write;
      const id = `${read.key}\u0000${write.op.process}`;
      const prior = seen.get(id);
      if (prior) {
        checked++;
        if (write.sessionIndex < prior.write.sessionIndex) {
          found.push({ guarantee: "monotonic-writes", client: write.op.process, observer, key: read.key, first: prior.read, second: op, via: prior.write.op });
          continue;
        }
      }
      if (!prior || write.sessionIndex > prior.write.sessionIndex) seen.set(id, { write, read: op });
    }
  }
  return outcome("monotonic-writes", found, checked, "no reader saw a client's later write to a key followed by its earlier one", (v) => {
    const earlier = p.reads.find((r) => r.op === v.second)!;
    const w1 = earlier.result.kind === "write" ? earlier.result.write.op : v.second;
    return `it issued ${describeKvOp(w1)} before ${describeKvOp(v.via!)}, but ${describeKvOp(v.first)} and then ${describeKvOp(v.second)}: the earlier write took effect after the later one.`;
  });
}

/**
 * If a client reads version x (of any key) and then writes w, then w is ordered after x: a client that has read w
 * must afterwards not read a version of x's key older than x, nor x itself when w overwrote x's key.
 */
export function checkWritesFollowReads(ops: readonly ClientOperation[]): SessionOutcome {
  const p = prepare(ops);
  /** For each write (ok or info), the writes its client had read before issuing it: the last read per key. */
  const deps = new Map<WriteInfo, Array<{ key: string; x: WriteInfo; read: ClientOperation }>>();
  for (const session of p.sessions.values()) {
    const lastRead = new Map<string, { x: WriteInfo; read: ClientOperation }>();
    for (const { read, write } of session) {
      if (read) {
        if (read.result.kind === "write") lastRead.set(read.key, { x: read.result.write, read: read.op });
        else if (read.result.kind === "initial") lastRead.delete(read.key);
      }
      if (write && lastRead.size > 0) {
        deps.set(write, [...lastRead].filter(([, d]) => d.x !== write).map(([key, d]) => ({ key, ...d })));
      }
    }
  }

  const found: SessionViolation[] = [];
  let checked = 0;
  for (const [observer, session] of p.sessions) {
    /** Per key, obligations: after reading w, reads of `key` must return x or newer. */
    const owed = new Map<string, Array<{ x: WriteInfo; w: WriteInfo; readOfX: ClientOperation }>>();
    for (const { op, read } of session) {
      if (!read) continue;
      const obligations = owed.get(read.key);
      if (obligations && read.result.kind !== "unknown") {
        checked++;
        const broken = obligations.find(
          ({ x, w }) => olderThan(read.result, { kind: "write", write: x }) || (read.result.kind === "write" && read.result.write === x && w.key === read.key),
        );
        if (broken) {
          found.push({ guarantee: "writes-follow-reads", client: broken.w.op.process, observer, key: read.key, first: broken.readOfX, second: op, via: broken.w.op });
          continue;
        }
      }
      if (read.result.kind !== "write") continue;
      for (const d of deps.get(read.result.write) ?? []) {
        let list = owed.get(d.key);
        if (!list) owed.set(d.key, (list = []));
        if (!list.some((o) => o.x === d.x)) list.push({ x: d.x, w: read.result.write, readOfX: d.read });
      }
    }
  }
  return outcome("writes-follow-reads", found, checked, "every client that saw a write afterwards saw at least what its writer had read before writing it", (v) => {
    const seenW = p.reads.find((r) => r.op.process === v.observer && r.result.kind === "write" && r.result.write.op === v.via && r.op.invokeMs <= v.second.invokeMs);
    const observed = seenW ? describeKvOp(seenW.op) : `${v.observer} read it`;
    return `${describeKvOp(v.first)}${writeOf(v.first, p)} and then issued ${describeKvOp(v.via!)}, so that write depends on what it read; but ${observed} and then ${describeKvOp(v.second)}${writeOf(v.second, p)}, older than what the write depends on.`;
  });
}

/** All four guarantees, by name. */
export function checkSessionGuarantees(ops: readonly ClientOperation[]): Record<SessionGuarantee, SessionOutcome> {
  return {
    "read-your-writes": checkReadYourWrites(ops),
    "monotonic-reads": checkMonotonicReads(ops),
    "monotonic-writes": checkMonotonicWrites(ops),
    "writes-follow-reads": checkWritesFollowReads(ops),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Staleness

export interface StalenessMetrics {
  /** Ok reads that could be placed (the initial value, or an ok write's value). */
  reads: number;
  /** Of those, reads that returned a version certainly older than a write acknowledged before the read began. */
  staleReads: number;
  /** staleReads / reads (0 when there are no reads). */
  staleReadRate: number;
  /**
   * Over stale reads only (0 when none): how long before the read was invoked the value it returned had certainly
   * been overwritten, i.e. read invoke time minus the earliest ack of a write that superseded it.
   */
  stalenessMsP50: number;
  stalenessMsMax: number;
  /** Ok reads not placed: their value came from an info or failed write, or from no write at all. */
  unknownReads: number;
}

/** A stale read, with the write that certainly superseded what it returned before it began. */
export interface StaleRead {
  read: ClientOperation;
  /** The ok write whose value it returned; undefined when it returned the initial "no value". */
  returned: ClientOperation | undefined;
  /** The earliest-acknowledged write that superseded it, acknowledged before the read was invoked. */
  newer: ClientOperation;
  stalenessMs: number;
}

export const STALE_READ_NOTE =
  "A read is stale when a write acknowledged before the read began certainly superseded the value it returned: the read returned no value, or the value of a write that had completed before that newer write started. (Writes that overlap in time may take effect in either order, so they are never held against each other.)";

/**
 * Stale reads in real-time order only: no assumption about how overlapping writes were ordered, so it holds for
 * any system that claims "a read that starts after a write completed returns that write or a newer one".
 */
export function findStaleReads(ops: readonly ClientOperation[]): { reads: number; unknownReads: number; stale: StaleRead[] } {
  const p = prepare(ops);
  let reads = 0;
  let unknownReads = 0;
  const stale: StaleRead[] = [];
  for (const read of p.reads) {
    const returned = read.result.kind === "write" ? read.result.write.op : undefined;
    if (read.result.kind === "unknown" || (returned && returned.status !== "ok")) {
      unknownReads++;
      continue;
    }
    reads++;
    // The earliest-acknowledged write that finished before the read began and started after `returned` finished.
    let newer: ClientOperation | undefined;
    for (const w of p.okWrites.get(read.key) ?? []) {
      if (w.op === returned || w.op.returnMs >= read.op.invokeMs) continue;
      if (returned && w.op.invokeMs <= returned.returnMs) continue;
      if (!newer || w.op.returnMs < newer.returnMs) newer = w.op;
    }
    if (newer) stale.push({ read: read.op, returned, newer, stalenessMs: read.op.invokeMs - newer.returnMs });
  }
  return { reads, unknownReads, stale };
}

export function stalenessMetrics(ops: readonly ClientOperation[]): StalenessMetrics {
  return metricsOf(findStaleReads(ops));
}

function metricsOf({ reads, unknownReads, stale }: ReturnType<typeof findStaleReads>): StalenessMetrics {
  const staleness = stale.map((s) => s.stalenessMs).sort((a, b) => a - b);
  return {
    reads,
    staleReads: staleness.length,
    staleReadRate: reads ? staleness.length / reads : 0,
    stalenessMsP50: percentile(staleness, 0.5),
    stalenessMsMax: staleness.at(-1) ?? 0,
    unknownReads,
  };
}

/** The metrics as a check reports them: the rate to 0.1 %, times to 0.1 ms. */
function reportedMetrics(m: StalenessMetrics): Record<string, number> {
  const round = (x: number, per: number) => Math.round(x * per) / per;
  return { ...m, staleReadRate: round(m.staleReadRate, 1000), stalenessMsP50: round(m.stalenessMsP50, 10), stalenessMsMax: round(m.stalenessMsMax, 10) };
}

/** One stale read told as evidence: what it returned, and the write acknowledged before it that superseded that. */
export function describeStaleRead(s: StaleRead): string {
  const what = s.returned ? `, the value of ${describeKvOp(s.returned)}` : "";
  return `${describeKvOp(s.read)}${what}; but ${describeKvOp(s.newer)} had been acknowledged ${formatMs(s.stalenessMs)} before that read began${s.returned ? " and started after the returned write completed" : ""}.`;
}

/** No stale read at all (see STALE_READ_NOTE). Fails with the first stale read as evidence. */
export function checkNoStaleReads(ops: readonly ClientOperation[]): CheckOutcome {
  const found = findStaleReads(ops);
  const { reads, unknownReads, stale } = found;
  const metrics = reportedMetrics(metricsOf(found));
  if (stale.length === 0) return { ok: true, message: `none of ${reads} reads was stale${unknownReads ? ` (${unknownReads} returned a value of unknown order)` : ""}`, metrics };
  stale.sort((a, b) => a.read.invokeMs - b.read.invokeMs);
  const more = stale.length > 1 ? ` (${stale.length - 1} more stale read${stale.length === 2 ? "" : "s"}.)` : "";
  return { ok: false, message: `stale read: ${describeStaleRead(stale[0]!)} ${STALE_READ_NOTE}${more}`, metrics };
}

// ---------------------------------------------------------------------------------------------------------------
// Aborted reads: a write reported failed is never read

/** A read that returned the value of a write the client was told did not happen. */
export interface AbortedRead {
  read: ClientOperation;
  /** The write answered with a definite error, whose value the read returned. */
  failed: ClientOperation;
}

export const ABORTED_READ_NOTE =
  "A definite error (such as 11, temporarily unavailable) tells the client that its write did not happen and never will, so no read may ever return it. When the coordinator gives up on a write that some replica may already hold, the outcome is unknown: answer error 0 (timeout), which allows the value to appear later. Keep definite errors for requests that certainly changed nothing, e.g. refused before any replica stored them.";

/**
 * Ok reads whose value only a definitely failed write produced (Adya's G1a, "aborted read"). A value some ok,
 * info or pending write also wrote is not held against anyone: that write may be where it came from.
 */
export function findAbortedReads(ops: readonly ClientOperation[]): { reads: number; aborted: AbortedRead[] } {
  const failedByValue = new Map<string, ClientOperation>();
  const possible = new Set<string>();
  const id = (key: string, value: unknown) => `${key}\u0000${canonicalValue(value)}`;
  for (const op of ops) {
    const key = keyOf(op.value);
    if (op.f !== "write" || key === undefined) continue;
    const value = (op.value as { value?: unknown }).value;
    if (definitelyFailed(op)) {
      if (!failedByValue.has(id(key, value))) failedByValue.set(id(key, value), op);
    } else possible.add(id(key, value));
  }
  let reads = 0;
  const aborted: AbortedRead[] = [];
  for (const op of ops) {
    const key = keyOf(op.value);
    if (op.f !== "read" || op.status !== "ok" || key === undefined || isInitial(op.output)) continue;
    reads++;
    const which = id(key, op.output);
    const failed = failedByValue.get(which);
    if (failed && !possible.has(which)) aborted.push({ read: op, failed });
  }
  aborted.sort((a, b) => a.read.invokeMs - b.read.invokeMs);
  return { reads, aborted };
}

function describeFailure(op: ClientOperation): string {
  if (op.code === undefined) return "a definite failure";
  const info = errorCodeInfo(op.code);
  return `error ${op.code}${info ? ` (${info.name})` : ""}`;
}

/** No read returns the value of a write that failed with a definite error (see ABORTED_READ_NOTE). */
export function checkNoAbortedReads(ops: readonly ClientOperation[]): CheckOutcome {
  const { reads, aborted } = findAbortedReads(ops);
  const failedWrites = ops.filter((op) => op.f === "write" && definitelyFailed(op)).length;
  const metrics = { failedWrites, abortedReads: aborted.length };
  if (aborted.length === 0) {
    return { ok: true, message: `no read of ${reads} returned the value of any of the ${failedWrites} writes that failed with a definite error`, metrics };
  }
  const { read, failed } = aborted[0]!;
  const more = aborted.length > 1 ? ` (${aborted.length - 1} more read${aborted.length === 2 ? "" : "s"} of failed writes.)` : "";
  return {
    ok: false,
    message: `aborted read: ${describeKvOp(read)}, the value of ${describeKvOp(failed)}, which ${failed.node} answered with ${describeFailure(failed)}. ${ABORTED_READ_NOTE}${more}`,
    metrics,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Convergence

export interface ConvergenceOutcome extends CheckOutcome {
  /** The first key (in sorted order) the replicas disagree on, with every replica's value (`present: false` = no value). */
  disagreement?: { key: string; values: Array<{ node: string; present: boolean; value: unknown }> };
}

/** Whether all replicas ended with the same value for every key (a key missing on a replica counts as a difference). */
export function checkConvergence(finals: ReadonlyMap<string, ReadonlyMap<string, unknown>>): ConvergenceOutcome {
  const nodes = [...finals.keys()];
  const keys = [...new Set(nodes.flatMap((n) => [...finals.get(n)!.keys()]))].sort();
  const differing: string[] = [];
  for (const key of keys) {
    const ids = new Set(nodes.map((n) => (finals.get(n)!.has(key) ? canonicalValue(finals.get(n)!.get(key)) : "\u0000missing")));
    if (ids.size > 1) differing.push(key);
  }
  const metrics = { replicas: nodes.length, keys: keys.length, disagreeingKeys: differing.length };
  if (differing.length === 0) {
    return { ok: true, message: `all ${nodes.length} replicas agree on all ${keys.length} keys`, metrics };
  }
  const key = differing[0]!;
  const values = nodes.map((node) => {
    const map = finals.get(node)!;
    return { node, present: map.has(key), value: map.get(key) };
  });
  const groups = new Map<string, string[]>();
  for (const v of values) {
    const label = v.present ? showValue(v.value) : "no value";
    groups.set(label, [...(groups.get(label) ?? []), v.node]);
  }
  const parts = [...groups].map(([label, ns]) => `${ns.join(", ")} ${ns.length === 1 ? "has" : "have"} ${label}`);
  const more = differing.length > 1 ? ` (${differing.length - 1} more ${differing.length === 2 ? "key differs" : "keys differ"}.)` : "";
  return {
    ok: false,
    message: `replicas did not converge on key ${JSON.stringify(key)}: ${parts.join("; ")}. Eventual consistency needs every replica to end with the same value once writes stop: keep exchanging state (anti-entropy, read repair) until all have every write, and resolve concurrent writes the same way everywhere (last-writer-wins with a deterministic tiebreak, or a CRDT merge).${more}`,
    metrics,
    disagreement: { key, values },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// As run checks

/** The four guarantees as checks over a run's client history (reads and writes as described at the top). */
export const sessionChecks: Record<SessionGuarantee | "staleness" | "no-stale-reads" | "no-aborted-reads", NodeCheckFn> = {
  /** No read returns the value of a write that was answered with a definite error. */
  "no-aborted-reads": (run) => checkNoAbortedReads(completedOps(run.history)),
  /** No read returns a value certainly superseded by a write acknowledged before the read began. */
  "no-stale-reads": (run) => checkNoStaleReads(completedOps(run.history)),
  "read-your-writes": (run) => checkReadYourWrites(completedOps(run.history)),
  "monotonic-reads": (run) => checkMonotonicReads(completedOps(run.history)),
  "monotonic-writes": (run) => checkMonotonicWrites(completedOps(run.history)),
  "writes-follow-reads": (run) => checkWritesFollowReads(completedOps(run.history)),
  /** Stale-read rate and staleness; param maxRate (0…1) fails the check above it. */
  staleness(run, params) {
    const m = stalenessMetrics(completedOps(run.history));
    const metrics = reportedMetrics(m);
    const text = `${m.staleReads} of ${m.reads} reads were stale (p50 ${formatMs(m.stalenessMsP50)}, max ${formatMs(m.stalenessMsMax)} behind)`;
    if (params.maxRate !== undefined && m.staleReadRate > params.maxRate) {
      return { ok: false, message: `${text}, over the allowed rate of ${params.maxRate}. ${STALE_READ_NOTE}`, metrics };
    }
    return { ok: true, message: text, metrics };
  },
};
