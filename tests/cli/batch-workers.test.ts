// The batch's workers (src/cli/batch/workers.ts): a worker process that dies costs only the submission it
// was grading, which gets an error result that says so; the next submission gets a fresh worker; a batch
// whose workers cannot even load the exercise still ends with a result per submission, in order.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { startGradeWorker } from "../../src/cli/batch/workers.ts";
import { gradeMany } from "../../src/cli/batch/grade-many.ts";

const dir = mkdtempSync(join(tmpdir(), "clusterlab-batch-workers-"));
const echoFile = join(exercisesDir, "echo", "exercise.ts");
const reference = readFileSync(join(exercisesDir, "echo", ".meta", "solution.ts"), "utf8");
// Busy for as long as its wall budget lets it: long enough to kill the worker mid-grade.
const spinning = 'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  for (;;) {}\n}\n';

describe("batch workers", () => {
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
