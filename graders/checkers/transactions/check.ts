import { findCycles } from "./cycles.ts";
import { cycleDiagram, explainAnomaly, type CycleDiagram } from "./explain.ts";
import { inferDependencies } from "./infer.ts";
import { anomalyNames, forbiddenBy, type ConsistencyModel } from "./models.ts";
import { readTransactions, type TxnOperationLike } from "./read.ts";
import { isCycleAnomaly, type Anomaly, type AnomalyKind, type CycleAnomalyKind, type DependencyKind, type Txn, type TxnShape } from "./types.ts";

export interface TxnCheckOptions {
  model: ConsistencyModel;
  /** Default "list-append". */
  shape?: TxnShape;
  /** Budget of breadth-first visits for the cycle search (default 20 million). */
  stepsMax?: number;
}

export type TxnVerdict = "valid" | "invalid" | "unknown";

export interface TxnCheckResult {
  verdict: TxnVerdict;
  model: ConsistencyModel;
  shape: TxnShape;
  transactions: number;
  committed: number;
  failed: number;
  /** Transactions of unknown outcome (timeouts, crashes). */
  indeterminate: number;
  dependencies: Record<DependencyKind, number>;
  /** Every anomaly found (the first few of each kind), forbidden or not, smallest cycles first. */
  anomalies: Anomaly[];
  /** How many of each kind were found in all. */
  counts: Partial<Record<AnomalyKind, number>>;
  /** The kinds found that the model forbids, in the order the models list them (weakest first). */
  forbidden: AnomalyKind[];
  /** Cycle classes whose search the budget cut short, among those the model forbids. */
  unsearched: CycleAnomalyKind[];
  steps: number;
}

/** An anomaly kind in a summary: Adya's classes with their name, the others by name. */
const label = (kind: AnomalyKind): string => (kind.startsWith("G") ? `${kind} ${anomalyNames[kind]}` : anomalyNames[kind]);

const STEPS_MAX_DEFAULT = 20_000_000;
/** Anomalies of one kind kept in the result (all are counted). */
const KEEP_PER_KIND = 8;

/** Checks transactions against a consistency model: infers dependencies, finds cycles, names what it finds. */
export function checkTransactions(txns: readonly Txn[], options: TxnCheckOptions): TxnCheckResult {
  const shape = options.shape ?? "list-append";
  const { graph, anomalies: readAnomalies } = inferDependencies(txns, shape);
  const budget = { steps: 0, stepsMax: options.stepsMax ?? STEPS_MAX_DEFAULT };
  const cycles = findCycles(graph, budget);
  const all: Anomaly[] = [...cycles.anomalies.sort((a, b) => a.cycle.length - b.cycle.length), ...readAnomalies];
  const counts: Partial<Record<AnomalyKind, number>> = {};
  const kept: Anomaly[] = [];
  for (const a of all) {
    counts[a.kind] = (counts[a.kind] ?? 0) + 1;
    if (counts[a.kind]! <= KEEP_PER_KIND) kept.push(a);
  }
  const forbids = forbiddenBy(options.model);
  const forbidden = forbids.filter((kind) => counts[kind]);
  const unsearched = cycles.incomplete.filter((kind) => forbids.includes(kind));
  const dependencies: Record<DependencyKind, number> = { ww: 0, wr: 0, rw: 0 };
  for (const edge of graph.edges) dependencies[edge.kind]++;
  return {
    verdict: forbidden.length > 0 ? "invalid" : unsearched.length > 0 ? "unknown" : "valid",
    model: options.model,
    shape,
    transactions: txns.length,
    committed: txns.filter((t) => t.status === "ok").length,
    failed: txns.filter((t) => t.status === "fail").length,
    indeterminate: txns.filter((t) => t.status === "info").length,
    dependencies,
    anomalies: kept,
    counts,
    forbidden,
    unsearched,
    steps: budget.steps,
  };
}

/** The same from paired history operations (`f: "txn"`): a run's, or a file's. */
export function checkTransactionHistory(ops: readonly TxnOperationLike[], options: TxnCheckOptions): { result: TxnCheckResult; txns: Txn[] } {
  const txns = readTransactions(ops, options.shape ?? "list-append");
  return { result: checkTransactions(txns, options), txns };
}

/** The first anomaly of a forbidden kind, weakest kind first: the one a report shows. */
export function firstForbidden(result: TxnCheckResult): Anomaly | undefined {
  for (const kind of result.forbidden) {
    const found = result.anomalies.find((a) => a.kind === kind);
    if (found) return found;
  }
  return undefined;
}

/** The smallest forbidden cycle as a diagram, when the verdict rests on one. */
export function forbiddenCycleDiagram(result: TxnCheckResult, txns: readonly Txn[]): CycleDiagram | undefined {
  const anomaly = result.anomalies.find((a) => isCycleAnomaly(a) && result.forbidden.includes(a.kind));
  return anomaly && isCycleAnomaly(anomaly) ? cycleDiagram(anomaly, txns, result.shape) : undefined;
}

/**
 * The verdict in words: a summary line, then every forbidden kind found with its first example explained,
 * then the allowed kinds found (what the model lets through, named so that a learner sees it is allowed).
 */
export function renderTxnResult(result: TxnCheckResult, txns: readonly Txn[], options: { examples?: number } = {}): string {
  const modelName = result.model.replace(/-/g, " ");
  const lines: string[] = [];
  const deps = `${result.dependencies.ww} ww, ${result.dependencies.wr} wr, ${result.dependencies.rw} rw dependencies`;
  const size = `${result.transactions} transactions (${result.committed} committed, ${result.failed} failed, ${result.indeterminate} unknown); ${deps}`;
  if (result.verdict === "valid") lines.push(`valid under ${modelName}: ${size}`);
  else if (result.verdict === "unknown") lines.push(`unknown under ${modelName}: the cycle search ran out of budget before it finished ${result.unsearched.join(", ")} (${size})`);
  else lines.push(`not ${modelName}: ${result.forbidden.map((k) => `${label(k)} ×${result.counts[k]}`).join(", ")}; ${size}`);
  const examples = options.examples ?? 1;
  for (const kind of result.forbidden) {
    for (const a of result.anomalies.filter((x) => x.kind === kind).slice(0, examples)) lines.push("", explainAnomaly(a, txns, result.shape));
  }
  const allowed = (Object.keys(result.counts) as AnomalyKind[]).filter((k) => !result.forbidden.includes(k));
  if (allowed.length > 0) lines.push("", `Also found, allowed under ${modelName}: ${allowed.map((k) => `${label(k)} ×${result.counts[k]}`).join(", ")}.`);
  return lines.join("\n");
}
