// The GitHub Classroom template (docs/classroom/): its workflow's own commands, run locally in a temporary
// student repository with the workflow's env, give the result the grading reporter reads; and the legacy
// autograding.json's command passes a correct solution and fails a wrong one.
//
// One step is not run as written: "Install clusterlab" would fetch the package with npm. In its place the
// test links this checkout where npm puts it (node_modules/clusterlab, and its bin in node_modules/.bin).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/io.ts";
import { loadExercise } from "../../src/cli/exercises.ts";

const echo = (await loadExercise("echo"))!;
const points = (id: string) => echo.tasks.find((t) => t.id === id)!.points ?? 1;
const maxPoints = echo.tasks.reduce((sum, t) => sum + (t.points ?? 1), 0);

const docs = join(repoRoot, "docs", "classroom");
const workflow = readFileSync(join(docs, "classroom.yml"), "utf8");

/** The workflow's top-level env (KEY: value lines under `env:`). */
function workflowEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const block = /^env:\n((?: {2}.*\n)+)/m.exec(text)?.[1] ?? "";
  for (const line of block.split("\n")) {
    const m = /^ {2}([A-Z_]+): (.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  }
  return env;
}

/** Each step's name and its `run:` script (a one-liner or a `|` block). */
function workflowSteps(text: string): Array<{ name: string; run?: string }> {
  const steps: Array<{ name: string; run?: string }> = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const name = /^ {6}- name: (.*)$/.exec(lines[i]!);
    if (name) steps.push({ name: name[1]! });
    const run = /^ {8}run: (.*)$/.exec(lines[i]!);
    if (!run) continue;
    if (run[1] !== "|") {
      steps.at(-1)!.run = run[1]!;
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1]!.startsWith("          ") || lines[i + 1] === "")) body.push(lines[++i]!.slice(10));
    steps.at(-1)!.run = `${body.join("\n").trimEnd()}\n`;
  }
  return steps;
}

/** A student's repository with clusterlab installed as npm would install it. */
function studentRepo(solution: string): string {
  const repo = mkdtempSync(join(tmpdir(), "clusterlab-student-"));
  cpSync(solution, join(repo, "solution.ts"));
  writeFileSync(join(repo, "package.json"), '{ "private": true }\n');
  mkdirSync(join(repo, "node_modules", ".bin"), { recursive: true });
  symlinkSync(repoRoot, join(repo, "node_modules", "clusterlab"));
  symlinkSync("../clusterlab/bin/clusterlab.mjs", join(repo, "node_modules", ".bin", "clusterlab"));
  return repo;
}

/** Runs a step's script with bash -e, as GitHub Actions does, on Node 24 (setup-node's). */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  const result = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    timeout: 180_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** What autograding-grading-reporter does with `runners: clusterlab`: decode CLUSTERLAB_RESULTS, total the scores. */
function report(output: string): { status: string; total: number; max: number; tests: Array<{ name: string; status: string; score: number; max_score: number; message: string }> } {
  const line = output.split("\n").find((l) => l.startsWith("result="));
  expect(line, "the grade step writes result=<base64> to GITHUB_OUTPUT").toBeTruthy();
  const results = JSON.parse(Buffer.from(line!.slice("result=".length), "base64").toString("utf8"));
  return { status: results.status, total: results.tests.reduce((sum: number, t: { score: number }) => sum + t.score, 0), max: results.max_score, tests: results.tests };
}

describe("the GitHub Classroom template", () => {
  const steps = workflowSteps(workflow);
  const env = { ...workflowEnv(workflow), CLUSTERLAB_EXERCISE: "echo" };

  it("has the steps an instructor expects, the reporter reading the grade step's output", () => {
    expect(steps.map((s) => s.name)).toEqual(["Checkout code", "Set up Node 24", "Install clusterlab", "Grade with clusterlab", "Autograding Reporter"]);
    expect(workflowEnv(workflow)).toMatchObject({ CLUSTERLAB_EXERCISE: "broadcast", CLUSTERLAB_SOLUTION: "solution.ts" });
    expect(workflow).toContain('CLUSTERLAB_RESULTS: "${{ steps.clusterlab.outputs.result }}"');
    expect(workflow).toMatch(/uses: classroom-resources\/autograding-grading-reporter@v1\n {8}env:[\s\S]*with:\n {10}runners: clusterlab/);
    expect(steps.find((s) => s.name === "Install clusterlab")!.run).toBe('npm install --no-save --no-audit --no-fund "$CLUSTERLAB_PACKAGE"');
  });

  it.each([
    ["the reference", "exercises/echo/.meta/solution.ts", "pass", maxPoints],
    ["a wrong solution", "exercises/echo/.meta/wrong/counted-reply-ids.ts", "fail", points("one-node")],
    ["the starter", "exercises/echo/starter.ts", "fail", 0],
  ] as const)("grades %s and hands the reporter its points", (_, file, status, total) => {
    const repo = studentRepo(join(repoRoot, file));
    const output = join(repo, "github-output");
    writeFileSync(output, "");
    const step = runStep(steps.find((s) => s.name === "Grade with clusterlab")!.run!, repo, { ...env, GITHUB_OUTPUT: output });
    expect(step.code, step.out).toBe(0);
    const result = report(readFileSync(output, "utf8"));
    expect(result.status).toBe(status);
    expect(result.max).toBe(maxPoints);
    // counted-reply-ids passes the one-node task and fails the five-node one: the one-node task's points.
    expect(result.total).toBe(total);
    expect(result.tests.map((t) => t.name)).toEqual(["one-node: One node", expect.stringMatching(/^cluster: /)]);
    // The log shows each task with its score.
    expect(step.out).toMatch(new RegExp(`^${status === "pass" ? "PASS" : "(PASS|FAIL)"} one-node: One node: [\\d.]+/${points("one-node")}`, "m"));
  }, 240_000);

  it("reports a solution that does not compile as an error worth 0, and the step still hands it over", () => {
    const repo = studentRepo(join(repoRoot, "tests", "fixtures", "bad", "syntax-error.ts"));
    const output = join(repo, "github-output");
    writeFileSync(output, "");
    const step = runStep(steps.find((s) => s.name === "Grade with clusterlab")!.run!, repo, { ...env, GITHUB_OUTPUT: output });
    expect(step.code, step.out).toBe(0);
    const result = report(readFileSync(output, "utf8"));
    expect(result).toMatchObject({ status: "error", total: 0, max: maxPoints });
    expect(result.tests[0]!.message).toMatch(/solution\.ts/);
  }, 120_000);

  it("autograding.json's command passes the reference and fails a wrong solution", () => {
    const config = JSON.parse(readFileSync(join(docs, "autograding.json"), "utf8")) as { tests: Array<{ run: string; setup: string; points: number }> };
    expect(config.tests).toHaveLength(1);
    expect(config.tests[0]!.setup).toMatch(/^npm install /);
    const run = config.tests[0]!.run.replace(" broadcast ", " echo ");
    expect(runStep(run, studentRepo(join(repoRoot, "exercises", "echo", ".meta", "solution.ts")), {}).code).toBe(0);
    expect(runStep(run, studentRepo(join(repoRoot, "exercises", "echo", ".meta", "wrong", "wrong-value.ts")), {}).code).toBe(1);
  }, 240_000);
});
