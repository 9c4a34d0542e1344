// Times the linearizability checker on Porcupine's six kv histories (tests/fixtures/porcupine-kv) and
// prints the figures beside Porcupine's (Go) on a machine of this kind; then the explanation of failing
// replicated-kv runs (tests/fixtures/lin-kv: histories of its wrong solutions), whose shrinking must stay
// within a small multiple of the verdict's time. Runnable directly:
//   npm exec -- node bench/linearizability.ts
import { readFileSync, readdirSync } from "node:fs";
import { checkLinearizability, parseHistory, type Model, type Value } from "../graders/checkers/index.ts";
import { casRegisterModel, perKey } from "../graders/checkers/linearizability/models.ts";
import type { Operation } from "../graders/sim/history.ts";

export interface LinearizabilityBenchRow {
  name: string;
  /** Median wall time of the check (verdict only, no explanation), milliseconds. */
  ms: number;
  verdict: string;
  ops: number;
  /** Porcupine's figure for the same history, when known (ms). */
  porcupineMs?: number;
  /** Time to shrink and explain the violation (bad histories), median, milliseconds. */
  explainMs?: number;
}

const HISTORIES = ["c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad"] as const;
/** Porcupine (Go), same histories, a 2-core machine of this kind. */
const PORCUPINE_MS: Partial<Record<(typeof HISTORIES)[number], number>> = { "c10-ok": 4, "c50-ok": 340, "c50-bad": 14 };
/** Bound on any single history: past it the bench reports a failure of the target. */
const LIMIT_MS = 2000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeRuns(
  operations: readonly Operation<Value>[],
  explain: boolean,
  budgetMs: number,
  model: string | Model<any> = "kv",
): { ms: number; verdict: string } {
  // Warm-up run (JIT), then repeat until ~budgetMs is spent, between 3 and 25 runs.
  const options = { explain, wallMs: 30_000, explainWallMs: 30_000 };
  let verdict = checkLinearizability(operations, model, options).verdict;
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 25 && (samples.length < 3 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    verdict = checkLinearizability(operations, model, options).verdict;
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), verdict };
}

export interface ExplanationBenchRow {
  name: string;
  /** Operations of the failing key. */
  partitionOps: number;
  verdictMs: number;
  /** The explanation alone: a checked run with it minus one without, medians, milliseconds. */
  explainMs: number;
  core: number;
  coreMinimal: boolean;
  trials: number;
}

/** The explanation may take this many times the verdict's time, plus this many milliseconds. */
export const EXPLAIN_TIMES_VERDICT = 30;
export const EXPLAIN_PLUS_MS = 30;
const LIN_KV_DIR = new URL("../tests/fixtures/lin-kv/", import.meta.url);
const linKvModel = perKey(casRegisterModel, "cas-register per key");

/** Explanations of the failing replicated-kv histories: time against the verdict's, and core sizes. */
export async function benchExplanations(
  options: { print?: (line: string) => void; budgetMsPerHistory?: number } = {},
): Promise<ExplanationBenchRow[]> {
  const print = options.print ?? ((line: string) => console.log(line));
  const budgetMs = options.budgetMsPerHistory ?? 1000;
  const rows: ExplanationBenchRow[] = [];
  for (const file of readdirSync(LIN_KV_DIR).filter((f) => f.endsWith(".jsonl")).sort()) {
    const { operations } = parseHistory(readFileSync(new URL(file, LIN_KV_DIR), "utf8"));
    const verdict = timeRuns(operations, false, budgetMs, linKvModel);
    const explained = timeRuns(operations, true, budgetMs, linKvModel);
    const v = checkLinearizability(operations, linKvModel, { wallMs: 30_000, explainWallMs: 30_000 }).violation!;
    rows.push({
      name: file.replace(/\.jsonl$/, ""),
      partitionOps: v.partitionOps,
      verdictMs: verdict.ms,
      explainMs: Math.max(0, explained.ms - verdict.ms),
      core: v.core.length,
      coreMinimal: v.coreMinimal,
      trials: v.shrinkTrials,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  print(`linearizability explanations (replicated-kv wrong solutions, cas-register per key): median ms; bound ${EXPLAIN_TIMES_VERDICT} × verdict + ${EXPLAIN_PLUS_MS} ms`);
  print(`  ${"history".padEnd(48)} ${"key ops".padStart(7)} ${"verdict".padStart(8)} ${"explain".padStart(8)} ${"× verdict".padStart(9)}  core  trials`);
  for (const r of rows) {
    const flag = r.explainMs > EXPLAIN_TIMES_VERDICT * r.verdictMs + EXPLAIN_PLUS_MS ? "  over the bound" : "";
    print(
      `  ${r.name.padEnd(48)} ${String(r.partitionOps).padStart(7)} ${r.verdictMs.toFixed(2).padStart(8)} ${r.explainMs.toFixed(2).padStart(8)} ` +
        `${(r.explainMs / r.verdictMs).toFixed(1).padStart(9)}  ${String(r.core).padStart(3)}${r.coreMinimal ? "m" : " "} ${String(r.trials).padStart(6)}${flag}`,
    );
  }
  print("  (m: 1-minimal, removing any one operation of the core leaves a linearizable history)");
  return rows;
}

export async function benchLinearizability(
  options: { print?: (line: string) => void; budgetMsPerHistory?: number } = {},
): Promise<LinearizabilityBenchRow[]> {
  const print = options.print ?? ((line: string) => console.log(line));
  const budgetMs = options.budgetMsPerHistory ?? 1000;
  const rows: LinearizabilityBenchRow[] = [];
  for (const name of HISTORIES) {
    const text = readFileSync(new URL(`../tests/fixtures/porcupine-kv/${name}.txt`, import.meta.url), "utf8");
    const { operations } = parseHistory(text);
    const { ms, verdict } = timeRuns(operations, false, budgetMs);
    const row: LinearizabilityBenchRow = { name, ms, verdict, ops: operations.length };
    const porcupineMs = PORCUPINE_MS[name];
    if (porcupineMs !== undefined) row.porcupineMs = porcupineMs;
    if (verdict === "not-linearizable") row.explainMs = timeRuns(operations, true, budgetMs).ms;
    rows.push(row);
    // Yield between histories so a caller's event loop (progress output) keeps going.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  print("linearizability (kv, Porcupine's histories): median ms; ratio = ours / Porcupine (Go), < 1 is faster");
  print(`  ${"history".padEnd(8)} ${"ops".padStart(5)}  ${"verdict".padEnd(16)} ${"ms".padStart(8)}  ${"porcupine".padStart(9)}  ${"ratio".padStart(6)}  ${"explain ms".padStart(10)}`);
  for (const r of rows) {
    const ratio = r.porcupineMs === undefined ? "" : (r.ms / r.porcupineMs).toFixed(2);
    const flag = r.ms > LIMIT_MS ? `  over the ${LIMIT_MS} ms limit` : "";
    print(
      `  ${r.name.padEnd(8)} ${String(r.ops).padStart(5)}  ${r.verdict.padEnd(16)} ${r.ms.toFixed(2).padStart(8)}  ` +
        `${(r.porcupineMs === undefined ? "" : String(r.porcupineMs)).padStart(9)}  ${ratio.padStart(6)}  ` +
        `${(r.explainMs === undefined ? "" : r.explainMs.toFixed(2)).padStart(10)}${flag}`,
    );
  }
  return rows;
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) {
  const explanations = await benchExplanations();
  const slow = explanations.filter((r) => r.explainMs > EXPLAIN_TIMES_VERDICT * r.verdictMs + EXPLAIN_PLUS_MS);
  if (slow.length > 0) {
    console.error(`explanation over its bound: ${slow.map((r) => `${r.name} ${r.explainMs.toFixed(0)} ms (verdict ${r.verdictMs.toFixed(1)} ms)`).join(", ")}`);
    process.exitCode = 1;
  }
  const rows = await benchLinearizability();
  const expected = (name: string) => (name.endsWith("-ok") ? "linearizable" : "not-linearizable");
  const wrong = rows.filter((r) => r.verdict !== expected(r.name) || r.ms > LIMIT_MS);
  if (wrong.length > 0) {
    console.error(`unexpected: ${wrong.map((r) => `${r.name} ${r.verdict} ${r.ms.toFixed(0)} ms`).join(", ")}`);
    process.exitCode = 1;
  }
}
