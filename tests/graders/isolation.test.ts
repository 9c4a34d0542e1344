// No node shares state with another or reaches the engine, in either sandbox. Each fixture in
// tests/fixtures/channels/ is a g-counter that sends no message and keeps the cluster's total in one
// place that all nodes might share: it may pass only if that place is shared, so each must fail on
// convergence (a wrong read), never pass, and never crash the grader.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade, type Sandbox } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../../graders/sandbox/node/index.ts";
import { loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const channels = join(import.meta.dirname, "..", "fixtures", "channels");
const files = readdirSync(channels).filter((f) => f.endsWith(".ts")).sort();
const sandboxes: Array<[string, Sandbox]> = [
  ["isolated-vm", createIsolatedVmSandbox()],
  ["browser", createOneRealmIvmSandbox()],
];

describe.each(sandboxes)("no channel between nodes in the %s sandbox", (_name, sandbox) => {
  it.each(files)("%s", async (file) => {
    const exercise = (await loadExercise("g-counter"))!;
    const results = await grade({ exercise, solutionJs: await readSolutionJs(join(channels, file), file), solutionLabel: file, sandbox, seeds: [1], scenario: 1 });
    expect(results.tests).toHaveLength(1);
    const [test] = results.tests;
    expect(test!.status, test!.message).toBe("fail");
    expect(test!.check).toBe("convergence");
  }, 60_000);
});
