// What the process boundary costs: the same echo runs (five nodes, ~130 KB of run data) graded in-process
// and through createProcessSandbox, per run; and what a fresh child costs (after a crash, or the first run).
import { expandKnobs, type ScenarioSpec } from "../graders/index.ts";
import { createIsolatedVmSandbox, createProcessSandbox, type ProcessSandbox } from "../graders/sandbox/node/index.ts";
import type { RunRequest, Sandbox } from "../graders/sandbox/types.ts";
import { loadExercise } from "../src/cli/exercises.ts";
import { solution } from "./engine.ts";

export interface ProcessSandboxFigures {
  inProcessMsPerRun: number;
  processMsPerRun: number;
  /** processMsPerRun − inProcessMsPerRun: the IPC and JSON of one run, both ways. */
  overheadMsPerRun: number;
  /** Fork to the child's sandbox being ready (Node, isolated-vm, the three bundles), as the parent sees it. */
  childStartMs: number;
  /** A run that has to start its child first, as the caller waits for it. */
  coldRunMs: number;
}

async function echoRequests(count: number): Promise<RunRequest[]> {
  const exercise = (await loadExercise("echo"))!;
  const scenario: ScenarioSpec = exercise.tasks.flatMap((t) => t.scenarios).find((s) => s.nodes === 5)!;
  const solutionJs = await solution("echo");
  return Array.from({ length: count }, (_, i) => ({ scenario, knobs: expandKnobs(scenario, i + 1), solutionJs }));
}

/** The median of per-run wall times as the caller sees them: steadier than a mean on a shared machine. */
async function msPerRun(sandbox: Sandbox, requests: RunRequest[]): Promise<number> {
  const times: number[] = [];
  for (const request of requests) {
    const started = performance.now();
    const outcome = await sandbox.run(request);
    times.push(performance.now() - started);
    if (outcome.kind !== "data") throw new Error(`bench run failed: ${outcome.message}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function benchProcessSandbox(print: (line: string) => void = console.log, runs = 30): Promise<ProcessSandboxFigures> {
  const requests = await echoRequests(runs);
  const inProcess = createIsolatedVmSandbox();
  await msPerRun(inProcess, requests.slice(0, 3)); // warm-up: bundles, code cache, JIT
  const inProcessMs = await msPerRun(inProcess, requests);

  const boxed: ProcessSandbox = createProcessSandbox();
  try {
    const coldStarted = performance.now();
    await boxed.run(requests[0]!);
    const coldRunMs = performance.now() - coldStarted;
    const childStartMs = boxed.stats().startMs ?? NaN;
    await msPerRun(boxed, requests.slice(0, 2));
    const processMs = await msPerRun(boxed, requests);
    const figures: ProcessSandboxFigures = {
      inProcessMsPerRun: round(inProcessMs),
      processMsPerRun: round(processMs),
      overheadMsPerRun: round(processMs - inProcessMs),
      childStartMs,
      coldRunMs: round(coldRunMs),
    };
    print(`process boundary (echo, 5 nodes, median of ${runs} warm runs each)`);
    print(`  in-process isolated-vm: ${figures.inProcessMsPerRun} ms per run; through a sandbox process: ${figures.processMsPerRun} ms → ${figures.overheadMsPerRun} ms per run for the boundary`);
    print(`  a fresh sandbox process: ready in ${figures.childStartMs} ms; its first run, start included: ${figures.coldRunMs} ms`);
    return figures;
  } finally {
    boxed.dispose();
  }
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;
if (isMain) await benchProcessSandbox();
