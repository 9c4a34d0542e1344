// Times the transactional anomaly checker on 10,000-transaction list-append histories generated here,
// deterministically (a fixed seed, our own generator), by a simulated database at two isolation levels:
// - serializable: optimistic concurrency that validates every key read (no anomaly: every component of
//   the dependency graph is one transaction, so the cycle search has nothing to do);
// - snapshot isolation: first committer wins on the keys written only, so write skew commits (G2 cycles,
//   which the search must find, and show that no cycle with fewer anti-dependencies exists).
// Runnable directly: npm exec -- node bench/transactions.ts
import { checkTransactions, type ConsistencyModel, type MicroOp, type Txn, type TxnCheckResult } from "../graders/checkers/index.ts";

export interface TransactionsBenchRow {
  history: string;
  model: ConsistencyModel;
  transactions: number;
  /** Median wall time of one whole check (inference, components, cycle search), milliseconds. */
  ms: number;
  verdict: string;
  dependencies: number;
  anomalies: string;
}

const TRANSACTIONS = 10_000;
const KEYS = 200;
/** Bound on one check: past it the bench reports a failure of the target. */
const LIMIT_MS = 5000;

/** A small deterministic generator (xorshift32), so the history is the same on every machine. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/**
 * A history of `count` transactions from a simulated multi-version store: each transaction reads a
 * snapshot a few commits old (up to 8 behind, as with replicas that lag) and is validated at commit on the
 * keys it read (serializable) or on the keys it appends to (snapshot isolation). Aborted ones are kept as
 * failed transactions, as a client would record them.
 */
export function generateHistory(count: number, level: "serializable" | "snapshot-isolation", seed = 1): Txn[] {
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const lists: number[][] = Array.from({ length: KEYS }, () => []);
  // Per key, the commit index of its last append, and the list length at each commit (to read snapshots).
  const lastWrite = new Int32Array(KEYS);
  const history: Array<{ key: number; length: number; commit: number }> = [];
  const nextValue = new Int32Array(KEYS);
  let commits = 0;
  const txns: Txn[] = [];
  for (let id = 0; id < count; id++) {
    const snapshot = Math.max(0, commits - int(9));
    const ops: MicroOp[] = [];
    const reads = new Set<number>();
    const writes = new Set<number>();
    const own = new Map<number, number[]>();
    const length = 1 + int(4);
    for (let i = 0; i < length; i++) {
      // Half the operations go to 20 hot keys, so that transactions meet.
      const key = random() < 0.5 ? int(20) : int(KEYS);
      if (random() < 0.5) {
        const value = ++nextValue[key]!;
        ops.push({ f: "append", key, value });
        writes.add(key);
        own.set(key, [...(own.get(key) ?? []), value]);
      } else {
        reads.add(key);
        const list = [...snapshotList(lists[key]!, history, key, snapshot), ...(own.get(key) ?? [])];
        ops.push({ f: "r", key, value: list.length > 0 ? list : null });
      }
    }
    const checked = level === "serializable" ? reads : writes;
    const conflict = [...checked].some((key) => lastWrite[key]! > snapshot);
    const status = conflict && writes.size > 0 ? "fail" : "ok";
    if (status === "ok" && writes.size > 0) {
      commits++;
      for (const op of ops) {
        if (op.f !== "append") continue;
        const key = op.key as number;
        lists[key]!.push(op.value as number);
        lastWrite[key] = commits;
        history.push({ key, length: lists[key]!.length, commit: commits });
      }
    }
    txns.push({ id, process: id % 50, status, ops, invokeMs: id, returnMs: id + 1, where: `transaction ${id}` });
  }
  return txns;
}

/** A key's list as of commit `snapshot`: its prefix of the length it had then. */
function snapshotList(list: number[], history: ReadonlyArray<{ key: number; length: number; commit: number }>, key: number, snapshot: number): number[] {
  let length = list.length;
  for (let i = history.length - 1; i >= 0 && history[i]!.commit > snapshot; i--) if (history[i]!.key === key) length = Math.min(length, history[i]!.length - 1);
  return list.slice(0, length);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeCheck(txns: readonly Txn[], model: ConsistencyModel, budgetMs: number): { ms: number; result: TxnCheckResult } {
  let result = checkTransactions(txns, { model }); // warm-up (JIT)
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 15 && (samples.length < 3 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    result = checkTransactions(txns, { model });
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), result };
}

export async function benchTransactions(options: { print?: (line: string) => void; budgetMs?: number; transactions?: number } = {}): Promise<TransactionsBenchRow[]> {
  const print = options.print ?? ((line: string) => console.log(line));
  const count = options.transactions ?? TRANSACTIONS;
  const rows: TransactionsBenchRow[] = [];
  const cases: Array<[history: "serializable" | "snapshot-isolation", model: ConsistencyModel]> = [
    ["serializable", "serializable"],
    ["snapshot-isolation", "snapshot-isolation"],
    ["snapshot-isolation", "serializable"],
  ];
  for (const [level, model] of cases) {
    const txns = generateHistory(count, level);
    const { ms, result } = timeCheck(txns, model, options.budgetMs ?? 1000);
    const deps = result.dependencies.ww + result.dependencies.wr + result.dependencies.rw;
    const anomalies = Object.entries(result.counts).map(([k, n]) => `${k} ×${n}`).join(", ") || "none";
    rows.push({ history: level, model, transactions: txns.length, ms, verdict: result.verdict, dependencies: deps, anomalies });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  print(`transactional anomaly checker (list-append, ${count} transactions, generated): median ms of one check`);
  print(`  ${"history from".padEnd(19)} ${"checked as".padEnd(19)} ${"verdict".padEnd(8)} ${"deps".padStart(7)} ${"ms".padStart(8)}  anomalies`);
  for (const r of rows) {
    const flag = r.ms > LIMIT_MS ? `  over the ${LIMIT_MS} ms limit` : "";
    print(`  ${r.history.padEnd(19)} ${r.model.padEnd(19)} ${r.verdict.padEnd(8)} ${String(r.dependencies).padStart(7)} ${r.ms.toFixed(1).padStart(8)}  ${r.anomalies}${flag}`);
  }
  return rows;
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) {
  const rows = await benchTransactions();
  // What each simulated level must give: no anomaly when serializable; write skew (G2) but nothing
  // snapshot isolation forbids when snapshot isolation.
  const expected = (r: TransactionsBenchRow) => (r.history === r.model ? "valid" : "invalid");
  const wrong = rows.filter((r) => r.verdict !== expected(r) || r.ms > LIMIT_MS);
  if (wrong.length > 0) {
    console.error(`unexpected: ${wrong.map((r) => `${r.history} as ${r.model}: ${r.verdict} ${r.ms.toFixed(0)} ms`).join(", ")}`);
    process.exitCode = 1;
  }
}
