import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { cpus } from "node:os";
import { errorResults, exerciseSeeds, grade, graderFailedMessage, NoSuchScenarioError, type ExerciseDef, type GradeOptions, type Results } from "../../../graders/index.ts";
import { createProcessSandbox, transpileSolution, type ProcessSandbox, type SandboxKind } from "../../../graders/sandbox/node/index.ts";
import { EXIT, UsageError, type CliIo, type Command } from "../command.ts";
import { parseArgs } from "../args.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../exercises.ts";
import { typecheckSolution } from "../typecheck.ts";
import { chooseFormat, renderResults } from "../batch/formats.ts";
import { historyFormatOf, writeHistories, type RunHistory } from "../batch/history-out.ts";
import { gradeBatch } from "../batch/grade-batch.ts";
import { renderHtmlReport, type FailingRun } from "../batch/html-report.ts";
import { phases } from "../phases.ts";

const usage = `usage: clusterlab grade <exercise> [solution.ts] [--seed N] [--seeds N] [--scenario K] [--sandbox KIND]
                        [--format F | --json] [--history out.jsonl|out.edn] [--report out.html] [--no-typecheck]
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
  summary: "grade a solution against an exercise's simulated cluster",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, flagSpec);
    if (flags.sandbox !== undefined && !sandboxKinds.includes(flags.sandbox as SandboxKind)) {
      throw new UsageError(`--sandbox takes ${sandboxKinds.join(" or ")}, not "${String(flags.sandbox)}"`);
    }
    const [slug, ...files] = positionals;
    if (!slug) throw new UsageError("which exercise? (clusterlab list shows them)");
    const format = chooseFormat(flags.format, flags.json === true);
    if (flags.jobs !== undefined && (flags.jobs as number) < 1) throw new UsageError(`--jobs must be at least 1, got ${String(flags.jobs)}`);
    if (flags.cache !== undefined && flags["no-cache"] === true) throw new UsageError("--cache and --no-cache contradict each other");
    if (flags.history !== undefined) historyFormatOf(String(flags.history));
    if (flags.report !== undefined && !String(flags.report).endsWith(".html")) throw new UsageError(`--report writes an .html file, not "${String(flags.report)}"`);
    if (isBatch(files, io.cwd)) {
      if (flags.history !== undefined) throw new UsageError("--history writes the runs of one submission: grade it alone");
      if (flags.report !== undefined) throw new UsageError("--report writes the results of one submission: grade it alone");
      return gradeBatch({ slug, inputs: files, flags, format, io });
    }
    for (const name of ["jobs", "cache", "no-cache"]) if (flags[name] !== undefined) throw new UsageError(`--${name} is for a batch (a folder or several files)`);
    const [file] = files;
    const machine = format !== "text";
    const replay = `npx clusterlab grade ${[slug, ...(file ? [file] : [])].join(" ")}`;
    const loaded: Loaded = {};
    const label = () => loaded.label ?? file ?? join("exercises", slug, "starter.ts");
    const print = (results: Results): number => {
      io.stdout(renderResults(results, format, { exercise: loaded.exercise, label: label(), color: io.color }));
      return results.status === "pass" ? EXIT.ok : results.status === "fail" ? EXIT.failed : EXIT.error;
    };
    /** Nothing was graded: the whole document (in a machine format) or the message alone (on stderr) says why. */
    const fail = (message: string): number => {
      if (machine) io.stdout(renderResults(errorResults(slug, message, replay), format, { exercise: loaded.exercise, label: label(), color: false }));
      else io.stderr(`${message}\n`);
      return EXIT.error;
    };
    const histories: RunHistory[] = [];
    let failing: FailingRun | undefined;
    const onRun: GradeOptions["onRun"] | undefined =
      flags.history === undefined && flags.report === undefined
        ? undefined
        : (test, run) => {
            // Only a node run has a client history and messages; the others write none and draw none.
            if (flags.history !== undefined) histories.push({ test, history: run.harness === "node" ? run.history : [], workload: workloadOf(loaded.exercise, test) });
            if (flags.report !== undefined && !failing && test.status !== "pass") failing = { test, trace: run.harness === "node" ? run.trace : [] };
          };
    let outcome: Results | string;
    try {
      outcome = await gradeFile(slug, file, flags, io, loaded, onRun);
    } catch (error) {
      // A usage error is the caller's (exit 64); anything else is ours, and still ends in a whole results object.
      if (error instanceof UsageError) throw error;
      outcome = graderFailedMessage(error);
    }
    if (typeof outcome === "string") return fail(outcome);
    if (flags.history !== undefined) {
      try {
        // On stderr: stdout may be one JSON or XML document.
        io.stderr(`${writeHistories(resolve(io.cwd, String(flags.history)), histories, String(flags.history))}\n`);
      } catch (error) {
        io.stderr(`could not write the histories: ${(error as Error).message}\n`);
        print(outcome);
        return EXIT.error;
      }
    }
    if (flags.report !== undefined) {
      try {
        writeFileSync(resolve(io.cwd, String(flags.report)), renderHtmlReport(outcome, { title: `clusterlab grade ${slug} ${label()}`, failing }));
        io.stderr(`report written to ${String(flags.report)}\n`);
      } catch (error) {
        io.stderr(`could not write the report: ${(error as Error).message}\n`);
        print(outcome);
        return EXIT.error;
      }
    }
    try {
      const code = print(outcome);
      phases.mark("print the results");
      return code;
    } catch (error) {
      return fail(graderFailedMessage(error));
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

/** What gradeFile learnt before it could fail: the report formats need the exercise's tasks, and the file's name. */
interface Loaded {
  exercise?: ExerciseDef;
  label?: string;
}

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

/** The workload a run's scenario drives: the history writer translates some workloads' errors as Jepsen's clients do. */
function workloadOf(exercise: ExerciseDef | undefined, test: { taskId: string; scenario: string }): string | undefined {
  return exercise?.tasks.find((t) => t.id === test.taskId)?.scenarios.find((s) => s.name === test.scenario)?.workload.name;
}

type Flags = ReturnType<typeof parseArgs>["flags"];

const sandboxKinds: readonly SandboxKind[] = ["isolated-vm", "browser"];

/** Type-checks, transpiles and grades the solution: its results, or why it could not be graded (type or syntax errors). */
async function gradeFile(slug: string, file: string | undefined, flags: Flags, io: CliIo, loaded: Loaded, onRun?: GradeOptions["onRun"]): Promise<Results | string> {
  const exercise = await loadExercise(slug);
  if (!exercise) throw new UsageError(`no exercise "${slug}" (known: ${listExerciseSlugs().join(", ")})`);
  loaded.exercise = exercise;
  phases.mark("load the exercise");
  const path = file ? resolve(io.cwd, file) : join(exercisesDir, slug, "starter.ts");
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  const label = file ?? relative(io.cwd, path);
  loaded.label = label;
  const source = readFileSync(path, "utf8");
  // The sandbox process starts (and builds its bundles) while the solution is type-checked and transpiled.
  const sandbox = createProcessSandbox({ kind: (flags.sandbox as SandboxKind | undefined) ?? "isolated-vm" });
  sandbox.warm();
  try {
    return await gradeSource({ exercise, source, path, label, flags, io, sandbox, onRun });
  } finally {
    phases.note("sandbox process start (beside the type check)", sandbox.stats().startMs);
    sandbox.dispose();
  }
}

/** The seeds --seed or --seeds ask for, or undefined for the exercise's own. */
export function seedsFromFlags(exercise: ExerciseDef, flags: Flags): number[] | undefined {
  if (flags.seed !== undefined) return [flags.seed as number];
  if (flags.seeds === undefined) return undefined;
  if ((flags.seeds as number) < 1) throw new UsageError("--seeds must be at least 1");
  return exerciseSeeds(exercise, flags.seeds as number);
}

/** --scenario as grade() takes it: a number is the scenario's index, anything else its name. */
export function scenarioFromFlags(flags: Flags): number | string | undefined {
  return flags.scenario === undefined ? undefined : /^\d+$/.test(String(flags.scenario)) ? Number(flags.scenario) : String(flags.scenario);
}

interface GradeJob {
  exercise: ExerciseDef;
  source: string;
  path: string;
  label: string;
  flags: Flags;
  io: CliIo;
  sandbox: ProcessSandbox;
  onRun?: GradeOptions["onRun"];
  /** The seeds, already resolved (a batch resolves them once); else from --seed and --seeds. */
  seeds?: number[];
}

/** Type-checks, transpiles and grades one solution's source in a sandbox that is already starting. */
export async function gradeSource({ exercise, source, path, label, flags, io, sandbox, onRun, seeds: given }: GradeJob): Promise<Results | string> {
  // The type check (a compiler process) and the transpile (esbuild's) run side by side; type errors win.
  const checked = flags["no-typecheck"] === true ? undefined : typecheckSolution(path, label);
  const transpiling = transpileSolution(source, label);
  transpiling.catch(() => undefined); // awaited below, unless the type check throws first
  if (checked) {
    const problems = await checked;
    phases.mark("type check (the transpile beside it)");
    if (problems.length) {
      await transpiling.catch(() => undefined); // esbuild's work ends before the process does
      return `type errors in ${label}:\n${problems.map((p) => `  ${p}`).join("\n")}`;
    }
  }
  const transpiled = await transpiling;
  phases.mark("transpile");
  if ("errors" in transpiled) {
    return `${label} does not compile:\n${transpiled.errors.map((e) => `  ${label}:${e.line}:${e.column} ${e.text}`).join("\n")}`;
  }
  const seeds = given ?? seedsFromFlags(exercise, flags);
  const scenario = scenarioFromFlags(flags);
  const progress = io.isTty && flags.json !== true && (flags.format === undefined || flags.format === "text");
  try {
    const results = await grade({
      exercise,
      solutionJs: transpiled.js,
      solutionLabel: label,
      sourceMap: transpiled.map,
      sandbox,
      seeds,
      scenario,
      onRun,
      onProgress: progress
        ? (done, total, seed, name) => io.stderr(done < total ? `\r\x1b[K${done}/${total} ${name} seed ${seed}` : "\r\x1b[K")
        : undefined,
    });
    phases.mark("sandbox runs (and waiting for the sandbox process)");
    return results;
  } catch (error) {
    if (progress) io.stderr("\r\x1b[K");
    if (error instanceof NoSuchScenarioError) throw new UsageError(error.message);
    throw error;
  }
}
