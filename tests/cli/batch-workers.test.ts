// The batch's workers (src/cli/batch/workers.ts): each grades and judges whole submissions, so a batch gives
// the same results with one worker, with two, and as one grade per file; a worker process that dies costs
// only the submission it was grading, which gets an error result that says so; the next submission gets a
// fresh worker; a batch whose workers cannot even load the exercise still ends with a result per submission.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { startGradeWorker } from "../../src/cli/batch/workers.ts";
import { isolateProcessFlags, mainThreadCompileFlags } from "../../graders/sandbox/node/index.ts";
import { gradeMany } from "../../src/cli/batch/grade-many.ts";
import { main } from "../../src/cli/main.ts";
import { cliIo } from "./support/io.ts";

const dir = mkdtempSync(join(tmpdir(), "clusterlab-batch-workers-"));
const echoFile = join(exercisesDir, "echo", "exercise.ts");
const reference = readFileSync(join(exercisesDir, "echo", ".meta", "solution.ts"), "utf8");
// Busy for as long as its wall budget lets it: long enough to kill the worker mid-grade.
const spinning = 'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  for (;;) {}\n}\n';

describe("batch workers", () => {
  it("give every submission the same status and hashes with one worker, with two, and as single grades", async () => {
    const cls = join(dir, "class");
    mkdirSync(cls);
    const echo = join(exercisesDir, "echo");
    cpSync(join(echo, ".meta", "solution.ts"), join(cls, "ref.ts"));
    for (const wrong of readdirSync(join(echo, ".meta", "wrong")).slice(0, 2)) cpSync(join(echo, ".meta", "wrong", wrong), join(cls, `wrong-${wrong}`));
    cpSync(join(echo, "starter.ts"), join(cls, "starter.ts"));
    type Results = { status: string; historyHash: string; tests: Array<{ status: string; historyHash: string }> };
    const verdicts = (r: Results) => [r.status, r.historyHash, r.tests.map((t) => `${t.status} ${t.historyHash}`)];
    const batch = async (jobs: string) => {
      const io = cliIo(dir);
      await main(["grade", "echo", "class", "--seeds", "2", "--jobs", jobs, "--no-cache", "--format", "json"], io);
      return (JSON.parse(io.out) as { submissions: Array<{ file: string; results: Results }> }).submissions.map((s) => [s.file, ...verdicts(s.results)]);
    };
    const one = await batch("1");
    expect(one.map((s) => s[0])).toEqual(["class/ref.ts", "class/starter.ts", ...readdirSync(cls).filter((f) => f.startsWith("wrong-")).sort().map((f) => `class/${f}`)]);
    expect(one.map((s) => s[1])).toEqual(["pass", "fail", "fail", "fail"]);
    expect(await batch("2")).toEqual(one);
    const single = [];
    for (const [file] of one) {
      const io = cliIo(dir);
      await main(["grade", "echo", file as string, "--seeds", "2", "--format", "json"], io);
      single.push([file, ...verdicts(JSON.parse(io.out) as Results)]);
    }
    expect(single).toEqual(one);
  }, 120_000);

  // What a batch with a worker per core asks of its sandbox processes (grade-many.ts), as the system sees
  // the processes' command lines.
  it.skipIf(!existsSync("/proc/self/cmdline"))("start their sandbox processes with the isolate flags, compiling on the main thread only when asked", async () => {
    for (const mainThreadCompile of [false, true]) {
      const worker = startGradeWorker(echoFile, "isolated-vm", { mainThreadCompile });
      try {
        const graded = await worker.grade({ slug: "echo", source: reference, path: join(dir, "ref.ts"), seeds: [1] });
        expect(graded.status).toBe("pass");
        const pid = worker.pid()!;
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
        const lines = children.map((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0"));
        const sandbox = lines.find((argv) => argv.includes("--no-node-snapshot"));
        expect(sandbox, lines.map((argv) => argv.join(" ")).join("\n")).toBeDefined();
        for (const flag of isolateProcessFlags) expect(sandbox).toContain(flag);
        for (const flag of mainThreadCompileFlags) expect(sandbox!.includes(flag)).toBe(mainThreadCompile);
      } finally {
        await worker.close();
      }
    }
  }, 60_000);

  it("gives the submission a dying worker was grading an error result, and the next one a fresh worker", async () => {
    const worker = startGradeWorker(echoFile, "isolated-vm");
    try {
      const first = worker.pid();
      expect(first).toBeTypeOf("number");
      const grading = worker.grade({ slug: "echo", source: spinning, path: join(dir, "spin.ts"), seeds: [1] });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      process.kill(first!, "SIGKILL");
      const killed = await grading;
      expect(killed.status).toBe("error");
      expect(killed.message).toMatch(/the grading worker stopped \(killed by SIGKILL\)/);

      const next = await worker.grade({ slug: "echo", source: reference, path: join(dir, "ref.ts"), seeds: [1] });
      expect(next.status).toBe("pass");
      expect(worker.pid()).not.toBe(first);
    } finally {
      await worker.close();
    }
    expect(worker.pid()).toBeUndefined();
  }, 60_000);

  it("ends a batch whose workers cannot load the exercise with an error result per submission, in order", async () => {
    const exercise = (await loadExercise("echo"))!;
    const broken = join(dir, "exercise.ts");
    writeFileSync(broken, "export default {\n");
    const submissions = ["a.ts", "b.ts", "c.ts"].map((name) => {
      writeFileSync(join(dir, name), reference);
      return { path: join(dir, name), label: name };
    });
    const graded = await gradeMany({ exercise, exerciseFile: broken, submissions: submissions.map((s, i) => ({ ...s, path: i === 2 ? join(dir, "missing.ts") : s.path })), jobs: 2, seeds: [1], typecheck: false });
    expect(graded.map((g) => g.submission.label)).toEqual(["a.ts", "b.ts", "c.ts"]);
    for (const g of graded.slice(0, 2)) {
      expect(g.results.status).toBe("error");
      expect(g.results.message).toMatch(/the grading worker stopped \(exit code 1\): SyntaxError/);
      // The replay command names the submission's own file, as every batch result does.
      expect(g.results.replay).toBe(`npx clusterlab grade echo ${g.submission.label}`);
    }
    expect(graded[2]!.results.message).toMatch(/cannot read c\.ts: ENOENT/);
  }, 60_000);
});
