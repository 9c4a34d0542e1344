import { isDefiniteError } from "../../protocol/errors.ts";

/**
 * Jepsen's pairing rule, shared by the history importer (files) and the simulator's own histories: each invoke
 * is paired with the next completion of the same process. Malformed input is the caller's policy: the importer
 * rejects it with the line, the simulator's histories (well-formed by construction) are read leniently.
 */
export interface PairPolicy<E> {
  /** A process invokes again while its previous invoke is still open. Default: that one stays unpaired. */
  reinvoke?(open: E, next: E): void;
  /** A completion with no open invoke of its process. Default: ignored. */
  orphan?(completion: E): void;
  /** Called before an invoke and a completion are paired: throw to reject the pair. */
  match?(invoke: E, completion: E): void;
}

export interface EventPair<E> {
  invoke: E;
  /** Undefined when the process never completed it. */
  completion: E | undefined;
}

/** The invokes in order, each with its completion. */
export function pairByProcess<E extends { process: number | string; type: string }>(events: readonly E[], policy: PairPolicy<E> = {}): EventPair<E>[] {
  const pairs: EventPair<E>[] = [];
  const open = new Map<number | string, EventPair<E>>();
  for (const event of events) {
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending) policy.reinvoke?.(pending.invoke, event);
      const pair: EventPair<E> = { invoke: event, completion: undefined };
      pairs.push(pair);
      open.set(event.process, pair);
    } else if (!pending) {
      policy.orphan?.(event);
    } else {
      policy.match?.(pending.invoke, event);
      pending.completion = event;
      open.delete(event.process);
    }
  }
  return pairs;
}

/**
 * What a completion tells the client, by Maelstrom's rule: a `fail` whose error code is not definite (0
 * timeout, 13 crash, a code nobody defined) does not say that the operation did not happen, so it is `info`,
 * an unknown outcome; every checker then treats it so. A `fail` without a code keeps its meaning (Jepsen's
 * `:fail` is definite). An `info` stays `info` whatever its code: the client did not learn the outcome.
 */
export function completionType(type: string, code: number | undefined): string {
  return type === "fail" && code !== undefined && !isDefiniteError(code) ? "info" : type;
}
