// Builders of the engine's run data for checker tests: histories are built as a client records them and
// paired by the engine's own rule (graders/sim/history.ts), so no test hand-writes a derived operation.
import { pairHistory, type ClientEvent, type ClientOperation, type OperationStatus } from "../../graders/sim/history.ts";

/** How a test operation ended: a completion's status, or "pending" (the history ended before one). */
export type Outcome = OperationStatus | "pending";

export interface OpSpec {
  process: string;
  f: string;
  node?: string;
  /** The invoke's value. */
  value: unknown;
  /** The completion's value (what a read returned). */
  output?: unknown;
  outcome?: Outcome;
  invokeMs: number;
  returnMs: number;
  code?: number;
}

/** The invoke and completion a simulated client records for the operation. */
export function clientEvents(spec: OpSpec): ClientEvent[] {
  const node = spec.node ?? "n1";
  const outcome = spec.outcome ?? "ok";
  const invoke: ClientEvent = { process: spec.process, type: "invoke", f: spec.f, value: spec.value, timeMs: spec.invokeMs, node };
  if (outcome === "pending") return [invoke];
  const completion: ClientEvent = { process: spec.process, type: outcome, f: spec.f, value: outcome === "ok" ? spec.output : spec.value, timeMs: spec.returnMs, node };
  if (spec.code !== undefined) completion.code = spec.code;
  return [invoke, completion];
}

/** One operation as the checkers see it: its events paired by the engine's rule. */
export function clientOp(spec: OpSpec): ClientOperation {
  return pairHistory(clientEvents(spec))[0] as ClientOperation;
}
