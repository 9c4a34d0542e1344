import type { Dependency, DependencyKind } from "./types.ts";

/** Kinds of dependency as bits, so a search can follow a chosen subset (ww only, ww and wr, all). */
export const KIND_BIT: Record<DependencyKind, number> = { ww: 1, wr: 2, rw: 4 };
export const WW = KIND_BIT.ww;
export const WW_WR = KIND_BIT.ww | KIND_BIT.wr;
export const ALL = KIND_BIT.ww | KIND_BIT.wr | KIND_BIT.rw;

/**
 * The dependency graph over transactions 0…size-1. One edge per (from, to, kind): the first dependency
 * that gave it explains it. Self-dependencies are never added (a transaction may read its own writes).
 */
export class DependencyGraph {
  readonly size: number;
  readonly edges: Dependency[] = [];
  /** Edge indexes leaving each transaction, in the order they were added. */
  readonly out: number[][];
  private readonly seen = new Set<number>();

  constructor(size: number) {
    this.size = size;
    this.out = Array.from({ length: size }, () => []);
  }

  add(dep: Dependency): void {
    if (dep.from === dep.to) return;
    const id = (dep.from * this.size + dep.to) * 4 + KIND_BIT[dep.kind];
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.out[dep.from]!.push(this.edges.length);
    this.edges.push(dep);
  }
}

/**
 * Strongly connected components over the edges whose kind is in `mask` (Tarjan's algorithm, iterative so
 * that a long chain of dependencies cannot overflow the stack). Returns each transaction's component
 * number, and the components with more than one member (only those can hold a cycle: no self-edges).
 */
export function components(graph: DependencyGraph, mask: number): { of: Int32Array; cyclic: number[][] } {
  const n = graph.size;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const of = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const cyclic: number[][] = [];
  let counter = 0;
  let componentCount = 0;
  // Each frame: the transaction and how far through its out-edges the walk has got.
  const frames: Array<{ v: number; next: number }> = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    frames.push({ v: root, next: 0 });
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const out = graph.out[frame.v]!;
      let descended = false;
      while (frame.next < out.length) {
        const edge = graph.edges[out[frame.next++]!]!;
        if ((KIND_BIT[edge.kind] & mask) === 0) continue;
        const w = edge.to;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push({ v: w, next: 0 });
          descended = true;
          break;
        }
        if (onStack[w]) low[frame.v] = Math.min(low[frame.v]!, index[w]!);
      }
      if (descended) continue;
      frames.pop();
      const v = frame.v;
      const parent = frames[frames.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v]!, low[v]!);
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          of[w] = componentCount;
          members.push(w);
        } while (w !== v);
        componentCount++;
        if (members.length > 1) cyclic.push(members.sort((a, b) => a - b));
      }
    }
  }
  return { of, cyclic };
}

/** A budget of BFS visits shared by every search of one check, so that a huge tangle cannot run forever. */
export interface SearchBudget {
  steps: number;
  stepsMax: number;
}

/**
 * The shortest path from `start` to `goal` over edges of `mask` that stay inside component `component`
 * (per `of`), as edge indexes; undefined when there is none or the budget ran out (then `budget.steps`
 * has passed `budget.stepsMax`). Breadth first, edges in insertion order, so the answer is deterministic.
 */
export function shortestPath(graph: DependencyGraph, start: number, goal: number, mask: number, of: Int32Array, component: number, budget: SearchBudget): number[] | undefined {
  if (start === goal) return [];
  const via = new Map<number, number>(); // transaction → edge index that reached it
  const queue = [start];
  via.set(start, -1);
  for (let head = 0; head < queue.length; head++) {
    if (++budget.steps > budget.stepsMax) return undefined;
    const v = queue[head]!;
    for (const e of graph.out[v]!) {
      const edge = graph.edges[e]!;
      if ((KIND_BIT[edge.kind] & mask) === 0 || of[edge.to] !== component || via.has(edge.to)) continue;
      via.set(edge.to, e);
      if (edge.to === goal) {
        const path: number[] = [];
        for (let at = goal; at !== start; at = graph.edges[via.get(at)!]!.from) path.push(via.get(at)!);
        return path.reverse();
      }
      queue.push(edge.to);
    }
  }
  return undefined;
}
