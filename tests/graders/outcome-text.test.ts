// The sandbox process sends a run's outcome on as the isolate's JSON text (isolated-vm.ts runText,
// run-data.ts finishedOutcomeText) instead of reading the data and writing it again: what the grader reads
// of it must be what it read of JSON.stringify(run()), for a run with data and for one without.
import { describe, expect, it } from "vitest";
import { expandKnobs } from "../../graders/sim/knobs.ts";
import { finishedOutcome, finishedOutcomeText } from "../../graders/sandbox/run-data.ts";
import type { RunOutcome, RunRequest } from "../../graders/sandbox/types.ts";
import { createIsolatedVmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { loadExercise } from "../../src/cli/exercises.ts";

/** An outcome as the grader reads it, without what differs between two runs of one request (real time, heap). */
const read = (text: string) => {
  const { wallMs, heapUsedBytes, ...rest } = JSON.parse(text) as RunOutcome & { heapUsedBytes?: number };
  return { ...rest, timed: typeof wallMs === "number", heap: typeof heapUsedBytes };
};

describe("a run's outcome as text", () => {
  it("reads as the outcome run() gives, in echo's runs and in one that ends in an error", async () => {
    const exercise = (await loadExercise("echo"))!;
    const scenario = exercise.tasks[1]!.scenarios[0]!;
    const compiled = await transpileSolution('export default (node: any) => node.on("echo", (m: any) => node.reply(m, { type: "echo_ok", echo: m.body.echo }));', "echo.ts");
    const broken = await transpileSolution("throw new Error('top level');", "broken.ts");
    if ("errors" in compiled || "errors" in broken) throw new Error("did not compile");
    const sandbox = createIsolatedVmSandbox();
    try {
      for (const solutionJs of [compiled.js, broken.js]) {
        const request: RunRequest = { scenario, knobs: expandKnobs(scenario, 2), solutionJs, harness: "node" };
        const object = read(JSON.stringify(await sandbox.run(request)));
        const text = read(await sandbox.runText!(request));
        expect(text).toEqual(object);
      }
    } finally {
      sandbox.dispose();
    }
  });

  it("tags the data as finishedOutcome does, an empty object's too", () => {
    const request = { scenario: { name: "s" }, knobs: { nodeIds: ["n1"] }, solutionJs: "", harness: "component" } as unknown as RunRequest;
    for (const data of [{}, { stats: { events: 1 }, errors: [], logs: [{ text: 'a "quoted" \u2028 line' }] }]) {
      const made = JSON.parse(finishedOutcomeText(request, JSON.stringify(data), 12, 34)) as { data: object };
      const outcome = finishedOutcome(request, data as never, 12, 34) as { data: object };
      expect(made).toEqual(JSON.parse(JSON.stringify(outcome)));
      // In the same order too.
      expect(Object.keys(made.data)).toEqual(Object.keys(outcome.data));
    }
  });
});
