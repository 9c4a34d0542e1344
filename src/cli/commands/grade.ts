import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { errorResults, exerciseSeeds, grade, graderFailedMessage, NoSuchScenarioError, renderText, type ExerciseDef, type Results } from "../../../graders/index.ts";
import { createProcessSandbox, transpileSolution, type ProcessSandbox, type SandboxKind } from "../../../graders/sandbox/node/index.ts";
import { EXIT, UsageError, type CliIo, type Command } from "../command.ts";
import { parseArgs } from "../args.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../exercises.ts";
import { typecheckSolution } from "../typecheck.ts";
import { renderComponentFigures } from "../figures.ts";

const usage = `usage: clusterlab grade <exercise> [solution.ts] [--seed N] [--seeds N] [--scenario K] [--sandbox KIND] [--json] [--no-typecheck]

Grades a solution against the exercise's simulated cluster: every task, scenario and seed.
With no file it grades exercises/<exercise>/starter.ts.

  --seed N        run only seed N (replay a failure)
  --seeds N       run seeds 1…N (default: the exercise's own count)
  --scenario K    run only scenario K (its number or name)
  --sandbox KIND  isolated-vm (default: a realm per node) or browser (the browser's one-realm sandbox,
                  locked down as in the page); both run in a child process that a fatal error cannot take down
  --json          print the results object alone on stdout
  --no-typecheck  skip the TypeScript type check

With --json, stdout holds one whole results object whatever happens (version 2: see graders/report/results.ts).

exit codes: 0 all checks pass · 1 a check failed · 2 the solution could not run (or the grader failed) · 64 usage error`;

export const gradeCommand: Command = {
  name: "grade",
  summary: "grade a solution against an exercise's simulated cluster",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, { seed: "integer", seeds: "integer", scenario: "string", sandbox: "string", json: "boolean", "no-typecheck": "boolean" });
    if (flags.sandbox !== undefined && !sandboxKinds.includes(flags.sandbox as SandboxKind)) {
      throw new UsageError(`--sandbox takes ${sandboxKinds.join(" or ")}, not "${String(flags.sandbox)}"`);
    }
    const [slug, file, ...extra] = positionals;
    if (!slug) throw new UsageError("which exercise? (clusterlab list shows them)");
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const json = flags.json === true;
    const replay = `npx clusterlab grade ${[slug, ...(file ? [file] : [])].join(" ")}`;
    const print = (results: Results): number => {
      io.stdout(json ? `${JSON.stringify(results, null, 2)}\n` : `${renderText(results, { color: io.color })}${renderComponentFigures(results)}`);
      return results.status === "pass" ? EXIT.ok : results.status === "fail" ? EXIT.failed : EXIT.error;
    };
    /** Nothing was graded: the results object (with --json) or the message alone (on stderr) says why. */
    const fail = (message: string): number => {
      if (json) io.stdout(`${JSON.stringify(errorResults(slug, message, replay), null, 2)}\n`);
      else io.stderr(`${message}\n`);
      return EXIT.error;
    };
    let outcome: Results | string;
    try {
      outcome = await gradeFile(slug, file, flags, io);
    } catch (error) {
      // A usage error is the caller's (exit 64); anything else is ours, and still ends in a whole results object.
      if (error instanceof UsageError) throw error;
      outcome = graderFailedMessage(error);
    }
    if (typeof outcome === "string") return fail(outcome);
    try {
      return print(outcome);
    } catch (error) {
      return fail(graderFailedMessage(error));
    }
  },
};

type Flags = ReturnType<typeof parseArgs>["flags"];

const sandboxKinds: readonly SandboxKind[] = ["isolated-vm", "browser"];

/** Type-checks, transpiles and grades the solution: its results, or why it could not be graded (type or syntax errors). */
async function gradeFile(slug: string, file: string | undefined, flags: Flags, io: CliIo): Promise<Results | string> {
  const exercise = await loadExercise(slug);
  if (!exercise) throw new UsageError(`no exercise "${slug}" (known: ${listExerciseSlugs().join(", ")})`);
  const path = file ? resolve(io.cwd, file) : join(exercisesDir, slug, "starter.ts");
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  const label = file ?? relative(io.cwd, path);
  const source = readFileSync(path, "utf8");
  // The sandbox process starts (and builds its bundles) while the solution is type-checked and transpiled.
  const sandbox = createProcessSandbox({ kind: (flags.sandbox as SandboxKind | undefined) ?? "isolated-vm" });
  sandbox.warm();
  try {
    return await gradeSource({ exercise, source, path, label, flags, io, sandbox });
  } finally {
    sandbox.dispose();
  }
}

interface GradeJob {
  exercise: ExerciseDef;
  source: string;
  path: string;
  label: string;
  flags: Flags;
  io: CliIo;
  sandbox: ProcessSandbox;
}

/** Type-checks, transpiles and grades one solution's source in a sandbox that is already starting. */
async function gradeSource({ exercise, source, path, label, flags, io, sandbox }: GradeJob): Promise<Results | string> {
  if (flags["no-typecheck"] !== true) {
    const problems = await typecheckSolution(path, label);
    if (problems.length) return `type errors in ${label}:\n${problems.map((p) => `  ${p}`).join("\n")}`;
  }
  const transpiled = await transpileSolution(source, label);
  if ("errors" in transpiled) {
    return `${label} does not compile:\n${transpiled.errors.map((e) => `  ${label}:${e.line}:${e.column} ${e.text}`).join("\n")}`;
  }
  let seeds: number[] | undefined;
  if (flags.seed !== undefined) seeds = [flags.seed as number];
  else if (flags.seeds !== undefined) {
    if ((flags.seeds as number) < 1) throw new UsageError("--seeds must be at least 1");
    seeds = exerciseSeeds(exercise, flags.seeds as number);
  }
  const scenario = flags.scenario === undefined ? undefined : /^\d+$/.test(String(flags.scenario)) ? Number(flags.scenario) : String(flags.scenario);
  const progress = io.isTty && flags.json !== true;
  try {
    return await grade({
      exercise,
      solutionJs: transpiled.js,
      solutionLabel: label,
      sourceMap: transpiled.map,
      sandbox,
      seeds,
      scenario,
      onProgress: progress
        ? (done, total, seed, name) => io.stderr(done < total ? `\r\x1b[K${done}/${total} ${name} seed ${seed}` : "\r\x1b[K")
        : undefined,
    });
  } catch (error) {
    if (progress) io.stderr("\r\x1b[K");
    if (error instanceof NoSuchScenarioError) throw new UsageError(error.message);
    throw error;
  }
}
