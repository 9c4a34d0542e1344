// graders/sandbox/spill-pool.ts: another sandbox is asked for only when a grade has gone on for spillAfterMs,
// once, and kept for the next long grade; a short grade never asks for one.
import { describe, expect, it } from "vitest";
import { createSpillPool, type RunOutcome, type RunRequest, type Sandbox } from "../../graders/index.ts";

function setup(costMs: number) {
  let now = 0;
  const log: string[] = [];
  const made: number[] = [];
  const box = (name: string): Sandbox => ({
    concurrency: 2,
    async run(request: RunRequest): Promise<RunOutcome> {
      log.push(`${name}:${request.knobs.seed}`);
      now += costMs;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { kind: "error", message: name, wallMs: costMs };
    },
  });
  const pool = createSpillPool(box("first"), {
    spillAfterMs: 500,
    now: () => now,
    others: 1,
    othersConcurrency: 2,
    other: (index) => (made.push(index), box(`other${index}`)),
  });
  const grade = async (runs: number) => {
    const ahead = pool.concurrency ?? 1;
    const started: Array<Promise<RunOutcome>> = [];
    for (let i = 0; i < runs; i++) {
      for (let j = i; j < Math.min(runs, i + ahead); j++) started[j] ??= pool.run({ knobs: { seed: j + 1 } } as unknown as RunRequest);
      await started[i];
    }
  };
  return { pool, log, made, grade, idle: () => void (now += 60_000) };
}

describe("the spill pool", () => {
  it("holds as many runs at once as its sandboxes together", () => {
    expect(setup(10).pool.concurrency).toBe(4);
  });

  it("never asks for another sandbox in a short grade", async () => {
    const { log, made, grade } = setup(10);
    await grade(20); // 200 ms of runs
    expect(made).toEqual([]);
    expect(log.every((entry) => entry.startsWith("first:"))).toBe(true);
    expect(log).toHaveLength(20);
  });

  it("asks for it once a grade has gone on for spillAfterMs, and keeps it for the next long grade", async () => {
    const { log, made, grade, idle } = setup(100);
    await grade(30);
    expect(made).toEqual([0]);
    const first = log.findIndex((entry) => entry.startsWith("other0:"));
    // Not before 500 ms of runs (five of 100 ms) had started in the first sandbox.
    expect(first).toBeGreaterThanOrEqual(5);
    expect(log.filter((entry) => entry.startsWith("other0:")).length).toBeGreaterThan(5);
    expect(log.map((entry) => Number(entry.split(":")[1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    log.length = 0;
    idle();
    await grade(3);
    expect(log.every((entry) => entry.startsWith("first:"))).toBe(true);
    await grade(30);
    expect(made).toEqual([0]);
  });
});
