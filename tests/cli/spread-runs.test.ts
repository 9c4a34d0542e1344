// One file's runs over several sandbox processes (src/cli/spread-runs.ts): a grade that goes on past
// spillAfterMs starts more processes, up to --jobs, with the results and hash of one process; the default
// leaves out the cores that the load average says are busy.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PHASES_PREFIX, type PhaseReport } from "../../src/cli/phases.ts";
import { defaultProcesses } from "../../src/cli/spread-runs.ts";
import { repoRoot } from "./support/io.ts";

const bin = join(repoRoot, "bin", "clusterlab.mjs");
const reference = join(repoRoot, "exercises", "url-shortener", ".meta", "solution.ts");

/**
 * A grade of five runs of a design prompt, and the processes that ran it. Each run takes over a second on
 * this project's machine when idle (more under load), longer than spillAfterMs, so the grade spills as the
 * first run ends whatever the load. failure-detector's six runs of ~0.3 s did not: the first process had
 * taken every run before the pool had been busy for 0.75 s, and CI's run saw one process.
 */
function gradeWith(jobs: number) {
  const result = spawnSync(process.execPath, [bin, "grade", "url-shortener", reference, "--seeds", "1", "--json", "--jobs", String(jobs)], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, CLUSTERLAB_TIMINGS: "1" },
    timeout: 120_000,
  });
  const line = result.stderr.split("\n").find((l) => l.startsWith(PHASES_PREFIX));
  const report = JSON.parse(line!.slice(PHASES_PREFIX.length)) as PhaseReport;
  const { status, historyHash, tests } = JSON.parse(result.stdout) as { status: string; historyHash: string; tests: Array<{ name: string; seed: number; status: string; historyHash: string }> };
  return {
    code: result.status,
    verdict: { status, historyHash, tests: tests.map((t) => `${t.name} ${t.seed} ${t.status} ${t.historyHash}`) },
    processes: report.counts.find(([name]) => name === "sandbox processes that took runs")?.[1],
  };
}

describe("spreading one file's runs", () => {
  it("starts a second process for a long grade, with one process's results and hash", () => {
    const one = gradeWith(1);
    const two = gradeWith(2);
    expect(one.code).toBe(0);
    expect(one.processes).toBe(1);
    expect(two.processes).toBe(2);
    expect(two.verdict).toEqual(one.verdict);
    expect(one.verdict.tests).toHaveLength(5);
  }, 240_000);

  it("by default takes the cores that the load leaves free, at least one and at most four", () => {
    expect(defaultProcesses(2, 0.1)).toBe(2);
    expect(defaultProcesses(2, 0.9)).toBe(1);
    expect(defaultProcesses(2, 6)).toBe(1);
    expect(defaultProcesses(1, 0)).toBe(1);
    expect(defaultProcesses(16, 2)).toBe(4);
    expect(defaultProcesses(4, 1.2)).toBe(3);
  });
});
