// grade() with a sandbox that takes several runs at once (the browser's Worker per core): the runs go side
// by side, and the results are those of one run at a time: same tests in the same order, same hashes, and a
// budget that stops the grade still skips every later run, even those already started.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade, type RunOutcome, type RunRequest, type Sandbox } from "../../graders/index.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";

async function echoSolution(): Promise<string> {
  const file = join(exercisesDir, "echo", ".meta", "solution.ts");
  const out = await transpileSolution(readFileSync(file, "utf8"), file);
  if ("errors" in out) throw new Error("the echo reference does not compile");
  return out.js;
}

/** `inner` behind `concurrency` slots, counting the runs in flight; `rewrite` may replace the n-th run's outcome. */
function counted(inner: Sandbox, concurrency: number, rewrite?: (n: number, outcome: RunOutcome) => RunOutcome) {
  let inFlight = 0;
  let calls = 0;
  const stats = { maxInFlight: 0, calls: 0 };
  const sandbox: Sandbox = {
    concurrency,
    async run(request: RunRequest) {
      const n = ++calls;
      stats.calls = calls;
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      try {
        // A turn first, so the runs started ahead are in flight together.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const outcome = await inner.run(request);
        return rewrite ? rewrite(n, outcome) : outcome;
      } finally {
        inFlight--;
      }
    },
  };
  return { sandbox, stats };
}

describe("grade() with a sandbox that runs several at once", () => {
  it("keeps that many runs in flight and gives the results of one at a time", async () => {
    const exercise = (await loadExercise("echo"))!;
    const solutionJs = await echoSolution();
    const seeds = [1, 2, 3];
    const serial = await grade({ exercise, solutionJs, solutionLabel: "echo.ts", sandbox: createIsolatedVmSandbox(), seeds });
    const { sandbox, stats } = counted(createIsolatedVmSandbox(), 3);
    const progress: number[] = [];
    const wide = await grade({ exercise, solutionJs, solutionLabel: "echo.ts", sandbox, seeds, onProgress: (done) => progress.push(done) });
    expect(stats.maxInFlight).toBe(3);
    const strip = (r: typeof serial) => JSON.stringify({ ...r, tests: r.tests.map((t) => ({ ...t, metrics: { ...t.metrics, wallMs: 0 } })), metrics: { ...r.metrics, wallMs: 0 } });
    expect(strip(wide)).toBe(strip(serial));
    expect(progress).toEqual([...Array.from({ length: serial.tests.length }, (_, i) => i), serial.tests.length]);
  }, 120_000);

  it("reports the runs judged so far that failed, with the first, before each run and at the end", async () => {
    const exercise = (await loadExercise("echo"))!;
    const solutionJs = await echoSolution();
    // The second run's outcome replaced by an error: the progress after it counts one bad run, that one.
    const broken = counted(createIsolatedVmSandbox(), 1, (n, outcome) => (n === 2 ? { kind: "error", message: "the node threw (test)", wallMs: 1 } : outcome));
    const reports: Array<{ done: number; runs: number; first?: string }> = [];
    const results = await grade({
      exercise, solutionJs, solutionLabel: "echo.ts", sandbox: broken.sandbox, seeds: [1, 2],
      onProgress: (done, _total, _seed, _name, bad) => reports.push({ done, runs: bad.runs, ...(bad.first ? { first: `${bad.first.status} ${bad.first.name} ${bad.first.seed}` } : {}) }),
    });
    const second = results.tests[1]!;
    expect(second.status).toBe("error");
    expect(reports.map((r) => r.runs)).toEqual([0, 0, ...results.tests.slice(2).map(() => 1), 1]);
    expect(reports.at(-1)).toEqual({ done: results.tests.length, runs: 1, first: `error ${second.name} ${second.seed}` });
  }, 120_000);

  it("skips every run after one that spent the wall budget, as one at a time does", async () => {
    const exercise = (await loadExercise("echo"))!;
    const solutionJs = await echoSolution();
    const seeds = [1, 2, 3, 4];
    const wall = (n: number, outcome: RunOutcome): RunOutcome => (n === 2 ? { kind: "error", budget: "wall", message: "wall-time budget exceeded (test)", wallMs: 10_000 } : outcome);
    const one = counted(createIsolatedVmSandbox(), 1, wall);
    const serial = await grade({ exercise, solutionJs, solutionLabel: "echo.ts", sandbox: one.sandbox, seeds });
    const three = counted(createIsolatedVmSandbox(), 3, wall);
    const wide = await grade({ exercise, solutionJs, solutionLabel: "echo.ts", sandbox: three.sandbox, seeds });
    expect(serial.tests.map((t) => t.status)).toEqual(["pass", "error", ...serial.tests.slice(2).map(() => "skipped")]);
    expect(wide.tests.map((t) => `${t.status} ${t.historyHash}`)).toEqual(serial.tests.map((t) => `${t.status} ${t.historyHash}`));
    expect(wide.historyHash).toBe(serial.historyHash);
    // Started ahead before the stop was known, and dropped.
    expect(three.stats.calls).toBeGreaterThan(one.stats.calls);
  }, 120_000);
});
