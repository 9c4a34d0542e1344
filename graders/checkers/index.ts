// Public surface of the checkers: a plain list of re-exports.
export { parseHistory, detectHistoryFormat, pairEvents, type FileEvent, type HistoryFormat, type ParsedHistory } from "./history/parse.ts";
export { readEdnLine } from "./history/edn.ts";
export { HistoryParseError, type Value } from "./history/types.ts";
export {
  checkLinearizability,
  prepareOperations,
  resolveModel,
  type LinearizabilityOptions,
  type LinearizabilityResult,
  type LinearizabilityVerdict,
} from "./linearizability/check.ts";
export { renderTimeline, renderViolation, type StuckOp, type TimelineOp, type Violation } from "./linearizability/explain.ts";
export {
  casRegisterModel,
  fromNondeterministic,
  kvModel,
  models,
  partitionByKey,
  perKey,
  registerModel,
  sameValue,
  type KvState,
  type Model,
  type NondeterministicModel,
} from "./linearizability/models.ts";
export { searchLinearization, type SearchLimits, type SearchOutcome, type SearchResult } from "./linearizability/search.ts";
export * from "./session.ts";
export { statusTimeline, type CommittedRewrite, type LogEntry, type NodeStatus, type Role, type StatusReport, type StatusTimeline } from "./consensus/status.ts";
export { checkElectionSafety, checkLeaderCompleteness, checkLogMatching, checkStateMachineSafety, type ConsensusViolation } from "./consensus/safety.ts";
export { checkElectionBound, electionTimeline, type ElectionTimeline } from "./consensus/election-bound.ts";
export { causalOpsFromKv, checkCausal, type CausalOp, type CausalOutcome, type CausalViolation } from "./causal.ts";
export * from "./transactions/index.ts";
export { checkDeadLetter, checkDelivered, checkExactlyOnce, checkFifo, checkVisibility, queueFacts, queueFigures, queueOps, type QueueFacts, type QueueOp } from "./queue.ts";
export { checkAllOrNothing, checkIdempotent, checkReverseOrder, sagaRecords, sagaState, type SagaRecord, type SagaState, type SagaStep } from "./saga.ts";
