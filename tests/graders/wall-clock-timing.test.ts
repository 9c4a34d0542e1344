// A component's speed task times the learner's calls with the host's real clock in both sandboxes. In the
// one-realm sandbox (the browser's), Date becomes the running node's virtual clock after the lockdown: read
// through it, lru-cache's speed task measured every cache at 0 µs per call, and a cache that scans its
// entries passed in the browser while it failed in the CLI.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox } from "../../graders/sandbox/node/index.ts";
import { loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const dir = join(import.meta.dirname, "..", "..", "exercises", "lru-cache");

describe("lru-cache's speed task reads the real clock in both sandboxes", () => {
  for (const [name, sandbox] of [["isolated-vm", createIsolatedVmSandbox()], ["one-realm", createOneRealmIvmSandbox()]] as const) {
    it(`${name}: a scanning cache fails on speed, the reference passes`, async () => {
      const exercise = (await loadExercise("lru-cache"))!;
      const run = async (file: string) => {
        const results = await grade({ exercise, solutionJs: await readSolutionJs(join(dir, file), file), solutionLabel: file, sandbox, seeds: [1], scenario: "timed-10000" });
        return results.tests[0]!;
      };
      const scan = await run(".meta/wrong/array-scan.ts");
      expect(scan.status).toBe("fail");
      expect(scan.check).toBe("speed");
      const reference = await run(".meta/solution.ts");
      expect(reference.status, reference.message).toBe("pass");
    }, 60_000);
  }
});
