// Same engine, solution and seed ⇒ byte-identical history hash, within a process and across processes.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { CliIo } from "../../src/cli/command.ts";

const root = join(import.meta.dirname, "..", "..");
const solution = "exercises/g-counter/.meta/solution.ts";

function io(): CliIo & { out: string; err: string } {
  const o = { out: "", err: "", isTty: false, color: false, cwd: root, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

async function gradeJson(args: string[]): Promise<{ code: number; results: { historyHash: string; status: string; tests: Array<{ historyHash: string; seed: number }> } }> {
  const out = io();
  const code = await main(["grade", "g-counter", solution, "--json", "--no-typecheck", ...args], out);
  return { code, results: JSON.parse(out.out) };
}

describe("determinism", () => {
  it("gives the same history hash on repeated runs in one process", async () => {
    const a = await gradeJson(["--seeds", "3"]);
    const b = await gradeJson(["--seeds", "3"]);
    expect(a.code).toBe(0);
    expect(a.results.historyHash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.results.historyHash).toBe(a.results.historyHash);
    expect(b.results.tests.map((t) => t.historyHash)).toEqual(a.results.tests.map((t) => t.historyHash));
  });

  it("gives the same history hash in another process", async () => {
    const here = await gradeJson(["--seed", "7"]);
    const stdout = execFileSync(process.execPath, ["--no-node-snapshot", join(root, "bin", "clusterlab.mjs"), "grade", "g-counter", solution, "--seed", "7", "--json", "--no-typecheck"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(JSON.parse(stdout).historyHash).toBe(here.results.historyHash);
  });

  it("gives different schedules for different seeds", async () => {
    const one = await gradeJson(["--seed", "1"]);
    const two = await gradeJson(["--seed", "2"]);
    expect(one.results.historyHash).not.toBe(two.results.historyHash);
  });
  // Under another time zone and locale: tests/graders/scope-sandbox.test.ts (it grades every reference in
  // both sandboxes already).
});
