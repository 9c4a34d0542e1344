/**
 * One solution file graded: the engine's side of `clusterlab grade` (commands/grade.ts parses the call and
 * starts the sandbox process before it loads this module, and the engine with it). A batch grades each of
 * its submissions through gradeSource too.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { errorResults, exerciseSeeds, grade, gradeCommand, graderFailedMessage, NoSuchScenarioError, type ExerciseDef, type GradeOptions, type Results, type Sandbox } from "../../graders/index.ts";
import { transpileSolution, type ProcessSandbox, type SandboxKind } from "../../graders/sandbox/node/index.ts";
import { EXIT, UsageError, type CliIo } from "./command.ts";
import type { ParsedArgs } from "./args.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "./exercises.ts";
import { typecheckSolution } from "./typecheck.ts";
import { renderResults, type Format } from "./batch/formats.ts";
import { writeHistories, type RunHistory } from "./batch/history-out.ts";
import { renderHtmlReport, type FailingRun } from "./batch/html-report.ts";
import { phases } from "./phases.ts";
import { defaultProcesses, spreadRuns } from "./spread-runs.ts";

export type Flags = ParsedArgs["flags"];

export interface SingleGrade {
  slug: string;
  /** The solution, as the caller named it; none: the exercise's starter. */
  file: string | undefined;
  flags: Flags;
  format: Format;
  io: CliIo;
  /** Already starting (its start overlaps loading this module); the caller disposes of it. */
  sandbox: ProcessSandbox;
  /** The exercise `slug` names, when it was loaded with this module (grade-bundle.ts); else it is loaded here. */
  exercise?: ExerciseDef;
}

/** Grades one file and prints its results (and writes --history and --report): the exit code. */
export async function gradeSingleFile({ slug, file, flags, format, io, sandbox, exercise }: SingleGrade): Promise<number> {
  const machine = format !== "text";
  const replay = gradeCommand(slug, file || undefined);
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
  // --jobs N: how many sandbox processes a long grade of this one file may use.
  const spread = spreadRuns(sandbox, flags.jobs !== undefined ? (flags.jobs as number) : defaultProcesses(), ((flags.sandbox as SandboxKind | undefined) ?? "isolated-vm"));
  try {
    outcome = await gradeFile(slug, file, flags, io, spread.sandbox, loaded, onRun, exercise);
  } catch (error) {
    // A usage error is the caller's (exit 64); anything else is ours, and still ends in a whole results object.
    if (error instanceof UsageError) throw error;
    outcome = graderFailedMessage(error);
  } finally {
    phases.count("sandbox processes that took runs", spread.processes());
    spread.dispose();
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
}

/** What gradeFile learnt before it could fail: the report formats need the exercise's tasks, and the file's name. */
interface Loaded {
  exercise?: ExerciseDef;
  label?: string;
}

/** The workload a run's scenario drives: the history writer translates some workloads' errors as Jepsen's clients do. */
function workloadOf(exercise: ExerciseDef | undefined, test: { taskId: string; scenario: string }): string | undefined {
  return exercise?.tasks.find((t) => t.id === test.taskId)?.scenarios.find((s) => s.name === test.scenario)?.workload.name;
}

/** Type-checks, transpiles and grades the solution: its results, or why it could not be graded (type or syntax errors). */
async function gradeFile(slug: string, file: string | undefined, flags: Flags, io: CliIo, sandbox: Sandbox, loaded: Loaded, onRun?: GradeOptions["onRun"], preloaded?: ExerciseDef): Promise<Results | string> {
  const exercise = preloaded ?? (await loadExercise(slug));
  if (!exercise) throw new UsageError(`no exercise "${slug}" (known: ${listExerciseSlugs().join(", ")})`);
  loaded.exercise = exercise;
  phases.mark("load the exercise");
  const path = file ? resolve(io.cwd, file) : join(exercisesDir, slug, "starter.ts");
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  const label = file ?? relative(io.cwd, path);
  loaded.label = label;
  const source = readFileSync(path, "utf8");
  return gradeSource({ exercise, source, path, label, flags, io, sandbox, onRun });
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
  sandbox: Sandbox;
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
        ? (done, total, seed, name, bad) => io.stderr(done < total ? `\r\x1b[K${done}/${total} ${name} seed ${seed}${bad.runs ? ` · ${bad.runs} failed so far` : ""}` : "\r\x1b[K")
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
