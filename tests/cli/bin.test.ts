// The bin as users call it, each call a process of its own: `node bin/clusterlab.mjs` under the project's
// Node 24, and the bin run by its shebang under an older Node first on the PATH (a linked or global install
// on a machine whose Node is 20), which hands the call to the project's Node 24: the same results. When no
// Node 24 can take the call, the older Node says so and exits 64.
import { spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { olderNode } from "../../bench/cli.ts";
import { repoRoot } from "./support/io.ts";

const bin = join(repoRoot, "bin", "clusterlab.mjs");
const reference = join(repoRoot, "exercises", "echo", ".meta", "solution.ts");
const older = olderNode();

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const grade = ["grade", "echo", reference, "--seeds", "2", "--format", "json"];
/** What must not depend on how the CLI was called (the rest of the results object holds wall times). */
const verdictOf = (stdout: string) => {
  const { status, historyHash } = JSON.parse(stdout) as { status: string; historyHash: string };
  return { status, historyHash };
};

describe("the clusterlab bin", () => {
  it("answers under the project's Node 24: --version, and a grade's results", () => {
    const version = run(process.execPath, [bin, "--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const graded = run(process.execPath, [bin, ...grade]);
    expect(graded.code).toBe(0);
    expect(verdictOf(graded.stdout)).toEqual({ status: "pass", historyHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it.skipIf(older === undefined)("run by its shebang under an older Node, hands the call to the project's Node 24: the same results", () => {
    const direct = run(process.execPath, [bin, ...grade]);
    const linked = run(bin, grade, { PATH: `${dirname(older!)}${delimiter}${process.env.PATH ?? ""}` });
    expect(linked.stderr).not.toMatch(/needs Node 24/);
    expect(linked.code).toBe(0);
    expect(verdictOf(linked.stdout)).toEqual(verdictOf(direct.stdout));
    const version = run(older!, [bin, "--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(run(process.execPath, [bin, "--version"]).stdout);
  });

  it.skipIf(older === undefined)("under an older Node with no Node 24 to hand the call to, says what it needs and exits 64", () => {
    // CLUSTERLAB_OWN_NODE marks a call already handed on once, so the bin does not hand it on again.
    const refused = run(older!, [bin, "--version"], { CLUSTERLAB_OWN_NODE: "1" });
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/clusterlab needs Node 24 or newer \(this is v\d+/);
    expect(refused.stdout).toBe("");
  });
});
