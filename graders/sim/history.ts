/**
 * The client history, one record for every history the engine reads: the simulator's clients write it as a
 * run goes, `clusterlab check` reads it from a Jepsen file. A history is a list of `HistoryEvent`s in
 * Jepsen's shape (an `invoke`, then maybe one completion of the same process); every checker reads the
 * `Operation`s that `pairHistory` derives from it, in one place, by one rule.
 */
import { isDefiniteError } from "../protocol/errors.ts";

export type EventType = "invoke" | "ok" | "fail" | "info";

/** One event as recorded, in virtual time order. `V` is the value's type (a file's values are `Value`). */
export interface HistoryEvent<V = unknown> {
  /** The client that performed it ("c1"…, or a file's process number). */
  process: number | string;
  type: EventType;
  /** The operation: "echo", "generate", "broadcast", "read", "add", … */
  f: string;
  /** An invoke's argument; a completion's result (what was read, the id generated…). */
  value: V;
  /** Virtual time of the event; a file's line index when it has no time field. */
  timeMs: number;
  /** The node the request went to (the simulator's clients always name it). */
  node?: string;
  /** Error code of a `fail` or `info` completion, when there was one. */
  code?: number;
  /** The key of a keyed history (Jepsen's independent keys), as read from a file. */
  key?: string;
  /** 1-based line in the file it was read from. */
  line?: number;
}

/** An event a simulated client records: it always names its client ("c1") and the node it asked. */
export type ClientEvent = HistoryEvent & { process: string; node: string };

/**
 * How an operation ended. `info` is an unknown outcome: the client gave up (a timeout, an indefinite error
 * such as a crash) or the history ended before a completion; it may have taken effect at any later time.
 */
export type OperationStatus = "ok" | "fail" | "info";

/** An invoke paired with its completion. */
export interface Operation<V = unknown> {
  /** Index in invoke order, 0-based; stable across partitions and explanations. */
  id: number;
  process: number | string;
  f: string;
  key?: string;
  node?: string;
  /** The invoke's value (a write's value, a cas's [from, to], nil for a read). */
  value: V;
  /** The completion's value when the completion says what happened (ok, fail); else the invoke's value. */
  output: V;
  status: OperationStatus;
  /** The completion's error code, when it had one. */
  code?: number;
  invokeMs: number;
  /** When the completion was recorded; `Infinity` when there was none (the history ended first). */
  returnMs: number;
  /** 1-based line of the invoke (0 when not read from a file). */
  line: number;
  /** 1-based line of the completion that gave `output`, when there is one and it was read from a file. */
  outputLine?: number;
}

/** An operation of a simulated client: it always names its client and the node it asked. */
export type ClientOperation = Operation & { process: string; node: string };

/** How an operation ended, for messages: its status, or "pending" when the history ended before a completion. */
export function outcomeOf(op: Operation): OperationStatus | "pending" {
  return op.returnMs === Infinity ? "pending" : op.status;
}

/**
 * What a completion tells the client, by Maelstrom's rule: a `fail` whose error code is not definite (0
 * timeout, 13 crash, a code nobody defined) does not say that the operation did not happen, so it is `info`,
 * an unknown outcome; every checker then treats it so. A `fail` without a code keeps its meaning (Jepsen's
 * `:fail` is definite). An `info` stays `info` whatever its code: the client did not learn the outcome.
 */
export function completionStatus(type: Exclude<EventType, "invoke">, code: number | undefined): OperationStatus {
  return type === "fail" && code !== undefined && !isDefiniteError(code) ? "info" : type;
}

/**
 * Malformed input is the caller's policy: the file importer rejects it with the line, the simulator's
 * histories (well-formed by construction) are read leniently.
 */
export interface PairPolicy<E> {
  /** A process invokes again while its previous invoke is still open. Default: that one stays unpaired. */
  reinvoke?(open: E, next: E): void;
  /** A completion with no open invoke of its process. Default: ignored. */
  orphan?(completion: E): void;
  /** Called before an invoke and a completion are paired: throw to reject the pair. */
  match?(invoke: E, completion: E): void;
}

/**
 * Jepsen's pairing rule: each invoke is paired with the next completion of the same process. The
 * operations come in invoke order; an invoke never completed is `info` with an open end.
 */
export function pairHistory<V, E extends HistoryEvent<V>>(events: readonly E[], policy: PairPolicy<E> = {}): Operation<V>[] {
  const ops: Operation<V>[] = [];
  const open = new Map<number | string, { invoke: E; op: Operation<V> }>();
  for (const event of events) {
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending) policy.reinvoke?.(pending.invoke, event);
      const op = operationOf<V>(ops.length, event);
      ops.push(op);
      open.set(event.process, { invoke: event, op });
    } else if (!pending) {
      policy.orphan?.(event);
    } else {
      policy.match?.(pending.invoke, event);
      complete(pending.op, event);
      open.delete(event.process);
    }
  }
  return ops;
}

function operationOf<V>(id: number, invoke: HistoryEvent<V>): Operation<V> {
  const op: Operation<V> = { id, process: invoke.process, f: invoke.f, value: invoke.value, output: invoke.value, status: "info", invokeMs: invoke.timeMs, returnMs: Infinity, line: invoke.line ?? 0 };
  if (invoke.key !== undefined) op.key = invoke.key;
  if (invoke.node !== undefined) op.node = invoke.node;
  return op;
}

function complete<V>(op: Operation<V>, completion: HistoryEvent<V>): void {
  op.status = completionStatus(completion.type as Exclude<EventType, "invoke">, completion.code);
  op.returnMs = completion.timeMs;
  if (completion.code !== undefined) op.code = completion.code;
  // An unknown outcome keeps the invoke's value: the completion does not say what happened.
  if (op.status === "info") return;
  op.output = completion.value;
  if (completion.line) op.outputLine = completion.line;
}

/** One message in the trace, for the sequence view and message statistics. */
export interface TraceEntry {
  src: string;
  dest: string;
  type: string;
  sendMs: number;
  /** When it arrived, or undefined when it never did. */
  recvMs?: number;
  fate: "delivered" | "lost" | "partition" | "crashed" | "in-flight";
  bytes: number;
}
