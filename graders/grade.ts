/**
 * The grading pipeline: for every task, scenario and seed, expand the knobs, run the solution in a sandbox,
 * then run the checks on the plain data that came out. Checks never run inside the sandbox.
 */
import { exerciseSeeds, type CheckSpec, type ExerciseDef, type TaskDef } from "./exercise.ts";
import { expandKnobs } from "./sim/knobs.ts";
import type { Knobs, ScenarioSpec } from "./sim/scenario.ts";
import type { RunOutcome, RunRequest, Sandbox, SandboxLimits } from "./sandbox/types.ts";
import { percentile } from "./checkers/stats.ts";
import type { CheckFn, RunData } from "./contract.ts";
import { hashText } from "./report/hash.ts";
import { sourceLocator } from "./report/source-map.ts";
import { formatMs } from "./report/format.ts";
import { asText } from "./report/json-text.ts";
import { capSeries, errorResults, RESULTS_VERSION, type CheckFailure, type Results, type Status, type TestResult, type TestStatus } from "./report/results.ts";
import {
  cannotGradeMessage,
  capMessage,
  checkCouldNotJudgeMessage,
  describeError,
  MESSAGE_MAX_CHARS,
  runCouldNotBeJudgedMessage,
  sandboxFailedMessage,
  skippedMessage,
  stopsTheGrade,
} from "./report/verdicts.ts";
import { describeNodeKnobs, harnesses, harnessFor, judgeableRun, type Harness } from "./harness/index.ts";

export interface GradeOptions {
  exercise: ExerciseDef;
  /** The transpiled solution (see the sandbox adapters). */
  solutionJs: string;
  /** How the learner refers to the solution in a replay command (a file path). */
  solutionLabel: string;
  /** The transpiler's source map of `solutionJs`: errors then name lines of the learner's own file. */
  sourceMap?: string;
  /** Lines a wrapper put before the mapped code in `solutionJs` (the browser's emit is wrapped in 2). */
  sourceMapLineOffset?: number;
  sandbox: Sandbox;
  /** Seeds to run; default 1…exercise.seeds. */
  seeds?: number[];
  /** Only this scenario: its 1-based index or its name. */
  scenario?: number | string;
  limits?: Partial<SandboxLimits>;
  /**
   * Before each run is judged (`done` judged so far), and once at the end. `bad` counts the runs judged so far
   * that failed or erred, with the first of them: a long grade can say it is failing long before it ends.
   */
  onProgress?: (done: number, total: number, seed: number, name: string, bad: BadSoFar) => void;
  /** Each run that produced data, with its result: e.g. to keep a failing run's messages for a diagram. */
  onRun?: (test: TestResult, run: RunData) => void;
}

/** The runs of a grade judged so far that failed or erred: how many, and the first. */
export interface BadSoFar {
  runs: number;
  first?: { name: string; seed: number; status: "fail" | "error"; check?: string };
}

/** Thrown when `scenario` names none of the exercise's scenarios: the caller asked for something that is not there. */
export class NoSuchScenarioError extends Error {}

export async function grade(options: GradeOptions): Promise<Results> {
  const { exercise } = options;
  const seeds = options.seeds ?? exerciseSeeds(exercise);
  const flat = exercise.tasks.flatMap((task, taskIndex) => task.scenarios.map((scenario) => ({ task, taskIndex, scenario })));
  const selected = flat
    .map((entry, i) => ({ ...entry, index: i + 1 }))
    .filter((entry) => options.scenario === undefined || entry.index === options.scenario || entry.scenario.name === options.scenario);
  if (selected.length === 0) {
    throw new NoSuchScenarioError(`no scenario "${options.scenario}" in ${exercise.slug} (there are ${flat.length}: ${flat.map((e, i) => `${i + 1} ${e.scenario.name}`).join(", ")})`);
  }
  const wholeGrade = gradeCommand(exercise.slug, options.solutionLabel);
  const locate = sourceLocator(options.sourceMap, options.solutionLabel, options.sourceMapLineOffset ?? 0);
  // An exercise that names a check its runs cannot have is the author's error: say so before spending any run.
  const problems = authoringProblems(exercise.slug, selected);
  if (problems.length) return errorResults(exercise.slug, cannotGradeMessage(exercise.slug, problems), wholeGrade);

  const plan: Array<(typeof selected)[number] & { seed: number }> = selected.flatMap((entry) => seeds.map((seed) => ({ ...entry, seed })));
  const tests: TestResult[] = [];
  let events = 0, simulatedMs = 0, wallMs = 0, serverMessages = 0, ops = 0;
  /** Every successful client operation's latency, run by run: the grade's percentiles come from these. */
  const runLatenciesMs: Array<ArrayLike<number>> = [];
  const hashes: string[] = [];
  /** The first failing or erroring test, with its message before the cap: the results' message leads with it. */
  let firstBad: { test: TestResult; wholeMessage: string } | undefined;
  let badRuns = 0;
  const note = (test: TestResult, wholeMessage: string) => {
    tests.push(test);
    if (test.status !== "fail" && test.status !== "error") return;
    badRuns++;
    firstBad ??= { test, wholeMessage };
  };
  /** What progress reports of the runs judged so far that failed, from the same record as the results' message. */
  const badSoFar = (): BadSoFar => {
    if (!firstBad) return { runs: badRuns };
    const { name, seed, status, check } = firstBad.test;
    return { runs: badRuns, first: { name, seed, status: status as "fail" | "error", ...(check !== undefined ? { check } : {}) } };
  };
  /** Set once a run spends a budget of real resources: every later run is skipped, not started. */
  let stoppedBy: { name: string; seed: number; budget: "wall" | "memory" } | undefined;
  // A sandbox that takes several runs at once gets the next ones ahead of their turn; each is still
  // judged in plan order, and one started before a budget stopped the grade is dropped as skipped.
  const ahead = Math.max(1, Math.floor(options.sandbox.concurrency ?? 1));
  const started = new Map<number, Promise<RunOutcome>>();
  const start = (j: number): Promise<RunOutcome> => {
    let outcome = started.get(j);
    if (!outcome) {
      const { scenario, seed } = plan[j]!;
      outcome = runSafely(options.sandbox, { scenario, knobs: expandKnobs(scenario, seed), solutionJs: options.solutionJs, limits: options.limits, harness: harnessFor(scenario).name });
      started.set(j, outcome);
    }
    return outcome;
  };
  for (let i = 0; i < plan.length; i++) {
    const { task, scenario, index, seed } = plan[i]!;
    const knobs = expandKnobs(scenario, seed);
    // authoringProblems() has checked that a harness runs every selected scenario.
    const harness = harnessFor(scenario);
    const base = {
      name: `${task.id} > ${scenario.name}`,
      taskId: task.id,
      scenario: scenario.name,
      scenarioIndex: index,
      seed,
      knobs: harness.describeKnobs(scenario, knobs, seed),
      replay: replayCommand(exercise.slug, options.solutionLabel, seed, index),
    };
    if (stoppedBy) {
      tests.push({ ...base, status: "skipped", message: skippedMessage(stoppedBy, stoppedBy.budget), failures: [], metrics: {}, historyHash: "" });
      continue;
    }
    options.onProgress?.(i, plan.length, seed, base.name, badSoFar());
    for (let j = i; j < Math.min(plan.length, i + ahead); j++) start(j);
    const outcome = await start(i);
    started.delete(i);
    wallMs += outcome.wallMs;
    if (outcome.kind === "error") {
      const raw = asText(outcome.message);
      // Hashed as the sandbox said it: where the learner keeps the file must not change the hash.
      hashes.push(hashText(`error:${raw}`));
      const message = locate(raw);
      note({ ...base, status: "error", message: capMessage(message), failures: [], metrics: {}, historyHash: hashes.at(-1)! }, message);
      if (stopsTheGrade(outcome.budget)) stoppedBy = { name: base.name, seed, budget: outcome.budget };
      continue;
    }
    let run: RunData;
    try {
      run = judgeableRun(harness, outcome.data);
    } catch (error) {
      const message = runCouldNotBeJudgedMessage(error);
      hashes.push(hashText(`error:${message}`));
      note({ ...base, status: "error", message: capMessage(message), failures: [], metrics: {}, historyHash: hashes.at(-1)! }, message);
      continue;
    }
    // The runtime names places in the transpiled script; the learner edits the TypeScript.
    if (options.sourceMap) for (const error of run.errors) if (typeof error.text === "string") error.text = locate(error.text);
    let judged: Judged;
    try {
      judged = judgeRun(run, task.checks, scenario, harness, outcome.wallMs);
    } catch (error) {
      // Outside any one check (the run's figures, its hash): the run has no verdict but this one.
      const message = runCouldNotBeJudgedMessage(error);
      hashes.push(hashText(`error:${message}`));
      note({ ...base, status: "error", message: capMessage(message), failures: [], metrics: {}, historyHash: hashes.at(-1)! }, message);
      continue;
    }
    hashes.push(judged.test.historyHash);
    events += run.stats.events;
    simulatedMs += run.stats.simulatedMs;
    serverMessages += judged.totals.serverMessages;
    ops += judged.totals.ops;
    runLatenciesMs.push(judged.totals.okLatenciesMs);
    note({ ...base, ...judged.test }, judged.wholeMessage);
    options.onRun?.(tests.at(-1)!, run);
  }
  options.onProgress?.(plan.length, plan.length, 0, "", badSoFar());
  const status: Status = tests.some((t) => t.status === "error") ? "error" : tests.some((t) => t.status === "fail") ? "fail" : "pass";
  const ran = tests.filter((t) => t.status !== "skipped");
  const latenciesMs = sortedTogether(runLatenciesMs);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    version: RESULTS_VERSION,
    status,
    exercise: exercise.slug,
    ...(firstBad ? { message: capMessage(`${firstBad.test.name} (seed ${firstBad.test.seed}): ${firstBad.wholeMessage}`) } : {}),
    tests,
    metrics: {
      runs: ran.length,
      events,
      simulatedMs,
      wallMs,
      msgsPerOp: ops ? Math.round((serverMessages / ops) * 10) / 10 : 0,
      latency: { p50: round(percentile(latenciesMs, 0.5)), p99: round(percentile(latenciesMs, 0.99)), max: round(latenciesMs.at(-1) ?? 0) },
    },
    historyHash: hashText(hashes.join(",")),
    replay: firstBad ? firstBad.test.replay : wholeGrade,
  };
}

/**
 * The runs' numbers in one ascending typed array: its native numeric sort is many times quicker than an
 * array's with a comparator (a Submit of unique-ids has ~1.3 million latencies), in the same order for finite numbers.
 */
function sortedTogether(parts: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const all = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all.sort();
}

/** A sandbox that rejects instead of returning an outcome still gives the run a verdict. */
async function runSafely(sandbox: Sandbox, request: RunRequest): Promise<RunOutcome> {
  try {
    return await sandbox.run(request);
  } catch (error) {
    return { kind: "error", message: sandboxFailedMessage(error), wallMs: 0 };
  }
}

/** A check by name: the run's own (workload or component system) first, then the harness's generic ones. Own keys only. */
function findCheck(scenario: ScenarioSpec, harness: Harness, name: string): CheckFn<RunData> | undefined {
  const own = harness.checks(scenario);
  if (Object.hasOwn(own, name)) return own[name];
  return Object.hasOwn(harness.genericChecks, name) ? harness.genericChecks[name] : undefined;
}

/** Checks every selected scenario names that its runs cannot have: unknown names, another harness's generic checks. */
function authoringProblems(slug: string, selected: ReadonlyArray<{ task: TaskDef; scenario: ScenarioSpec }>): string[] {
  const problems = new Set<string>();
  for (const { task, scenario } of selected) {
    const where = `exercise ${slug}, task ${task.id}, scenario ${scenario.name}`;
    let harness: Harness;
    let own: Record<string, CheckFn<RunData>>;
    try {
      harness = harnessFor(scenario);
      own = harness.checks(scenario);
    } catch (error) {
      problems.add(`${where}: ${describeError(error)}`);
      continue;
    }
    for (const spec of task.checks) {
      if (findCheck(scenario, harness, spec.name)) continue;
      const elsewhere = Object.values(harnesses).filter((h) => Object.hasOwn(h.genericChecks, spec.name)).map((h) => h.name);
      if (elsewhere.length) {
        // A generic check of another kind of run, whose data this harness's runs do not carry (a node run's
        // client operations on a component system).
        problems.add(`${where}: check "${spec.name}" has no data to judge in a ${harness.name} exercise: the ${scenario.workload.name} system records no client operations (the check judges ${elsewhere.join(" and ")} runs; its own checks: ${Object.keys(own).join(", ")})`);
      } else problems.add(`${where}: no check named "${spec.name}"`);
    }
  }
  return [...problems];
}

interface Judged {
  test: Pick<TestResult, "status" | "message" | "check" | "failures" | "logs" | "metrics" | "series" | "historyHash">;
  /** The test's message before the cap, for the results' own message (cut once, not twice). */
  wholeMessage: string;
  totals: { ops: number; serverMessages: number; okLatenciesMs: ArrayLike<number> };
}

/** Every check of the task over one run's data: each one's verdict, a check that throws included. */
function judgeRun(run: RunData, taskChecks: readonly CheckSpec[], scenario: ScenarioSpec, harness: Harness, runWallMs: number): Judged {
  const historyHash = harness.historyHash(run);
  const metrics = harness.figures(run, runWallMs);
  const series = capSeries(harness.series?.(run));
  // Uncapped while the checks run: the test's message is cut once, from the first failure's whole text.
  const failures: CheckFailure[] = [];
  const passed: string[] = [];
  const checks: CheckSpec[] = [{ name: "no-errors" }, ...taskChecks.filter((c) => c.name !== "no-errors")];
  for (const spec of checks) {
    try {
      const check = findCheck(scenario, harness, spec.name);
      // authoringProblems() refused unknown names before any run; this is the same error, should one slip by.
      if (!check) throw new Error(`no check named "${spec.name}"`);
      const result = check(run, spec.params ?? {});
      Object.assign(metrics, result.metrics ?? {});
      if (result.ok) passed.push(asText(result.message));
      else failures.push({ check: spec.name, status: "fail", message: asText(result.message) });
    } catch (error) {
      failures.push({ check: spec.name, status: "error", message: checkCouldNotJudgeMessage(spec.name, error) });
    }
  }
  const first = failures[0];
  const status: TestStatus = failures.some((f) => f.status === "error") ? "error" : first ? "fail" : "pass";
  // An error's words already name its check; a failure's are the check's own, so they get its name in front.
  const message = first ? (first.status === "error" ? first.message : `${first.check}: ${first.message}`) : passed.join("; ");
  const capped = failures.map((f) => ({ ...f, message: capMessage(f.message) }));
  return {
    test: { status, message: capMessage(message), ...(first ? { check: first.check, logs: logLines(run) } : {}), failures: capped, metrics, ...(series ? { series } : {}), historyHash },
    wholeMessage: message,
    totals: harness.totals(run),
  };
}

/** What the nodes logged in a failing run, first lines first: often the learner's best clue. */
function logLines(run: RunData): string[] {
  // The text is the node's own, and may be any JSON value rather than the string it should be.
  return run.logs.slice(0, maxLogLines).map((l) => capMessage(`${asText(l.node)} at ${formatMs(l.timeMs)}: ${asText(l.text)}`, maxLogLineChars));
}
const maxLogLines = 20;
/** A node may log anything: each line is cut at a quarter of the message cap, so twenty lines stay readable. */
const maxLogLineChars = MESSAGE_MAX_CHARS / 4;

/** The command that grades `file` (or, with none, the exercise's starter) again, every run, as the results name it. */
export function gradeCommand(slug: string, file?: string): string {
  return `npx clusterlab grade ${file === undefined ? slug : `${slug} ${file}`}`;
}

/** The command that replays one run of a grade. */
export function replayCommand(slug: string, file: string, seed: number, scenarioIndex: number): string {
  return `${gradeCommand(slug, file)} --seed ${seed} --scenario ${scenarioIndex}`;
}

/** The knobs a seed expanded into, as lines to print beside the seed (a node scenario's). */
export function describeKnobs(knobs: Knobs): string[] {
  return describeNodeKnobs(knobs);
}
