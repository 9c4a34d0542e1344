// Public surface of the transactional anomaly checker (Elle's approach: dependencies from list-append or
// register histories, cycles in them, each named by Adya's anomaly classes).
export {
  checkTransactionHistory,
  checkTransactions,
  firstForbidden,
  forbiddenCycleDiagram,
  renderTxnResult,
  type TxnCheckOptions,
  type TxnCheckResult,
  type TxnVerdict,
} from "./check.ts";
export { cycleDiagram, cycleMermaid, describeDependency, describeTxn, drawCycle, explainAnomaly, type CycleDiagram } from "./explain.ts";
export { anomalyNames, consistencyModels, forbiddenBy, isConsistencyModel, type ConsistencyModel } from "./models.ts";
export { readTransactions, type TxnOperationLike } from "./read.ts";
export {
  isCycleAnomaly,
  type Anomaly,
  type AnomalyKind,
  type CycleAnomaly,
  type CycleAnomalyKind,
  type Dependency,
  type DependencyKind,
  type MicroOp,
  type ReadAnomaly,
  type ReadAnomalyKind,
  type Txn,
  type TxnShape,
  type TxnStatus,
} from "./types.ts";
