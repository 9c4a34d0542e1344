/**
 * Root causes that every node workload shares, found in the run's own data (history, trace, errors, knobs)
 * and said before a check's own evidence. A check sees a symptom ("40 echoes got no echo_ok", "n3 is missing
 * 12 values"); the learner needs the cause ("n1 replied, but its replies name no request"). Most failures of
 * a first attempt have one of a handful of causes, and each leaves a mark in the trace that a check can
 * point at: no message between nodes, a reply that reached its client but matched no request, a reply sent
 * to someone else, a request that got nothing back, an uncaught error.
 *
 * Also here: what the run's faults were, so that a message speaks of partitions only in a run that had them.
 *
 * Every node workload's checks use it; kv workloads may too (`explain`, `diagnose`, `diagnosedGenericChecks`).
 */
import { settleMsOf } from "../sim/defaults.ts";
import { completedOps } from "../checkers/history-ops.ts";
import type { ClientOperation } from "../sim/history.ts";
import { genericChecks, sendTriggers } from "../checkers/stats.ts";
import { formatMs } from "../report/format.ts";
import { asText } from "../report/json-text.ts";
import type { TraceEntry } from "../sim/history.ts";
import type { CheckFn, NodeRunData } from "./types.ts";

// The checkers compute it (msgs-per-op's hint needs it too); workloads find it here with the other causes.
export { sendTriggers };

// ── What the run's faults were ───────────────────────────────────────────────────────────────────────

export interface FaultFacts {
  partitions: number;
  /** Random crashes, and targeted crashes armed (one that never reaches its point does not strike). */
  crashes: number;
  pauses: number;
  lossRate: number;
  duplicateRate: number;
  /** When the last partition, crash or pause ended (at the latest the end of the safety phase); undefined without any. */
  healedAtMs: number | undefined;
}

/** The run's faults, counted from its knobs (only those within the safety phase act). */
export function faultFacts(run: NodeRunData): FaultFacts {
  const endMs = run.scenario.durationMs;
  let partitions = 0, crashes = 0, pauses = 0;
  let healedAtMs: number | undefined;
  const ended = (atMs: number) => (healedAtMs = Math.max(healedAtMs ?? 0, Math.min(atMs, endMs)));
  for (const f of run.knobs.faults) {
    if (f.atMs >= endMs) continue;
    if (f.kind === "partition") partitions++;
    else if (f.kind === "crash") crashes++;
    else if (f.kind === "heal" || f.kind === "restart") ended(f.atMs);
    else if (f.kind === "pause") {
      pauses++;
      ended(f.untilMs);
    } else if (f.kind === "crash-point") {
      // When it strikes is the node's doing: the heal at the end of the safety phase is the one sure bound.
      crashes++;
      ended(endMs);
    }
  }
  if (partitions + crashes + pauses === 0) healedAtMs = undefined;
  return { partitions, crashes, pauses, lossRate: run.knobs.lossRate, duplicateRate: run.knobs.duplicateRate, healedAtMs };
}

/** Whether the run had partitions, crashes or pauses: faults that heal. */
export function hadHealingFaults(facts: FaultFacts): boolean {
  return facts.partitions + facts.crashes + facts.pauses > 0;
}

/** Whether anything at all went wrong on purpose: healing faults, lost or duplicated messages. */
export function hadFaults(facts: FaultFacts): boolean {
  return hadHealingFaults(facts) || facts.lossRate > 0 || facts.duplicateRate > 0;
}

/**
 * How a message names the moment of the final reads: after the faults healed in a run that had them, after
 * the clients stopped in one that had none.
 */
export function finalReadsPhrase(run: NodeRunData): string {
  const facts = faultFacts(run);
  const { durationMs } = run.scenario;
  const readsAtMs = durationMs + settleMsOf(run.scenario);
  if (hadHealingFaults(facts)) return `After the faults healed (the last at ${formatMs(facts.healedAtMs!)}), at the final reads at ${formatMs(readsAtMs)}`;
  const stoppedMs = Math.min(durationMs, Number(run.scenario.workload.options?.clientsStopAtMs ?? Infinity));
  const lossy = facts.lossRate > 0 ? ` (with ${percent(facts.lossRate)} of messages lost throughout)` : "";
  return `At the final reads, ${formatMs(readsAtMs - stoppedMs)} after the clients stopped${lossy}`;
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

// ── The trace, indexed ───────────────────────────────────────────────────────────────────────────────

interface TraceIndex {
  /** Messages each sender sent, in send order. */
  bySender: Map<string, TraceEntry[]>;
  /** Messages by `${src}>${dest}@${sendMs}`: a client's request is found from its operation. */
  byKey: Map<string, TraceEntry[]>;
  /** The trace stops here when it was cut at its cap: nothing later can be judged from it. */
  coveredUntilMs: number;
}

const indexes = new WeakMap<readonly TraceEntry[], TraceIndex>();

function indexTrace(run: NodeRunData): TraceIndex {
  const known = indexes.get(run.trace);
  if (known) return known;
  const bySender = new Map<string, TraceEntry[]>();
  const byKey = new Map<string, TraceEntry[]>();
  for (const e of run.trace) {
    push(bySender, e.src, e);
    push(byKey, `${e.src}>${e.dest}@${e.sendMs}`, e);
  }
  const coveredUntilMs = run.stats.traceTruncated ? (run.trace.at(-1)?.sendMs ?? 0) : Infinity;
  const index = { bySender, byKey, coveredUntilMs };
  indexes.set(run.trace, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Messages `sender` sent from `fromMs` to `toMs` (both included). */
function sentBetween(index: TraceIndex, sender: string, fromMs: number, toMs: number): TraceEntry[] {
  const list = index.bySender.get(sender) ?? [];
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.sendMs < fromMs) lo = mid + 1;
    else hi = mid;
  }
  const out: TraceEntry[] = [];
  for (let i = lo; i < list.length && list[i]!.sendMs <= toMs; i++) out.push(list[i]!);
  return out;
}

/** The request message of a client operation, when the trace holds it. */
function requestOf(index: TraceIndex, op: ClientOperation): TraceEntry | undefined {
  const candidates = index.byKey.get(`${op.process}>${op.node}@${op.invokeMs}`);
  return candidates?.find((e) => e.type === op.f) ?? candidates?.[0];
}

// ── Why client operations failed ─────────────────────────────────────────────────────────────────────

export type CauseKind =
  | "uncaught-error"
  | "no-handler"
  | "reply-unmatched"
  | "reply-misaddressed"
  | "reply-wrong-type"
  | "never-replies"
  | "waits-on-peers"
  | "no-peer-traffic"
  | "one-hop"
  | "dropped-not-resent";

export interface Cause {
  kind: CauseKind;
  /** What happened, with the first instance: a fact of this run. */
  text: string;
  /** What to do about it. */
  hint: string;
  /**
   * Said after the check's evidence rather than before it: an account of how the faults did their damage,
   * which reads as the explanation of the evidence, not as a mistake found apart from it.
   */
  after?: boolean;
}

export interface DiagnoseOptions {
  /**
   * The operations whose failure is to be explained (default: every one that did not complete ok). Errors
   * count only where they struck one of these operations' nodes while it waited.
   */
  ops?: readonly ClientOperation[];
  /** The check needs the nodes to tell each other things (broadcast, a counter): silence between them is a cause. */
  needsPeerTraffic?: boolean;
  /** What nodes must pass on, for the words of that cause: "value", "count". */
  what?: string;
  /** The reply type each request type expects, when it is not `<type>_ok`. */
  okType?: (f: string) => string;
}

/** Root causes of a failure in this run, most fundamental first; empty when none of the common ones shows. */
export function diagnose(run: NodeRunData, options: DiagnoseOptions = {}): Cause[] {
  const causes: Cause[] = [];
  const failed = options.ops ?? completedOps(run.history).filter((op) => op.status !== "ok");
  causes.push(...clientCauses(run, failed, options));
  if (options.needsPeerTraffic) causes.push(...peerCauses(run, options.what ?? "value"));
  // Where state must spread, an error anywhere may be why it did not; otherwise only one that struck a failed operation counts.
  const anyError = !options.ops || options.needsPeerTraffic;
  if (anyError && !causes.some((c) => c.kind === "uncaught-error") && run.errors.length > 0) causes.unshift(errorCause(run, run.errors));
  return causes.slice(0, causesMax);
}

/** More than this many causes drown the first, which is usually the one. */
const causesMax = 3;

/**
 * A check's failing message with the root causes first: `evidence` is the check's own account of what it
 * saw, `hint` what to do when no common cause shows (the cause's own hint replaces it when one does).
 */
export function explain(run: NodeRunData, evidence: string, hint: string, options: DiagnoseOptions = {}): string {
  return explainWith(diagnose(run, options), evidence, hint);
}

/** `evidence` with `causes` around it: leading ones before, the others after; the first cause's hint replaces `hint`. */
export function explainWith(causes: readonly Cause[], evidence: string, hint: string): string {
  if (causes.length === 0) return hint ? `${evidence} ${hint}` : evidence;
  const before = causes.filter((c) => !c.after).map((c) => c.text);
  const after = causes.filter((c) => c.after).map((c) => c.text);
  return [...before, evidence, ...after, causes[0]!.hint].join(" ");
}

function errorCause(run: NodeRunData, errors: NodeRunData["errors"]): Cause {
  const e = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : "";
  return {
    kind: "uncaught-error",
    text: `${asText(e.node)} failed at ${formatMs(e.timeMs)}: ${asText(e.text)}${more}.`,
    hint: "Fix that error first: a handler that throws or rejects stops before it replies or passes anything on.",
  };
}

interface Tally {
  count: number;
  first: ClientOperation;
  detail: string;
}

function clientCauses(run: NodeRunData, failed: readonly ClientOperation[], options: DiagnoseOptions): Cause[] {
  const index = indexTrace(run);
  const okType = options.okType ?? ((f: string) => `${f}_ok`);
  const tallies = new Map<CauseKind, Tally>();
  const errorsHit: NodeRunData["errors"] = [];
  const windows = operationWindows(run);
  const waiting = (client: string, node: string, atMs: number) =>
    (windows.get(`${client}>${node}`) ?? []).some((w) => w.invokeMs <= atMs && atMs <= w.returnMs);
  const note = (kind: CauseKind, op: ClientOperation, detail: string) => {
    const tally = tallies.get(kind);
    if (tally) tally.count++;
    else tallies.set(kind, { count: 1, first: op, detail });
  };
  for (const op of failed) {
    const until = Number.isFinite(op.returnMs) ? op.returnMs : run.stats.simulatedMs;
    // What a node did not send can only be told from a trace that covers the whole wait.
    if (op.status === "ok" || until > index.coveredUntilMs) continue;
    const errors = run.errors.filter((e) => e.node === op.node && e.timeMs >= op.invokeMs && e.timeMs <= until);
    if (errors.length) {
      for (const e of errors) if (!errorsHit.includes(e)) errorsHit.push(e);
      continue;
    }
    if (op.code === 10) {
      note("no-handler", op, "");
      continue;
    }
    const request = requestOf(index, op);
    // Not delivered (the node was down) or not in the trace: nothing to say about the node's code.
    if (!request || request.fate !== "delivered" || request.recvMs === undefined) continue;
    const sent = sentBetween(index, op.node, request.recvMs, until);
    const expected = okType(op.f);
    if (op.code === 12) {
      const reply = sent.find((e) => e.dest === op.process && e.type !== expected && e.type !== "error");
      if (reply) note("reply-wrong-type", op, reply.type);
      continue;
    }
    // The handler turned to another node the moment the request came in, and the request then failed.
    const asked = sent.find((e) => e.sendMs === request.recvMs && e.dest !== op.node && run.knobs.nodeIds.includes(e.dest));
    if (asked) {
      note("waits-on-peers", op, `${asked.dest} a "${asked.type}"`);
      continue;
    }
    if (op.status === "fail" || (op.status === "info" && op.code !== undefined && op.code !== 0)) continue;
    // The client waited in vain. Did the node answer, and to whom?
    const toClient = sent.find((e) => e.dest === op.process && (e.type === expected || e.type === "error"));
    if (toClient) {
      note("reply-unmatched", op, toClient.type);
      continue;
    }
    // To itself, or to a client that was not waiting on this node then: a reply to another request is no evidence.
    const elsewhere = sent.find(
      (e) => (e.type === expected || e.type === "error") && e.dest !== op.process && (e.dest === op.node || (/^c\d+$/.test(e.dest) && !waiting(e.dest, op.node, e.sendMs))),
    );
    if (elsewhere) {
      note("reply-misaddressed", op, elsewhere.dest);
      continue;
    }
    if (!sent.some((e) => e.dest === op.process) && !downOrPaused(run, op.node, request.recvMs, until)) {
      note("never-replies", op, Number.isFinite(op.returnMs) ? `before it gave up at ${formatMs(op.returnMs)}` : "by the end of the run");
    }
  }
  const causes: Cause[] = [];
  if (errorsHit.length) causes.push(errorCause(run, errorsHit));
  const of = (t: Tally) => (t.count === 1 ? "1 request" : `${t.count} requests`);
  const t = (kind: CauseKind) => tallies.get(kind);
  const noHandler = t("no-handler");
  if (noHandler) {
    causes.push({
      kind: "no-handler",
      text: `${noHandler.first.node} answered ${of(noHandler)} with error 10 (not supported), the first "${noHandler.first.f}" from ${noHandler.first.process} at ${formatMs(noHandler.first.invokeMs)}: no handler is registered for "${noHandler.first.f}".`,
      hint: `Register one with node.on("${noHandler.first.f}", (msg) => …).`,
    });
  }
  const unmatched = t("reply-unmatched");
  if (unmatched) {
    const op = unmatched.first;
    causes.push({
      kind: "reply-unmatched",
      text: `${op.node} did reply, but ${unmatched.count === 1 ? "its reply" : `its replies to ${of(unmatched)}`} matched no request: ${op.process} sent "${op.f}" at ${formatMs(op.invokeMs)}, ${op.node} sent it a reply of type "${unmatched.detail}" before the client gave up, and the client could not tell which request it answers. A reply must carry the request's msg_id as in_reply_to.`,
      hint: "Answer with node.reply(msg, body): it sets in_reply_to from the request (node.send does not).",
    });
  }
  const misaddressed = t("reply-misaddressed");
  if (misaddressed) {
    const op = misaddressed.first;
    const where = misaddressed.detail === op.node ? "to itself" : `to ${misaddressed.detail}`;
    causes.push({
      kind: "reply-misaddressed",
      text: `${op.node} sent its answer to ${op.process}'s "${op.f}" (at ${formatMs(op.invokeMs)}) ${where} instead of to ${op.process}${misaddressed.count > 1 ? `, and so for ${of(misaddressed)}` : ""}.`,
      hint: "A reply goes to the request's sender, msg.src (msg.dest is the node itself): node.reply(msg, body) addresses it for you.",
    });
  }
  const wrongType = t("reply-wrong-type");
  if (wrongType) {
    const op = wrongType.first;
    const expected = okType(op.f);
    causes.push({
      kind: "reply-wrong-type",
      text: `${op.node} answered ${of(wrongType)} with a message of type "${wrongType.detail}", the first ${op.process}'s "${op.f}" at ${formatMs(op.invokeMs)}; the client expects "${expected}".`,
      hint: `Reply with {type: "${expected}", …}.`,
    });
  }
  const silent = t("never-replies");
  if (silent) {
    const op = silent.first;
    const faults = hadHealingFaults(faultFacts(run));
    causes.push({
      kind: "never-replies",
      text: `${op.node} received ${op.process}'s "${op.f}" at ${formatMs(op.invokeMs)} and sent ${op.process} nothing back ${silent.detail}${silent.count > 1 ? `; ${silent.count} requests went unanswered like this` : ""}.`,
      hint: faults
        ? "Every request needs an answer on every path of its handler. If the handler waits for other nodes, a cut network can hold it up for good: answer from what the node knows, or with an error, rather than not at all."
        : "Every request needs an answer on every path of its handler: an early return, a forgotten branch or an await that never settles leaves the client waiting.",
    });
  }
  const waits = t("waits-on-peers");
  if (waits) {
    const op = waits.first;
    const ended = op.status === "fail" || (op.code !== undefined && op.code !== 0) ? `it ended ${op.status}${op.code !== undefined ? ` (code ${op.code})` : ""}` : "it timed out";
    causes.push({
      kind: "waits-on-peers",
      text: `${op.node} asked another node before answering: on ${op.process}'s "${op.f}" at ${formatMs(op.invokeMs)} it sent ${waits.detail} at once, and ${ended}${waits.count > 1 ? `; ${waits.count} failed requests began like this` : ""}.`,
      hint: hadHealingFaults(faultFacts(run))
        ? "A request that needs another node fails whenever that node is cut off or down. Where correctness allows, answer from what this node knows alone."
        : "A request that needs another node can only be as fast and as available as that node: where correctness allows, answer from what this node knows alone.",
    });
  }
  return causes;
}

/** Each client's operations on each node, by `${client}>${node}`: who was waiting for a reply when. */
function operationWindows(run: NodeRunData): Map<string, ClientOperation[]> {
  const windows = new Map<string, ClientOperation[]>();
  for (const op of completedOps(run.history)) push(windows, `${op.process}>${op.node}`, op);
  return windows;
}

/** Whether `node` was crashed or paused some time in [fromMs, toMs]: silence then is the fault's, not the code's. */
function downOrPaused(run: NodeRunData, node: string, fromMs: number, toMs: number): boolean {
  let downSinceMs: number | undefined;
  for (const f of run.knobs.faults) {
    if (!("node" in f) || f.node !== node) continue;
    if (f.kind === "pause" && f.atMs <= toMs && f.untilMs >= fromMs) return true;
    if (f.kind === "crash-point" && f.atMs <= toMs) return true;
    if (f.kind === "crash") downSinceMs = f.atMs;
    if (f.kind === "restart" && downSinceMs !== undefined) {
      if (downSinceMs <= toMs && f.atMs >= fromMs) return true;
      downSinceMs = undefined;
    }
  }
  return downSinceMs !== undefined && downSinceMs <= toMs;
}

// ── Why state did not spread ─────────────────────────────────────────────────────────────────────────

function peerCauses(run: NodeRunData, what: string): Cause[] {
  const nodes = run.knobs.nodeIds;
  if (nodes.length < 2) return [];
  if (run.stats.serverMessages === 0) {
    return [
      {
        kind: "no-peer-traffic",
        text: `The ${nodes.length} nodes sent each other no message at all in ${formatMs(run.stats.simulatedMs)}: each knows only what its own clients told it, because no node forwards a ${what} to the others.`,
        hint: `Forward each new ${what} to the other nodes with node.send(peer, …) (node.peers lists them), and handle that message on the receiving side.`,
      },
    ];
  }
  const nodeSet = new Set(nodes);
  const drops = { partition: 0, lost: 0, crashed: 0 };
  for (const e of run.trace) {
    if (!nodeSet.has(e.src) || !nodeSet.has(e.dest)) continue;
    if (e.fate === "partition" || e.fate === "lost" || e.fate === "crashed") drops[e.fate]++;
  }
  const dropped = drops.partition + drops.lost + drops.crashed;
  // A node that never sends from a timer sends only when a message comes in: once clients stop, nothing
  // would resend what was dropped.
  if (dropped > 0 && !run.stats.traceTruncated && sendTriggers(run).onTimer === 0) {
    return [
      {
        kind: "dropped-not-resent",
        text: `${dropped} messages between nodes never arrived (${describeDrops(drops)}), and no node ever sent a message from a timer, only in answer to one that came in: once the requests stop, nothing resends what the network dropped.`,
        hint: `Keep, per peer, each ${what} it has not acknowledged and send it again from a timer until it has; or gossip your state periodically so a peer that missed a message catches up.`,
        after: true,
      },
    ];
  }
  return [];
}

/** "12 to partitions, 3 lost": only the kinds of drop the run had. */
export function describeDrops(drops: { partition: number; lost: number; crashed: number }): string {
  const parts = [
    drops.partition ? `${drops.partition} to partitions` : "",
    drops.lost ? `${drops.lost} lost` : "",
    drops.crashed ? `${drops.crashed} to crashed nodes` : "",
  ];
  return parts.filter(Boolean).join(", ");
}

// ── The generic client checks, with causes first ─────────────────────────────────────────────────────

/**
 * The generic checks that judge client operations (availability, latency), with the root causes of a failure
 * said first. A workload spreads these into its own checks, which take precedence over the generic ones.
 */
export function diagnosedGenericChecks(options: Omit<DiagnoseOptions, "ops"> = {}): Record<string, CheckFn> {
  return {
    availability(run, params) {
      const outcome = genericChecks.availability!(run, params);
      if (outcome.ok) return outcome;
      return { ...outcome, message: explain(run, outcome.message, "", { ...options, needsPeerTraffic: false }) };
    },
    latency(run, params) {
      const outcome = genericChecks.latency!(run, params);
      if (outcome.ok) return outcome;
      const slowest = slowestOp(run);
      return { ...outcome, message: `${outcome.message}${slowest ? `. ${slowest}` : ""}` };
    },
  };
}

/**
 * Where the slowest ok operation spent its time: on the network, or inside the node between the request's
 * arrival and the reply (waiting for other nodes, or for a timer).
 */
function slowestOp(run: NodeRunData): string | undefined {
  const ops = completedOps(run.history).filter((op) => op.status === "ok");
  let worst: ClientOperation | undefined;
  for (const op of ops) if (!worst || op.returnMs - op.invokeMs > worst.returnMs - worst.invokeMs) worst = op;
  if (!worst) return undefined;
  const index = indexTrace(run);
  const request = requestOf(index, worst);
  const totalMs = worst.returnMs - worst.invokeMs;
  const head = `The slowest, ${worst.process}'s "${worst.f}" on ${worst.node} at ${formatMs(worst.invokeMs)}, took ${formatMs(totalMs)}`;
  if (!request?.recvMs) return `${head}.`;
  const reply = sentBetween(index, worst.node, request.recvMs, worst.returnMs).find((e) => e.dest === worst!.process && e.recvMs === worst!.returnMs);
  if (!reply) return `${head}.`;
  const insideMs = reply.sendMs - request.recvMs;
  const peers = sentBetween(index, worst.node, request.recvMs, reply.sendMs).filter((e) => !/^c\d+$/.test(e.dest)).length;
  const waited = insideMs > 0 ? `; ${formatMs(insideMs)} of it passed between ${worst.node} receiving the request and replying${peers ? ` (it sent ${peers} messages to other nodes meanwhile: each round trip adds network latency)` : " (waiting on a timer?)"}` : "; all of it on the network";
  return `${head}${waited}.`;
}

// ── The network ──────────────────────────────────────────────────────────────────────────────────────

/** The mean one-way network latency the knobs drew from. */
export function meanLatencyMs(latency: NodeRunData["knobs"]["latency"]): number {
  switch (latency.dist) {
    case "constant":
      return latency.ms;
    case "uniform":
      return (latency.minMs + latency.maxMs) / 2;
    case "exponential":
      return (latency.minMs ?? 0) + latency.meanMs;
  }
}
