// The process sandbox: the same results as the in-process sandbox, and what would kill or exhaust the grading
// process (a fatal V8 allocation, WebAssembly memory, a dead or stuck child) ends as a verdict instead, with
// the next run in the same sandbox unharmed.
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { expandKnobs, grade, type ExerciseDef, type RunOutcome, type SandboxLimits, type ScenarioSpec } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createProcessSandbox, type ProcessSandbox } from "../../graders/sandbox/node/index.ts";
import { deathOutcome } from "../../graders/sandbox/node/process-sandbox.ts";
import { wallBudgetMessage } from "../../graders/sandbox/verdicts.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(root, "tests", "fixtures", "bad");
const reference = join(exercisesDir, "echo", ".meta", "solution.ts");
const exercise = (await loadExercise("echo")) as ExerciseDef;
const fiveNodes: ScenarioSpec = exercise.tasks.flatMap((t) => t.scenarios).find((s) => s.nodes === 5)!;
const memoryVerdict = /^memory budget exceeded: the sandbox process died \(.+\) — the solution allocated more than its 128 MB$/;

const sandbox: ProcessSandbox = createProcessSandbox();

// The grading process's own resident size, sampled all along: none of the runs below may inflate it.
let peakParentRssBytes = process.memoryUsage.rss();
const sampler = setInterval(() => (peakParentRssBytes = Math.max(peakParentRssBytes, process.memoryUsage.rss())), 20);
afterAll(() => {
  clearInterval(sampler);
  sandbox.dispose();
});

async function runFixture(name: string, limits?: Partial<SandboxLimits>, using: ProcessSandbox = sandbox): Promise<RunOutcome> {
  const solutionJs = await readSolutionJs(join(fixtures, name), name);
  return using.run({ scenario: fiveNodes, knobs: expandKnobs(fiveNodes, 1), solutionJs, limits });
}

async function expectReferencePasses(using: ProcessSandbox = sandbox): Promise<void> {
  const results = await grade({ exercise, solutionJs: await readSolutionJs(reference), solutionLabel: reference, sandbox: using, seeds: [1] });
  expect(results.tests.filter((t) => t.status !== "pass").map((t) => t.message)).toEqual([]);
}

async function waitForChild(using: ProcessSandbox): Promise<number> {
  for (;;) {
    const { pid } = using.stats();
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the process sandbox", () => {
  it("grades echo's reference to the same history hash as the in-process sandbox", async () => {
    const solutionJs = await readSolutionJs(reference);
    const options = { exercise, solutionJs, solutionLabel: reference, seeds: [1, 2, 3] };
    const inProcess = await grade({ ...options, sandbox: createIsolatedVmSandbox() });
    const boxed = await grade({ ...options, sandbox });
    expect(boxed.status).toBe("pass");
    expect(boxed.historyHash).toBe(inProcess.historyHash);
    expect(boxed.tests.map((t) => t.historyHash)).toEqual(inProcess.tests.map((t) => t.historyHash));
  });

  it("warm() starts the child before any run, and the first run uses it", async () => {
    const warmed = createProcessSandbox();
    try {
      warmed.warm();
      expect(warmed.stats().starts).toBe(1);
      await expectReferencePasses(warmed);
      expect(warmed.stats().starts).toBe(1);
    } finally {
      warmed.dispose();
    }
  });

  it("array-bomb.ts ends as a memory verdict, and the next run passes in a fresh child", async () => {
    const startsBefore = sandbox.stats().starts;
    const outcome = await runFixture("array-bomb.ts");
    expect(outcome).toMatchObject({ kind: "error", budget: "memory" });
    expect(outcome.kind === "error" && outcome.message).toMatch(memoryVerdict);
    await expectReferencePasses();
    expect(sandbox.stats().starts).toBe(startsBefore + 1);
  });

  // A locked-down realm has no WebAssembly (graders/runtime/lockdown/standard-globals.ts), so the fixture
  // stops at its first line; where a realm still has it, the guard must stop the growth instead.
  it("wasm-memory.ts cannot grow memory past the guard, and the next run passes", async () => {
    const outcome = await runFixture("wasm-memory.ts");
    expect(outcome.kind).toBe("error");
    const message = outcome.kind === "error" ? outcome.message : "";
    if (/WebAssembly is not defined/.test(message)) expect(message).toMatch(/top-level code threw ReferenceError/);
    else expect(outcome).toMatchObject({ budget: "memory", message: expect.stringMatching(memoryVerdict) });
    await expectReferencePasses();
  });

  it("kills a child whose resident size passes the guard mid-run, and the next run passes", async () => {
    const guarded = createProcessSandbox({ residentGuardMb: 320 });
    try {
      // The isolate may take 1 GB, so only the guard can stop this hoard.
      const outcome = await runFixture("memory-bomb.ts", { memoryMb: 1024 }, guarded);
      expect(outcome).toMatchObject({ kind: "error", budget: "memory" });
      expect(outcome.kind === "error" && outcome.message).toMatch(/^memory budget exceeded: the sandbox process died \(killed by SIGKILL: resident memory reached \d+ MB, over its guard of 320 MB\)/);
      await expectReferencePasses(guarded);
    } finally {
      guarded.dispose();
    }
  });

  it("lets the inner sandbox stop an infinite loop and reuses the child", async () => {
    await expectReferencePasses();
    const pid = sandbox.stats().pid;
    const outcome = await runFixture("top-level-loop.ts", { wallMs: 1000 });
    expect(outcome.kind === "error" && outcome.message).toMatch(/^wall-time budget exceeded.*node n1 was running its top level/);
    await expectReferencePasses();
    expect(sandbox.stats().pid).toBe(pid);
  });

  it("gives a verdict, not a throw, when the child is killed from outside mid-run", async () => {
    const running = runFixture("handler-loop.ts", { wallMs: 20_000 });
    const pid = await waitForChild(sandbox);
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(pid, "SIGKILL");
    const outcome = await running;
    expect(outcome.kind).toBe("error");
    expect(outcome.kind === "error" && outcome.message).toMatch(/^the sandbox process died: killed by SIGKILL/);
    expect(outcome.kind === "error" && outcome.budget).toBeUndefined();
    await expectReferencePasses();
    expect(sandbox.stats().pid).not.toBe(pid);
  });

  it("kills a child that stops answering once the wall budget and its grace have passed", async () => {
    const stuck = createProcessSandbox();
    try {
      await expectReferencePasses(stuck);
      const running = runFixture("handler-loop.ts", { wallMs: 500 }, stuck);
      process.kill((await waitForChild(stuck)), "SIGSTOP");
      const outcome = await running;
      expect(outcome).toMatchObject({ kind: "error", budget: "wall", message: wallBudgetMessage({ wallMs: 500, memoryMb: 128 }) });
      expect(outcome.wallMs).toBeGreaterThanOrEqual(5500);
      await expectReferencePasses(stuck);
    } finally {
      stuck.dispose();
    }
  }, 20_000);

  it("queues concurrent runs, one at a time in one child", async () => {
    const solutionJs = await readSolutionJs(reference);
    const outcomes = await Promise.all([1, 2, 3].map((seed) => sandbox.run({ scenario: fiveNodes, knobs: expandKnobs(fiveNodes, seed), solutionJs })));
    expect(outcomes.map((o) => o.kind)).toEqual(["data", "data", "data"]);
  });

  it("sends the next run while one runs; when that child dies, the run sent after it runs in the next child", async () => {
    expect(sandbox.concurrency).toBe(2);
    const [loopJs, solutionJs] = await Promise.all([readSolutionJs(join(fixtures, "handler-loop.ts"), "handler-loop.ts"), readSolutionJs(reference)]);
    sandbox.warm();
    const pidBefore = await waitForChild(sandbox);
    const startsBefore = sandbox.stats().starts;
    const running = sandbox.run({ scenario: fiveNodes, knobs: expandKnobs(fiveNodes, 1), solutionJs: loopJs, limits: { wallMs: 20_000 } });
    const next = sandbox.run({ scenario: fiveNodes, knobs: expandKnobs(fiveNodes, 1), solutionJs });
    await new Promise((resolve) => setTimeout(resolve, 300)); // inside the learner's loop, the next run sent
    process.kill(pidBefore, "SIGKILL");
    const [killed, after] = await Promise.all([running, next]);
    expect(killed.kind === "error" && killed.message).toMatch(/^the sandbox process died: killed by SIGKILL/);
    expect(after.kind).toBe("data");
    expect(sandbox.stats().starts).toBe(startsBefore + 1);
    // The same data as the run alone in a fresh sandbox.
    const alone = createIsolatedVmSandbox();
    const fresh = await alone.run({ scenario: fiveNodes, knobs: expandKnobs(fiveNodes, 1), solutionJs });
    alone.dispose?.();
    const historyOf = (o: RunOutcome) => (o.kind === "data" && o.data.harness === "node" ? o.data.history : undefined);
    expect(historyOf(after)).toBeDefined();
    expect(historyOf(after)).toEqual(historyOf(fresh));
  });

  it("reads V8's own last words as running out of memory", () => {
    const limits = { wallMs: 1000, memoryMb: 128 };
    const isolatedVm = "\n<--- Last few GCs --->\n\n[5167:0x4322f000]     2155 ms: Mark-Compact (reduce) 192.9 (195.3) -> 192.9 (194.3) MB\n\ninvalid table size\nis_heap_oom = 1\n\n\n<--- Heap statistics --->\ntotal_heap_size = 1411670016\n";
    const nodeHeap = "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n----- Native stack trace -----\n";
    expect(deathOutcome({ code: null, signal: "SIGABRT", stderrTail: isolatedVm }, limits, 5)).toMatchObject({
      budget: "memory",
      message: "memory budget exceeded: the sandbox process died (killed by SIGABRT: V8 out of memory: invalid table size) — the solution allocated more than its 128 MB",
    });
    expect(deathOutcome({ code: 134, signal: null, stderrTail: nodeHeap }, limits, 5)).toMatchObject({ budget: "memory", message: expect.stringContaining("(exit code 134: FATAL ERROR: Reached heap limit") });
    expect(deathOutcome({ code: null, signal: "SIGSEGV", stderrTail: "" }, limits, 5)).toEqual({ kind: "error", message: "the sandbox process died: killed by SIGSEGV", wallMs: 5 });
  });

  it("refuses runs after dispose()", async () => {
    const disposed = createProcessSandbox();
    disposed.dispose();
    await expect(disposed.run({ scenario: fiveNodes, knobs: expandKnobs(fiveNodes, 1), solutionJs: "" })).rejects.toThrow(/disposed/);
  });

  it("lets a CLI process exit while its child is idle, and the child goes with it", async () => {
    const script = `
      const { createProcessSandbox } = await import(${JSON.stringify(join(root, "graders/sandbox/node/index.ts"))});
      const { readSolutionJs } = await import(${JSON.stringify(join(root, "tests/support/solution-js.ts"))});
      const { expandKnobs } = await import(${JSON.stringify(join(root, "graders/index.ts"))});
      const scenario = ${JSON.stringify(fiveNodes)};
      const sandbox = createProcessSandbox();
      const outcome = await sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: await readSolutionJs(${JSON.stringify(reference)}) });
      console.log(JSON.stringify({ kind: outcome.kind, pid: sandbox.stats().pid }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--no-node-snapshot", "--input-type=module", "-e", script], { cwd: root, timeout: 30_000 });
    const { kind, pid } = JSON.parse(stdout) as { kind: string; pid: number };
    expect(kind).toBe("data");
    await expectGone(pid);
  });

  it("leaves no orphan when the grading process is killed mid-run", async () => {
    const script = `
      const { createProcessSandbox } = await import(${JSON.stringify(join(root, "graders/sandbox/node/index.ts"))});
      const { readSolutionJs } = await import(${JSON.stringify(join(root, "tests/support/solution-js.ts"))});
      const { expandKnobs } = await import(${JSON.stringify(join(root, "graders/index.ts"))});
      const scenario = ${JSON.stringify(fiveNodes)};
      const sandbox = createProcessSandbox();
      const running = sandbox.run({ scenario, knobs: expandKnobs(scenario, 1), solutionJs: await readSolutionJs(${JSON.stringify(join(fixtures, "handler-loop.ts"))}), limits: { wallMs: 30000 } });
      const poll = setInterval(() => { if (sandbox.stats().pid) { console.log(sandbox.stats().pid); clearInterval(poll); } }, 10);
      await running;
    `;
    const grader = spawn(process.execPath, ["--no-node-snapshot", "--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve) => grader.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString()))));
    await new Promise((resolve) => setTimeout(resolve, 500)); // the child is now inside the learner's loop
    grader.kill("SIGKILL");
    await expectGone(pid);
  });

  it("kept the grading process's resident size under 1 GB through all of the above", () => {
    expect(peakParentRssBytes).toBeLessThan(1024 ** 3);
  });
});

/**
 * A process that is gone within a few seconds. Signal 0 only asks whether it exists; a zombie still does
 * when nothing reaps orphans (a container's first process may not), so a zombie counts as gone.
 */
async function expectGone(pid: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (isZombie(pid)) return;
    if (Date.now() > deadline) throw new Error(`sandbox process ${pid} is still alive 5 s after its parent went`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false; // no /proc here: rely on signal 0
  }
}
