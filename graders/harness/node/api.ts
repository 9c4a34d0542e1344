// The API a learner's solution sees. This file holds type declarations only: the CLI type check and the
// editor wrap it verbatim in `declare module "clusterlab" { … }`, so what they check is what runs.

/** A message body. `type` names the message; replies use `<type>_ok` or `error`. */
export interface Body {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [field: string]: any;
}

/** A message on the wire (Maelstrom's envelope). Node ids are n1…nN, clients c1…cK. */
export interface Message<B extends Body = Body> {
  src: string;
  dest: string;
  body: B;
}

/**
 * An error reply, with Maelstrom's codes. A definite error tells the client the operation did not happen (and
 * never will); an indefinite one that it may have, so the client cannot treat it as failed. The codes
 * (written from graders/protocol/errors.ts by scripts/error-docs.ts):
 * <error-codes>
 *   0 timeout (indefinite): No reply in time: the request may or may not have taken effect.
 *   1 node-not-found (definite): The request was sent to a node that does not exist.
 *   10 not-supported (definite): The node has no handler for this request type.
 *   11 temporarily-unavailable (definite): The node cannot serve the request now (e.g. no leader, no quorum); it did not happen.
 *   12 malformed-request (definite): The request did not match the schema the node expects.
 *   13 crash (indefinite): The node's handler crashed while serving the request: it may have taken effect.
 *   14 abort (definite): The node aborted the operation; it did not happen.
 *   20 key-does-not-exist (definite): The key read or updated has no value.
 *   21 key-already-exists (definite): The key created already has a value.
 *   22 precondition-failed (definite): A compare-and-set found another value than expected; nothing was written.
 *   30 txn-conflict (definite): The transaction conflicted with another and was aborted.
 * </error-codes>
 */
export interface ErrorBody extends Body {
  type: "error";
  code: number;
  text?: string;
}

export type Handler = (msg: Message) => void | Promise<void>;

/** Durable storage: survives a crash of this node (everything else in memory is lost). Values are JSON. */
export interface Storage {
  get<T = any>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  keys(): string[];
}

export interface RpcOptions {
  /** Reject with an error of code 0 after this many ms of this node's clock without a reply (default 1000). */
  timeoutMs?: number;
}

/** Raised by `node.rpc` when the reply is an error body or the call timed out (code 0). */
export interface RpcError extends Error {
  code: number;
  body?: ErrorBody;
}

export interface Node {
  /** This node's id, e.g. "n3". */
  readonly id: string;
  /** Every other node's id. */
  readonly peers: readonly string[];
  /** Every node's id, this one included, in order. */
  readonly nodeIds: readonly string[];
  /** Handle messages of one type. A second call for the same type replaces the handler. */
  on(type: string, handler: Handler): void;
  /** Send a message; delivery is not guaranteed (the network may drop, delay, duplicate or reorder it). */
  send(dest: string, body: Body): void;
  /** Reply to a request: sets `in_reply_to` from the request's `msg_id`. */
  reply(request: Message, body: Body): void;
  /** Send a request and wait for its reply. Rejects with an RpcError on an error reply or timeout. */
  rpc(dest: string, body: Body, options?: RpcOptions): Promise<Message>;
  /**
   * Run `fn` once after `ms` milliseconds of this node's clock (`now()` reads `ms` more in `fn`). Timers run
   * off the same clock as `now()`: on a clock that runs 2% slow, `after(300)` fires 306 ms later in true time.
   * Returns a timer id for `cancel`.
   */
  after(ms: number, fn: () => void): number;
  /** Run `fn` every `ms` milliseconds of this node's clock (drifting with it, as `after` does). Returns a timer id for `cancel`. */
  every(ms: number, fn: () => void): number;
  cancel(timerId: number): void;
  /** This node's local clock in ms. It may be skewed against other nodes' clocks and may drift; this node's timers drift with it. */
  now(): number;
  /** A deterministic random number in [0, 1) from this node's own stream. */
  random(): number;
  readonly storage: Storage;
  /** Write a line to this node's log (shown with failures; capped). */
  log(...args: unknown[]): void;
}
