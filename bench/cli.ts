// The CLI as a user calls it: `node bin/clusterlab.mjs grade echo <reference>` from a shell, each call a
// process of its own, beside two baselines in the same run: a bare Node start and `--version` (Node start and
// loading the CLI). The grade's parts come from the call itself (CLUSTERLAB_TIMINGS=1: each phase's time, and
// the sandbox process's start, which runs beside the type check). Calls are interleaved, so a load that
// changes during the run weighs on every figure alike; each figure is the median.
//
// `node bench/cli.ts [--calls N] [--baseline-root DIR]` runs it alone; --baseline-root also times the same grade
// in another checkout (e.g. `git worktree add /tmp/before <commit>` with its node_modules linked), as "before".
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { PHASES_PREFIX, type PhaseReport } from "../src/cli/phases.ts";

const root = resolve(import.meta.dirname, "..");
/** The target for the grade, called as `node bin/clusterlab.mjs`. */
const targetMs = 350;

export interface CliFigures {
  nodeStartMs: number;
  versionMs: number;
  gradeMs: number;
  baselineGradeMs?: number;
  /** Median of each phase (and note) over the calls. */
  phases: Array<[string, number]>;
  notes: Array<[string, number]>;
  loadAverage: number;
}

interface Call {
  ms: number;
  report?: PhaseReport;
}

function call(args: string[], cwd: string): Call {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, CLUSTERLAB_TIMINGS: "1" } });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const line = result.stderr.split("\n").find((l) => l.startsWith(PHASES_PREFIX));
  return { ms, report: line ? (JSON.parse(line.slice(PHASES_PREFIX.length)) as PhaseReport) : undefined };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function medians(reports: PhaseReport[], key: "phases" | "notes"): Array<[string, number]> {
  const names = [...new Set(reports.flatMap((r) => r[key].map(([name]) => name)))];
  return names.map((name) => [name, median(reports.map((r) => r[key].find(([n]) => n === name)?.[1] ?? 0))]);
}

export async function benchCli(print: (line: string) => void = console.log, options: { calls?: number; baselineRoot?: string } = {}): Promise<CliFigures> {
  const calls = options.calls ?? 7;
  const gradeArgs = (at: string) => [join(at, "bin", "clusterlab.mjs"), "grade", "echo", join(at, "exercises", "echo", ".meta", "solution.ts")];
  const kinds: Record<string, { args: string[]; cwd: string }> = {
    node: { args: ["-e", "0"], cwd: root },
    version: { args: [join(root, "bin", "clusterlab.mjs"), "--version"], cwd: root },
    grade: { args: gradeArgs(root), cwd: root },
    ...(options.baselineRoot ? { baseline: { args: gradeArgs(options.baselineRoot), cwd: options.baselineRoot } } : {}),
  };
  // One call of each first: Node's compile cache, the type-check and bundle caches as a second call finds them.
  for (const kind of Object.values(kinds)) call(kind.args, kind.cwd);
  const timed: Record<string, Call[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  for (let i = 0; i < calls; i++) for (const [name, kind] of Object.entries(kinds)) timed[name]!.push(call(kind.args, kind.cwd));
  const ms = (name: string) => Math.round(median(timed[name]!.map((c) => c.ms)));
  const reports = timed.grade!.flatMap((c) => (c.report ? [c.report] : []));
  const figures: CliFigures = {
    nodeStartMs: ms("node"),
    versionMs: ms("version"),
    gradeMs: ms("grade"),
    ...(options.baselineRoot ? { baselineGradeMs: ms("baseline") } : {}),
    phases: medians(reports, "phases"),
    notes: medians(reports, "notes"),
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
  };
  print(`CLI: node bin/clusterlab.mjs grade echo <reference>, median of ${calls} calls each, interleaved (target ≤ ${targetMs} ms)`);
  print(`  node -e 0 (a bare Node start)               ${String(figures.nodeStartMs).padStart(5)} ms`);
  print(`  node bin/clusterlab.mjs --version            ${String(figures.versionMs).padStart(5)} ms   baseline`);
  print(`  node bin/clusterlab.mjs grade echo …         ${String(figures.gradeMs).padStart(5)} ms   ${(figures.gradeMs / figures.versionMs).toFixed(2)}× --version`);
  if (figures.baselineGradeMs !== undefined) {
    print(`  the same grade in ${options.baselineRoot}  ${String(figures.baselineGradeMs).padStart(5)} ms   (before: ${(figures.baselineGradeMs / figures.gradeMs).toFixed(2)}× now)`);
  }
  print("  its parts (medians, in order; from the process's start):");
  for (const [name, value] of figures.phases) print(`    ${name.padEnd(52)} ${value.toFixed(0).padStart(5)} ms`);
  const accounted = figures.phases.reduce((sum, [, v]) => sum + v, 0);
  print(`    ${"process exit (the rest of the wall time)".padEnd(52)} ${Math.max(0, figures.gradeMs - accounted).toFixed(0).padStart(5)} ms`);
  for (const [name, value] of figures.notes) print(`    beside them: ${name.padEnd(39)} ${value.toFixed(0).padStart(5)} ms`);
  print(`  load average ${figures.loadAverage} on ${cpus().length} cores${figures.loadAverage > cpus().length / 2 ? ": other work shares the machine, so every figure is longer than on an idle one (compare the ratios)" : ""}`);
  return figures;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  await benchCli(console.log, { calls: at("--calls") ? Number(at("--calls")) : undefined, baselineRoot: at("--baseline-root") });
}
