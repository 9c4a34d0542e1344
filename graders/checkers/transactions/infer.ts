import type { DependencyGraph } from "./graph.ts";
import { inferListAppend } from "./list-append.ts";
import { inferRwRegister } from "./rw-register.ts";
import type { ReadAnomaly, Txn, TxnShape } from "./types.ts";

/** What a shape's inference gives the cycle search: the dependency graph, and the anomalies reads show alone. */
export interface Inference {
  graph: DependencyGraph;
  anomalies: ReadAnomaly[];
}

export function inferDependencies(txns: readonly Txn[], shape: TxnShape): Inference {
  return shape === "list-append" ? inferListAppend(txns) : inferRwRegister(txns);
}
