import { statSync } from "node:fs";
import { resolve } from "node:path";
import { cpus } from "node:os";
// From its own module, not the folder's index.ts, which loads both in-process sandboxes and the bundles'
// cache (~18 modules) before the fork they do not need.
import { createProcessSandbox, type SandboxKind } from "../../../graders/sandbox/node/process-sandbox.ts";
import { UsageError, type Command } from "../command.ts";
import { parseArgs } from "../args.ts";
import { historyFormatOf } from "../batch/history-out.ts";
import { phases } from "../phases.ts";

// This module stays light (no engine): the engine's modules load after the sandbox process is forked.
const usage = `usage: clusterlab grade <exercise> [solution.ts] [--seed N] [--seeds N] [--scenario K] [--sandbox KIND]
                        [--format F | --json] [--history out.jsonl|out.edn] [--report out.html] [--no-typecheck]
                        [--jobs N]
       clusterlab grade <exercise> <dir-or-files…> [--jobs N] [--cache DIR | --no-cache] [--format F] [same options]

Grades a solution against the exercise's simulated cluster: every task, scenario and seed.
With no file it grades exercises/<exercise>/starter.ts. Given a folder or several files, it grades each
submission (every .ts file, in a folder and its subfolders) in one process: a batch.

  --seed N        run only seed N (replay a failure)
  --seeds N       run seeds 1…N (default: the exercise's own count)
  --scenario K    run only scenario K (its number or name)
  --sandbox KIND  isolated-vm (default: a realm per node) or browser (the browser's one-realm sandbox,
                  locked down as in the page); both run in a child process that a fatal error cannot take down
  --format F      text (default), json (the results object), junit (JUnit XML: a testcase per task × scenario
                  × seed), exercism (Exercism's results.json v3), classroom (GitHub Classroom's autograding
                  result: a test per task, scored by its points × the share of its runs that passed)
  --json          the same as --format json
  --history FILE  also write each run's client history in Jepsen's format, JSON lines (.jsonl) or EDN (.edn),
                  for clusterlab check, Knossos, Elle or Porcupine: FILE itself for a grade of one run,
                  else one file per run beside it (FILE's name + .<task>.<scenario>.seed<N>); one submission only
  --report FILE   also write the results as one self-contained HTML file (a chart per scenario, every run
                  that did not pass, the message diagram of the first failing run); one submission only
  --no-typecheck  skip the TypeScript type check
  --jobs N        sandbox processes for one file's runs: a grade still running after 0.75 s starts more, up
                  to N (default: the cores that the load average leaves free, at most 4); --jobs 1 keeps every
                  run in one

Batch (a folder or several files):
  --jobs N        grade N submissions at a time, each in a sandbox process of its own (default: the cores, ${cpus().length} here)
  --cache DIR     keep results in DIR, keyed by the solution's hash, the engine's and the exercise's versions,
                  the seeds, scenario and sandbox (default: node_modules/.cache/clusterlab of the nearest package)
  --no-cache      grade everything again, and keep nothing
  Text output is a summary table (one line per submission) and the first failure of each; --format json
  gives {"version": 1, "exercise", "summary", "submissions": [{"file", "cached", "results"}]}, junit a
  <testsuite> per submission, exercism and classroom {"exercise", "submissions": [{"file", "results"}]}.

With --format json, exercism or classroom, stdout holds one whole JSON document whatever happens (the results
object is version 2: see graders/report/results.ts); with junit, one XML document.

exit codes: 0 all checks pass · 1 a check failed · 2 the solution could not run (or the grader failed) · 64 usage error
(a batch exits with its worst submission's code)`;

export const gradeCommand: Command = {
  name: "grade",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, flagSpec);
    if (flags.sandbox !== undefined && !sandboxKinds.includes(flags.sandbox as SandboxKind)) {
      throw new UsageError(`--sandbox takes ${sandboxKinds.join(" or ")}, not "${String(flags.sandbox)}"`);
    }
    const [slug, ...files] = positionals;
    if (!slug) throw new UsageError("which exercise? (clusterlab list shows them)");
    const batch = isBatch(files, io.cwd);
    // One file's sandbox process starts before anything else loads: its start (a Node without its snapshot,
    // the bundles) then runs beside loading the engine and the exercise, the type check and the transpile.
    // A batch starts its own, one per worker.
    const sandbox = batch ? undefined : createProcessSandbox({ kind: (flags.sandbox as SandboxKind | undefined) ?? "isolated-vm" });
    sandbox?.warm();
    try {
      const { chooseFormat } = await import("../batch/format-choice.ts");
      const format = chooseFormat(flags.format, flags.json === true);
      if (flags.jobs !== undefined && (flags.jobs as number) < 1) throw new UsageError(`--jobs must be at least 1, got ${String(flags.jobs)}`);
      if (flags.cache !== undefined && flags["no-cache"] === true) throw new UsageError("--cache and --no-cache contradict each other");
      if (flags.history !== undefined) historyFormatOf(String(flags.history));
      if (flags.report !== undefined && !String(flags.report).endsWith(".html")) throw new UsageError(`--report writes an .html file, not "${String(flags.report)}"`);
      if (!sandbox) {
        if (flags.history !== undefined) throw new UsageError("--history writes the runs of one submission: grade it alone");
        if (flags.report !== undefined) throw new UsageError("--report writes the results of one submission: grade it alone");
        const { gradeBatch } = await import("../batch/grade-batch.ts");
        return await gradeBatch({ slug, inputs: files, flags, format, io });
      }
      for (const name of ["cache", "no-cache"]) if (flags[name] !== undefined) throw new UsageError(`--${name} is for a batch (a folder or several files)`);
      const { loadGradePath } = await import("../grade-bundle.ts");
      const { gradeSingleFile, exercise } = await loadGradePath(slug);
      phases.mark("load the engine");
      return await gradeSingleFile({ slug, file: files[0], flags, format, io, sandbox, exercise });
    } finally {
      if (sandbox) {
        const { startMs, forkedAt, readyAt } = sandbox.stats();
        phases.note("sandbox process start (fork to ready)", startMs);
        phases.note("sandbox process forked at (since the call's start)", forkedAt);
        phases.note("sandbox process ready at (since the call's start)", readyAt);
        sandbox.dispose();
      }
    }
  },
};

const flagSpec = {
  seed: "integer",
  seeds: "integer",
  scenario: "string",
  sandbox: "string",
  json: "boolean",
  format: "string",
  history: "string",
  report: "string",
  jobs: "integer",
  cache: "string",
  "no-cache": "boolean",
  "no-typecheck": "boolean",
} as const;

/** A folder, or more than one file: graded as a batch. One file (or none: the starter) is a single grade, as before. */
function isBatch(files: readonly string[], cwd: string): boolean {
  if (files.length > 1) return true;
  if (files.length === 0) return false;
  try {
    return statSync(resolve(cwd, files[0]!)).isDirectory();
  } catch {
    return false;
  }
}

const sandboxKinds: readonly SandboxKind[] = ["isolated-vm", "browser"];

