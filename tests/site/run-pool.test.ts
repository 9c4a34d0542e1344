// The grading Worker's run pool (src/grader/run-pool.ts): runs stay in the grading Worker until the pool has
// been busy for spillAfterMs, then go to the runners too; which Worker ran a run never changes a grade.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exerciseSeeds, grade, type RunOutcome, type RunRequest, type Sandbox } from "../../graders/index.ts";
import { createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { createRunPool, serveRuns, spillAfterMs } from "../../src/grader/run-pool.ts";

/** A made-up clock the fake sandboxes move on: each run takes `costMs` of it. */
function fakeClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** A sandbox that says which Worker ran each run (by name), taking `costMs` of the clock per run. */
function fake(name: string, clock: ReturnType<typeof fakeClock>, costMs: number, log: string[]): Sandbox {
  return {
    async run(request: RunRequest): Promise<RunOutcome> {
      log.push(`${name}:${request.knobs.seed}`);
      clock.advance(costMs);
      return { kind: "error", message: name, wallMs: costMs };
    },
  };
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) (channel.port1.close(), channel.port2.close());
});

/** A pool of `local` and one runner behind a real MessageChannel. */
function poolOf(local: Sandbox, runner: Sandbox, now: () => number, spill?: number): Sandbox {
  const channel = new MessageChannel();
  channels.push(channel);
  serveRuns(channel.port2, runner);
  return createRunPool(local, [channel.port1], { now, ...(spill !== undefined ? { spillAfterMs: spill } : {}) });
}

const request = (seed: number) => ({ knobs: { seed } }) as unknown as RunRequest;

/** Runs seeds 1..n as grade() does: `ahead` runs in flight, the next started as each ends. */
async function runAll(pool: Sandbox, n: number): Promise<void> {
  const ahead = pool.concurrency ?? 1;
  const started: Array<Promise<RunOutcome>> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i; j < Math.min(n, i + ahead); j++) started[j] ??= pool.run(request(j + 1));
    await started[i];
  }
}

describe("the run pool", () => {
  it("keeps a grade that ends within spillAfterMs in the grading Worker", async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const pool = poolOf(fake("local", clock, 10, log), fake("runner", clock, 10, log), clock.now);
    expect(pool.concurrency).toBe(3);
    const runs = Math.floor(spillAfterMs / 10) - 1;
    await runAll(pool, runs);
    expect(log).toHaveLength(runs);
    expect(log.every((entry) => entry.startsWith("local:"))).toBe(true);
  });

  it("spreads a grade over the runners once it has run for spillAfterMs, runners first", async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const pool = poolOf(fake("local", clock, 200, log), fake("runner", clock, 0, log), clock.now);
    await runAll(pool, 8);
    // 200 ms per local run: seeds 1 and 2 run here (seed 2 starts before the pool has been busy for 300 ms);
    // seed 3, the first run after that, goes to the runner, and this Worker takes seed 4 meanwhile.
    expect(log.slice(0, 2)).toEqual(["local:1", "local:2"]);
    expect(log.indexOf("runner:3")).toBeGreaterThan(-1);
    expect(log.filter((entry) => entry.startsWith("runner:")).length).toBeGreaterThanOrEqual(2);
    expect(log.map((entry) => Number(entry.split(":")[1])).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("starts each grade in the grading Worker again: an idle pool forgets the last grade's length", async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const pool = poolOf(fake("local", clock, 200, log), fake("runner", clock, 0, log), clock.now);
    await runAll(pool, 6);
    expect(log.some((entry) => entry.startsWith("runner:"))).toBe(true);
    log.length = 0;
    clock.advance(10_000);
    await runAll(pool, 1);
    expect(log).toEqual(["local:1"]);
  });

  it("with spillAfterMs 0 spreads a grade from its first runs", async () => {
    const clock = fakeClock();
    const log: string[] = [];
    const pool = poolOf(fake("local", clock, 10, log), fake("runner", clock, 10, log), clock.now, 0);
    await runAll(pool, 4);
    expect(log.some((entry) => entry.startsWith("runner:"))).toBe(true);
  });

  it("gives a real grade's results and hash whichever Worker runs each run", async () => {
    const exercise = (await loadExercise("g-counter"))!;
    const compiled = await transpileSolution(readFileSync(join(exercisesDir, "g-counter", ".meta", "solution.ts"), "utf8"), "solution.ts");
    if ("errors" in compiled) throw new Error("the reference does not compile");
    const seeds = exerciseSeeds(exercise, 3);
    const gradeWith = (sandbox: Sandbox) => grade({ exercise, solutionJs: compiled.js, solutionLabel: "solution.ts", sandbox, seeds });
    const alone = await gradeWith(createOneRealmIvmSandbox());
    const ranBy: string[] = [];
    const tagged = (name: string, inner: Sandbox): Sandbox => ({ run: (r) => (ranBy.push(name), inner.run(r)) });
    // Spill at once, so both Workers take runs.
    const pooled = await gradeWith(poolOf(tagged("local", createOneRealmIvmSandbox()), tagged("runner", createOneRealmIvmSandbox()), () => performance.now(), 0));
    expect(new Set(ranBy)).toEqual(new Set(["local", "runner"]));
    expect(pooled.status).toBe("pass");
    expect(pooled.historyHash).toBe(alone.historyHash);
    expect(pooled.tests.map((t) => `${t.name} ${t.seed} ${t.status} ${t.historyHash}`)).toEqual(alone.tests.map((t) => `${t.name} ${t.seed} ${t.status} ${t.historyHash}`));
  });
});
