import { canonicalValue } from "../history/value.ts";
import { ALL, components, KIND_BIT, shortestPath, WW, WW_WR, type DependencyGraph, type SearchBudget } from "./graph.ts";
import type { CycleAnomaly, CycleAnomalyKind, DependencyKind } from "./types.ts";

/**
 * After the first cycle of a component is found, this many more closing edges are tried for a shorter one.
 * Below it the cycle reported is the smallest; in a component with more closing edges it is the smallest
 * among those tried (the verdict does not depend on it: one cycle of the class is proof enough).
 */
const MORE_TRIES = 200;

export interface CycleSearch {
  anomalies: CycleAnomaly[];
  /**
   * The classes whose search the budget cut short: for them "none found" proves nothing. A class found
   * in some component before the cut is still proven.
   */
  incomplete: CycleAnomalyKind[];
}

/**
 * Finds the cycles of each class (Adya's G0, G1c, G-single, G2), one per strongly connected component,
 * each the smallest found. A cycle of a class is found as one edge that the class must contain (ww, wr, rw)
 * closed by the shortest path back over the kinds the class allows:
 * - G0: ww edges only;
 * - G1c: a wr edge, closed over ww and wr (no anti-dependency);
 * - G-single: an rw edge, closed over ww and wr (exactly one anti-dependency);
 * - G2: an rw edge closed over every kind, searched only in components where no cycle with fewer
 *   anti-dependencies exists, so that what it finds has at least two.
 */
export function findCycles(graph: DependencyGraph, budget: SearchBudget): CycleSearch {
  const anomalies: CycleAnomaly[] = [];
  const incomplete: CycleAnomalyKind[] = [];
  /** Transactions already on a cycle of a class below G2, by full component. */
  const explained = new Set<number>();
  const full = components(graph, ALL);

  const search = (kind: CycleAnomalyKind, mask: number, closing: DependencyKind, closeOver: number): void => {
    const { of, cyclic } = mask === ALL ? full : components(graph, mask);
    for (const members of cyclic) {
      const component = of[members[0]!]!;
      if (kind === "G2" && explained.has(full.of[members[0]!]!)) continue;
      const found = smallestThrough(graph, members, of, component, closing, closeOver, budget);
      if (found === "budget") {
        incomplete.push(kind);
        return;
      }
      if (!found) continue;
      const cycle = found.map((e) => graph.edges[e]!);
      const anomaly: CycleAnomaly = { kind, cycle };
      if (kind === "G-single" && isLostUpdate(cycle)) anomaly.lostUpdate = true;
      anomalies.push(anomaly);
      if (kind !== "G2") explained.add(full.of[cycle[0]!.from]!);
    }
  };

  search("G0", WW, "ww", WW);
  search("G1c", WW_WR, "wr", WW_WR);
  search("G-single", ALL, "rw", WW_WR);
  // G2 is searched where nothing smaller was found; if a smaller class was cut short, that is unknown too.
  if (incomplete.length > 0) incomplete.push("G2");
  else search("G2", ALL, "rw", ALL);
  return { anomalies, incomplete };
}

/** The shortest cycle in a component through an edge of kind `closing`, closed over `closeOver`. */
function smallestThrough(
  graph: DependencyGraph,
  members: readonly number[],
  of: Int32Array,
  component: number,
  closing: DependencyKind,
  closeOver: number,
  budget: SearchBudget,
): number[] | undefined | "budget" {
  let best: number[] | undefined;
  let triesLeft = MORE_TRIES;
  for (const v of members) {
    for (const e of graph.out[v]!) {
      const edge = graph.edges[e]!;
      if (edge.kind !== closing || of[edge.to] !== component) continue;
      const back = shortestPath(graph, edge.to, v, closeOver, of, component, budget);
      if (budget.steps > budget.stepsMax) return best ?? "budget";
      if (back && (!best || back.length + 1 < best.length)) best = [e, ...back];
      if (best && (best.length === 2 || --triesLeft === 0)) return best;
    }
  }
  return best;
}

/** Two transactions that each overwrote the version of one key the other had read: both read it, both wrote it. */
function isLostUpdate(cycle: readonly { kind: DependencyKind; key: unknown }[]): boolean {
  if (cycle.length !== 2) return false;
  const kinds = cycle.map((d) => KIND_BIT[d.kind]).reduce((a, b) => a | b, 0);
  return kinds === (KIND_BIT.ww | KIND_BIT.rw) && canonicalValue(cycle[0]!.key) === canonicalValue(cycle[1]!.key);
}
