/**
 * The grading pipeline: for every task, scenario and seed, expand the knobs, run the solution in a sandbox,
 * then run the checks on the plain data that came out. Checks never run inside the sandbox.
 */
import { exerciseSeeds, type CheckSpec, type ExerciseDef } from "./exercise.ts";
import { expandKnobs, describeLatency } from "./sim/knobs.ts";
import { describeFault, type Knobs } from "./sim/scenario.ts";
import type { Sandbox, SandboxLimits } from "./sandbox/types.ts";
import { getWorkload } from "./workloads/index.ts";
import { genericChecks, runFigures, percentile } from "./checkers/stats.ts";
import type { CheckFn, RunData } from "./workloads/types.ts";
import { hashText } from "./report/hash.ts";
import { formatMs } from "./report/format.ts";
import type { Results, Status, TestResult } from "./report/results.ts";
import { getComponentSystem, isComponentRun } from "./components/index.ts";

export interface GradeOptions {
  exercise: ExerciseDef;
  /** The transpiled solution (see the sandbox adapters). */
  solutionJs: string;
  /** How the learner refers to the solution in a replay command (a file path). */
  solutionLabel: string;
  sandbox: Sandbox;
  /** Seeds to run; default 1…exercise.seeds. */
  seeds?: number[];
  /** Only this scenario: its 1-based index or its name. */
  scenario?: number | string;
  limits?: Partial<SandboxLimits>;
  onProgress?: (done: number, total: number, seed: number, name: string) => void;
  /** Each run that produced data, with its result: e.g. to keep a failing run's messages for a diagram. */
  onRun?: (test: TestResult, run: RunData) => void;
}

export async function grade(options: GradeOptions): Promise<Results> {
  const { exercise } = options;
  const seeds = options.seeds ?? exerciseSeeds(exercise);
  const flat = exercise.tasks.flatMap((task, taskIndex) => task.scenarios.map((scenario) => ({ task, taskIndex, scenario })));
  const selected = flat
    .map((entry, i) => ({ ...entry, index: i + 1 }))
    .filter((entry) => options.scenario === undefined || entry.index === options.scenario || entry.scenario.name === options.scenario);
  if (selected.length === 0) {
    throw new Error(`no scenario "${options.scenario}" in ${exercise.slug} (there are ${flat.length}: ${flat.map((e, i) => `${i + 1} ${e.scenario.name}`).join(", ")})`);
  }
  const plan: Array<(typeof selected)[number] & { seed: number }> = selected.flatMap((entry) => seeds.map((seed) => ({ ...entry, seed })));
  const tests: TestResult[] = [];
  let events = 0, simulatedMs = 0, wallMs = 0, serverMessages = 0, ops = 0;
  const hashes: string[] = [];
  for (let i = 0; i < plan.length; i++) {
    const { task, scenario, index, seed } = plan[i]!;
    options.onProgress?.(i, plan.length, seed, `${task.id} > ${scenario.name}`);
    const knobs = expandKnobs(scenario, seed);
    const outcome = await options.sandbox.run({ scenario, knobs, solutionJs: options.solutionJs, limits: options.limits, harness: exercise.harness });
    const system = getComponentSystem(scenario.workload.name);
    wallMs += outcome.wallMs;
    const base = {
      name: `${task.id} > ${scenario.name}`,
      taskId: task.id,
      scenario: scenario.name,
      scenarioIndex: index,
      seed,
      knobs: system ? system.describe(scenario, seed) : describeKnobs(knobs),
      replay: replayCommand(exercise.slug, options.solutionLabel, seed, index),
    };
    if (outcome.kind === "error") {
      hashes.push(hashText(`error:${outcome.message}`));
      tests.push({ ...base, status: "error", message: outcome.message, metrics: {}, historyHash: hashes.at(-1)! });
      continue;
    }
    const run = outcome.data;
    // A component run's record is hashed inside the sandbox, request by request (see sim/requests/recorder.ts).
    const historyHash = isComponentRun(run) ? run.components.recordHash : hashText(JSON.stringify(run.history));
    hashes.push(historyHash);
    const figures = runFigures(run);
    events += run.stats.events;
    simulatedMs += run.stats.simulatedMs;
    serverMessages += run.stats.serverMessages;
    ops += figures.ops;
    const metrics: Record<string, number> = {
      events: run.stats.events,
      simulatedMs: run.stats.simulatedMs,
      wallMs: outcome.wallMs,
      ops: figures.ops,
      msgsPerOp: figures.msgsPerOp,
      latencyP50Ms: figures.latency.p50,
      latencyP99Ms: figures.latency.p99,
      latencyMaxMs: figures.latency.max,
      messagesDropped: run.stats.messagesDropped,
    };
    if (isComponentRun(run)) {
      // A component run has no client history or messages: its figures are the system's own.
      for (const key of ["ops", "msgsPerOp", "messagesDropped", "latencyP50Ms", "latencyP99Ms", "latencyMaxMs"]) delete metrics[key];
      Object.assign(metrics, run.components.figures);
    }
    const checkTable = (system?.checks ?? getWorkload(scenario.workload.name).checks) as Record<string, CheckFn>;
    let failure: { check: string; message: string } | undefined;
    const passed: string[] = [];
    const checks: CheckSpec[] = [{ name: "no-errors" }, ...task.checks.filter((c) => c.name !== "no-errors")];
    for (const spec of checks) {
      const check: CheckFn | undefined = checkTable[spec.name] ?? genericChecks[spec.name];
      if (!check) throw new Error(`exercise ${exercise.slug}, task ${task.id}: no check named "${spec.name}"`);
      const result = check(run, spec.params ?? {});
      Object.assign(metrics, result.metrics ?? {});
      if (!result.ok && !failure) failure = { check: spec.name, message: result.message };
      if (result.ok) passed.push(result.message);
    }
    tests.push({
      ...base,
      status: failure ? "fail" : "pass",
      message: failure ? `${failure.check}: ${failure.message}` : passed.join("; "),
      ...(failure ? { check: failure.check, logs: logLines(run) } : {}),
      metrics,
      historyHash,
    });
    options.onRun?.(tests.at(-1)!, run);
  }
  options.onProgress?.(plan.length, plan.length, 0, "");
  const status: Status = tests.some((t) => t.status === "error") ? "error" : tests.some((t) => t.status === "fail") ? "fail" : "pass";
  const firstBad = tests.find((t) => t.status !== "pass");
  const allLatencies = tests.map((t) => t.metrics.latencyP50Ms ?? 0).sort((a, b) => a - b);
  return {
    version: 1,
    status,
    exercise: exercise.slug,
    ...(firstBad ? { message: `${firstBad.name} (seed ${firstBad.seed}): ${firstBad.message}` } : {}),
    tests,
    metrics: {
      runs: tests.length,
      events,
      simulatedMs,
      wallMs,
      msgsPerOp: ops ? Math.round((serverMessages / ops) * 10) / 10 : 0,
      latency: {
        p50: percentile(allLatencies, 0.5),
        p99: Math.max(0, ...tests.map((t) => t.metrics.latencyP99Ms ?? 0)),
        max: Math.max(0, ...tests.map((t) => t.metrics.latencyMaxMs ?? 0)),
      },
    },
    historyHash: hashText(hashes.join(",")),
    replay: firstBad ? firstBad.replay : `npx clusterlab grade ${exercise.slug} ${options.solutionLabel}`,
  };
}

/** What the nodes logged in a failing run, first lines first: often the learner's best clue. */
function logLines(run: RunData): string[] {
  return run.logs.slice(0, maxLogLines).map((l) => `${l.node} at ${formatMs(l.timeMs)}: ${l.text}`);
}
const maxLogLines = 20;

export function replayCommand(slug: string, file: string, seed: number, scenarioIndex: number): string {
  return `npx clusterlab grade ${slug} ${file} --seed ${seed} --scenario ${scenarioIndex}`;
}

/** The knobs a seed expanded into, as lines to print beside the seed. */
export function describeKnobs(knobs: Knobs): string[] {
  const skews = Object.entries(knobs.clocks).filter(([, c]) => c.skewMs || c.driftPpm);
  return [
    `nodes ${knobs.nodeIds.length}, latency ${describeLatency(knobs.latency)}, loss ${knobs.lossRate}, duplicates ${knobs.duplicateRate}`,
    ...(skews.length ? [`clocks ${skews.map(([id, c]) => `${id} ${c.skewMs >= 0 ? "+" : ""}${c.skewMs} ms ${c.driftPpm} ppm`).join(", ")}`] : []),
    ...knobs.faults.slice(0, 20).map(describeFault),
    ...(knobs.faults.length > 20 ? [`… ${knobs.faults.length - 20} more faults`] : []),
  ];
}
