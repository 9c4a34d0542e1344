/**
 * Maelstrom's error codes: one table for the node runtime, the workloads, the checkers and the docs.
 *
 * "Definite" is what a client may conclude from the error: a definite error means the operation did not
 * happen (and never will), so a checker may treat it as failed; an indefinite one (a timeout, a crash)
 * means it may or may not have happened, so the operation stays open in the history.
 */
export interface ErrorCodeInfo {
  code: number;
  name: string;
  definite: boolean;
  doc: string;
}

export const ErrorCode = {
  Timeout: 0,
  NodeNotFound: 1,
  NotSupported: 10,
  TemporarilyUnavailable: 11,
  MalformedRequest: 12,
  Crash: 13,
  Abort: 14,
  KeyDoesNotExist: 20,
  KeyAlreadyExists: 21,
  PreconditionFailed: 22,
  TxnConflict: 30,
} as const;

export const errorCodes: readonly ErrorCodeInfo[] = [
  { code: ErrorCode.Timeout, name: "timeout", definite: false, doc: "No reply in time: the request may or may not have taken effect." },
  { code: ErrorCode.NodeNotFound, name: "node-not-found", definite: true, doc: "The request was sent to a node that does not exist." },
  { code: ErrorCode.NotSupported, name: "not-supported", definite: true, doc: "The node has no handler for this request type." },
  { code: ErrorCode.TemporarilyUnavailable, name: "temporarily-unavailable", definite: true, doc: "The node cannot serve the request now (e.g. no leader, no quorum); it did not happen." },
  { code: ErrorCode.MalformedRequest, name: "malformed-request", definite: true, doc: "The request did not match the schema the node expects." },
  { code: ErrorCode.Crash, name: "crash", definite: false, doc: "The node's handler crashed while serving the request: it may have taken effect." },
  { code: ErrorCode.Abort, name: "abort", definite: true, doc: "The node aborted the operation; it did not happen." },
  { code: ErrorCode.KeyDoesNotExist, name: "key-does-not-exist", definite: true, doc: "The key read or updated has no value." },
  { code: ErrorCode.KeyAlreadyExists, name: "key-already-exists", definite: true, doc: "The key created already has a value." },
  { code: ErrorCode.PreconditionFailed, name: "precondition-failed", definite: true, doc: "A compare-and-set found another value than expected; nothing was written." },
  { code: ErrorCode.TxnConflict, name: "txn-conflict", definite: true, doc: "The transaction conflicted with another and was aborted." },
];

const byCode = new Map(errorCodes.map((info) => [info.code, info]));

export function errorCodeInfo(code: number): ErrorCodeInfo | undefined {
  return byCode.get(code);
}

/**
 * Whether an error reply with this code means the operation did not happen. Unknown codes are treated as
 * indefinite, Maelstrom's rule: a client cannot assume what it does not know.
 */
export function isDefiniteError(code: unknown): boolean {
  return typeof code === "number" && (byCode.get(code)?.definite ?? false);
}

/**
 * The table as the docs learners read it, one line a code (the node API reference, harness/node/api.ts, holds
 * these lines between its <error-codes> marks: scripts/error-docs.ts writes them, a test holds them equal).
 */
export function errorCodeDocLines(): string[] {
  return errorCodes.map((e) => `${e.code} ${e.name} (${e.definite ? "definite" : "indefinite"}): ${e.doc}`);
}
