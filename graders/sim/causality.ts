/**
 * The true happens-before relation of a run, as the simulator saw it: every step of every node (its boot,
 * a timer, a delivered message, a turn of promise continuations) in the order it ran, and every message
 * with the step that sent it. A step's vector clock counts, per node, the steps of that node that happened
 * before it or are it: program order on each node plus one edge per delivered message (Lamport's
 * relation, with each step as one event). Clients are outside the system: a request or reply carries no
 * causality between nodes.
 *
 * Recorded only for workloads that ask (Workload.recordsCausality): the log costs a vector per step.
 */

export type StepKind = "init" | "message" | "timer" | "flush";

export interface CausalStep {
  node: string;
  kind: StepKind;
  timeMs: number;
  /** The delivered message (index into `messages`), for a "message" step. */
  msg?: number;
  /** Per node (in `nodeIds` order), how many of its steps happened before this one or are this one. */
  clock: number[];
}

export interface CausalMessage {
  src: string;
  dest: string;
  /** The step that sent it (index into `steps`); -1 for a client's request. */
  step: number;
  /** A client request's msg_id, which the reply's in_reply_to names. */
  clientMsgId?: number;
}

export interface CausalLog {
  nodeIds: string[];
  steps: CausalStep[];
  messages: CausalMessage[];
  /** The log stopped at its cap: relations involving later steps are unknown. */
  truncated: boolean;
}

/** Steps and messages kept per run; a scenario of a few simulated seconds makes a few thousand. */
export const causalEntriesMax = 200_000;

export class CausalRecorder {
  private readonly index = new Map<string, number>();
  private readonly last: number[];
  private readonly log: CausalLog;
  /** The step whose effects are being applied, or -1 outside a node's call. */
  current = -1;

  constructor(nodeIds: readonly string[]) {
    nodeIds.forEach((id, i) => this.index.set(id, i));
    this.last = nodeIds.map(() => -1);
    this.log = { nodeIds: [...nodeIds], steps: [], messages: [], truncated: false };
  }

  /** A message put on the network; returns its index (-1 once the log is full). */
  message(src: string, dest: string, clientMsgId?: number): number {
    if (this.full()) return -1;
    const m: CausalMessage = { src, dest, step: this.index.has(src) ? this.current : -1 };
    if (clientMsgId !== undefined) m.clientMsgId = clientMsgId;
    return this.log.messages.push(m) - 1;
  }

  /** A node's step begins; `msg` is the message it handles (-1 for none). Sets `current`. */
  step(node: string, kind: StepKind, timeMs: number, msg = -1): void {
    const n = this.index.get(node);
    if (n === undefined || this.full()) {
      this.current = -1;
      return;
    }
    const prev = this.last[n]!;
    const clock = prev >= 0 ? [...this.log.steps[prev]!.clock] : this.log.nodeIds.map(() => 0);
    const sender = msg >= 0 ? this.log.messages[msg]!.step : -1;
    if (sender >= 0) {
      const theirs = this.log.steps[sender]!.clock;
      for (let i = 0; i < clock.length; i++) clock[i] = Math.max(clock[i]!, theirs[i]!);
    }
    clock[n]!++;
    const step: CausalStep = { node, kind, timeMs, clock };
    if (msg >= 0) step.msg = msg;
    this.current = this.log.steps.push(step) - 1;
    this.last[n] = this.current;
  }

  private full(): boolean {
    if (this.log.steps.length + this.log.messages.length < causalEntriesMax) return false;
    this.log.truncated = true;
    return true;
  }

  result(): CausalLog {
    return this.log;
  }
}

/** Whether step `a` happened before step `b` (a strict order: a step did not happen before itself). */
export function stepHappenedBefore(log: CausalLog, a: number, b: number): boolean {
  if (a === b) return false;
  const sa = log.steps[a]!;
  const sb = log.steps[b]!;
  const n = log.nodeIds.indexOf(sa.node);
  // a's own entry counts a and everything before it on its node: b saw a iff b's view of that node reaches it.
  return sb.clock[n]! >= sa.clock[n]!;
}

/** How two steps relate: "before" (a → b), "after" (b → a), "concurrent", or "same". */
export function stepRelation(log: CausalLog, a: number, b: number): "before" | "after" | "concurrent" | "same" {
  if (a === b) return "same";
  if (stepHappenedBefore(log, a, b)) return "before";
  if (stepHappenedBefore(log, b, a)) return "after";
  return "concurrent";
}
