// The CLI as a user calls it: `node bin/clusterlab.mjs grade echo <reference>` from a shell, each call a
// process of its own, beside baselines in the same run: a bare Node start and `--version` (Node start and
// loading the CLI). Also the same grade called the other ways README's "Calling it without npm's start-up"
// gives: the bin itself as a linked or global install runs it (its `#!/usr/bin/env node` finding the project's
// Node 24, or an older Node that hands the call to it), `npx clusterlab` (npm's start-up included), and after
// an edit (a solution whose text the type check and the transpile have not seen: what a learner feels after
// each change). The grade's parts come from the call itself (CLUSTERLAB_TIMINGS=1: each phase's time, and the
// sandbox process's start, which runs beside them). Calls are interleaved, so a load that changes during the
// run weighs on every figure alike; each figure is the median.
//
// `node --no-node-snapshot bench/cli.ts [--calls N] [--baseline-root DIR] [--no-npx]` runs it alone (npx node …);
// --baseline-root also times the same grade in another checkout (e.g. `git worktree add /tmp/before <commit>`
// with its node_modules linked), as "before".
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { PHASES_PREFIX, type PhaseReport } from "../src/cli/phases.ts";

const root = resolve(import.meta.dirname, "..");
/** The target for the grade, called as `node bin/clusterlab.mjs`. */
const targetMs = 350;

export interface CliFigures {
  nodeStartMs: number;
  versionMs: number;
  gradeMs: number;
  baselineGradeMs?: number;
  /** The other ways of calling the same grade, by label (README: "Calling it without npm's start-up"). */
  ways: Array<[string, number]>;
  /** Median of each phase (and note) over the calls. */
  phases: Array<[string, number]>;
  notes: Array<[string, number]>;
  counts: Array<[string, number]>;
  loadAverage: number;
}

interface Call {
  ms: number;
  report?: PhaseReport;
}

interface Kind {
  label?: string;
  command: string;
  /** Made anew before each call (the edited solution's copy). */
  args: () => string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

function call(kind: Kind): Call {
  const args = kind.args();
  const started = performance.now();
  const result = spawnSync(kind.command, args, { cwd: kind.cwd, encoding: "utf8", env: { ...process.env, ...kind.env, CLUSTERLAB_TIMINGS: "1" } });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${kind.command} ${args.join(" ")} exited ${result.status}: ${(result.stderr ?? String(result.error)).slice(-2000)}`);
  const line = result.stderr.split("\n").find((l) => l.startsWith(PHASES_PREFIX));
  return { ms, report: line ? (JSON.parse(line.slice(PHASES_PREFIX.length)) as PhaseReport) : undefined };
}

/** A Node older than 24 on the PATH outside this project (the machine's own), if there is one. */
export function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    try {
      const version = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim();
      if (Number(version.slice(1).split(".")[0]) < 24) return candidate;
    } catch {
      // not there, or not a Node
    }
  }
  return undefined;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function medians(reports: PhaseReport[], key: "phases" | "notes" | "counts"): Array<[string, number]> {
  const names = [...new Set(reports.flatMap((r) => r[key].map(([name]) => name)))];
  return names.map((name) => [name, median(reports.map((r) => r[key].find(([n]) => n === name)?.[1] ?? 0))]);
}

export async function benchCli(print: (line: string) => void = console.log, options: { calls?: number; baselineRoot?: string; npx?: boolean } = {}): Promise<CliFigures> {
  const calls = options.calls ?? 7;
  const reference = join(root, "exercises", "echo", ".meta", "solution.ts");
  const gradeArgs = (at: string) => ["grade", "echo", join(at, "exercises", "echo", ".meta", "solution.ts")];
  const bin = join(root, "bin", "clusterlab.mjs");
  // The bin as an executable: what `npm link` or `npm install -g` puts on the PATH, run by its shebang.
  const onPath = (node: string) => ({ PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` });
  const older = olderNode();
  const scratch = mkdtempSync(join(tmpdir(), "clusterlab-bench-cli-"));
  let edits = 0;
  const edited = () => {
    const file = join(scratch, "solution.ts");
    writeFileSync(file, `${readFileSync(reference, "utf8")}\n// edit ${++edits} (${process.pid})\n`);
    return file;
  };
  const kinds: Record<string, Kind> = {
    node: { command: process.execPath, args: () => ["-e", "0"], cwd: root },
    version: { command: process.execPath, args: () => [bin, "--version"], cwd: root },
    grade: { command: process.execPath, args: () => [bin, ...gradeArgs(root)], cwd: root },
    ...(options.baselineRoot ? { baseline: { command: process.execPath, args: () => [join(options.baselineRoot!, "bin", "clusterlab.mjs"), ...gradeArgs(options.baselineRoot!)], cwd: options.baselineRoot } } : {}),
    linked: { label: "clusterlab grade … (linked bin, Node 24 on the PATH)", command: bin, args: () => gradeArgs(root), cwd: root, env: onPath(process.execPath) },
    ...(older ? { linkedOlder: { label: `clusterlab grade … (linked bin, ${execFileSync(older, ["--version"], { encoding: "utf8" }).trim()} on the PATH)`, command: bin, args: () => gradeArgs(root), cwd: root, env: onPath(older) } } : {}),
    ...(options.npx === false ? {} : { npx: { label: "npx clusterlab grade …", command: "npx", args: () => ["clusterlab", ...gradeArgs(root)], cwd: root } }),
    edited: { label: "node bin/clusterlab.mjs grade echo <edited copy>", command: process.execPath, args: () => [bin, "grade", "echo", edited()], cwd: root },
  };
  const timed: Record<string, Call[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  try {
    // One call of each first: Node's compile cache, the type-check and bundle caches as a second call finds them.
    for (const kind of Object.values(kinds)) call(kind);
    for (let i = 0; i < calls; i++) for (const [name, kind] of Object.entries(kinds)) timed[name]!.push(call(kind));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const ms = (name: string) => Math.round(median(timed[name]!.map((c) => c.ms)));
  const reports = timed.grade!.flatMap((c) => (c.report ? [c.report] : []));
  const figures: CliFigures = {
    nodeStartMs: ms("node"),
    versionMs: ms("version"),
    gradeMs: ms("grade"),
    ...(options.baselineRoot ? { baselineGradeMs: ms("baseline") } : {}),
    ways: Object.entries(kinds).flatMap(([name, kind]) => (kind.label ? [[kind.label, ms(name)] as [string, number]] : [])),
    phases: medians(reports, "phases"),
    notes: medians(reports, "notes"),
    counts: medians(reports, "counts"),
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
  };
  print(`CLI: node bin/clusterlab.mjs grade echo <reference>, median of ${calls} calls each, interleaved (target ≤ ${targetMs} ms)`);
  print(`  node -e 0 (a bare Node start)               ${String(figures.nodeStartMs).padStart(5)} ms`);
  print(`  node bin/clusterlab.mjs --version            ${String(figures.versionMs).padStart(5)} ms   baseline`);
  print(`  node bin/clusterlab.mjs grade echo …         ${String(figures.gradeMs).padStart(5)} ms   ${(figures.gradeMs / figures.versionMs).toFixed(2)}× --version`);
  if (figures.baselineGradeMs !== undefined) {
    print(`  the same grade in ${options.baselineRoot}  ${String(figures.baselineGradeMs).padStart(5)} ms   (before: ${(figures.baselineGradeMs / figures.gradeMs).toFixed(2)}× now)`);
  }
  print("  the same grade called other ways:");
  for (const [label, value] of figures.ways) print(`    ${label.padEnd(52)} ${String(value).padStart(5)} ms`);
  print("  its parts (medians, in order; from the process's start):");
  for (const [name, value] of figures.phases) print(`    ${name.padEnd(52)} ${value.toFixed(0).padStart(5)} ms`);
  const accounted = figures.phases.reduce((sum, [, v]) => sum + v, 0);
  print(`    ${"process exit (the rest of the wall time)".padEnd(52)} ${Math.max(0, figures.gradeMs - accounted).toFixed(0).padStart(5)} ms`);
  for (const [name, value] of figures.notes) print(`    beside them: ${name.padEnd(39)} ${value.toFixed(0).padStart(5)} ms`);
  for (const [name, value] of figures.counts) print(`    ${name.padEnd(52)} ${String(value).padStart(5)}`);
  print(`  load average ${figures.loadAverage} on ${cpus().length} cores${figures.loadAverage > cpus().length / 2 ? ": other work shares the machine, so every figure is longer than on an idle one (compare the ratios)" : ""}`);
  return figures;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  await benchCli(console.log, { calls: at("--calls") ? Number(at("--calls")) : undefined, baselineRoot: at("--baseline-root"), npx: !argv.includes("--no-npx") });
}
