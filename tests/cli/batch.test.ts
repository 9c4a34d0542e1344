// `clusterlab grade <exercise> <folder>`: a class of 20 submissions (copies of the reference, the correct
// alternatives, the known-wrong solutions, the starter, and one that does not type-check) graded in one
// process by a pool of workers, with a summary, every format, and the result cache.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { exercisesDir } from "../../src/cli/exercises.ts";
import { findSubmissions } from "../../src/cli/batch/submissions.ts";
import { runPool } from "../../src/cli/batch/pool.ts";
import { parseXml } from "./support/xml.ts";
import { junitProblems } from "./support/junit-schema.ts";
import { cliIo } from "./support/io.ts";

const echo = join(exercisesDir, "echo");
const root = mkdtempSync(join(tmpdir(), "clusterlab-batch-"));
const cls = join(root, "class");
mkdirSync(join(cls, "nested"), { recursive: true });
const expected = new Map<string, "pass" | "fail" | "error">();
function add(name: string, from: string, status: "pass" | "fail" | "error") {
  cpSync(from, join(cls, name));
  expected.set(name, status);
}
for (let i = 1; i <= 4; i++) add(`ref-${i}.ts`, join(echo, ".meta", "solution.ts"), "pass");
for (const alt of readdirSync(join(echo, ".meta", "alternatives"))) add(`alt-${alt}`, join(echo, ".meta", "alternatives", alt), "pass");
for (const wrong of readdirSync(join(echo, ".meta", "wrong"))) add(`wrong-${wrong}`, join(echo, ".meta", "wrong", wrong), "fail");
let starters = 0;
while (expected.size < 19) add(`starter-${++starters}.ts`, join(echo, "starter.ts"), "fail");
writeFileSync(join(cls, "nested", "typo.ts"), 'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  node.sned("n1", { type: "x" });\n}\n');
expected.set("nested/typo.ts", "error");
// Not submissions: a declaration file, and a student's tooling.
writeFileSync(join(cls, "types.d.ts"), "export {};\n");
mkdirSync(join(cls, "node_modules", "x"), { recursive: true });
mkdirSync(join(root, "empty"));
writeFileSync(join(cls, "node_modules", "x", "index.ts"), "export {};\n");

interface BatchJson {
  version: number;
  exercise: string;
  summary: { submissions: number; pass: number; fail: number; error: number; cached: number; jobs: number };
  submissions: Array<{ file: string; cached: boolean; score: number; maxScore: number; results: { status: string; historyHash: string; replay: string; tests: unknown[] } }>;
}

async function gradeClass(...extra: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = cliIo(root);
  const code = await main(["grade", "echo", "class", "--seeds", "2", ...extra], io);
  return { code, out: io.out, err: io.err };
}

describe("clusterlab grade <exercise> <folder>", () => {
  it("finds every solution file under the folder, and none of the rest", () => {
    const found = findSubmissions(["class"], root).map((s) => s.label.replace(/^class\//, ""));
    expect(found.sort()).toEqual([...expected.keys()].sort());
    expect(found).toHaveLength(20);
  });

  it("grades 20 submissions with a pool of workers: a summary, per-submission results, the worst exit code", async () => {
    const cache = join(root, "cache");
    const { code, out } = await gradeClass("--jobs", "2", "--format", "json", "--cache", cache);
    expect(code).toBe(2);
    const doc = JSON.parse(out) as BatchJson;
    expect(doc).toMatchObject({ version: 1, exercise: "echo" });
    const counts = { pass: 0, fail: 0, error: 0 };
    for (const status of expected.values()) counts[status]++;
    expect(doc.summary).toMatchObject({ submissions: 20, ...counts, jobs: 2 });
    for (const s of doc.submissions) {
      const name = s.file.replace(/^class\//, "");
      expect(s.results.status, name).toBe(expected.get(name));
      if (s.results.status !== "error") expect(s.results.tests).toHaveLength(4);
      // Every submission's results name its own file, even when an identical file was graded for it.
      expect(s.results.replay).toContain(s.file);
      expect(s.maxScore).toBe(2);
      // A wrong solution may pass one of the two tasks: a point for it.
      if (s.results.status === "pass") expect(s.score).toBe(2);
      else if (s.file.includes("starter") || s.results.status === "error") expect(s.score).toBe(0);
      else expect(s.score).toBeLessThan(2);
    }
    // Identical files are graded once: the four reference copies share one history hash and three were not run again.
    const refs = doc.submissions.filter((s) => s.file.includes("ref-"));
    expect(new Set(refs.map((s) => s.results.historyHash)).size).toBe(1);
    expect(refs.filter((s) => s.cached)).toHaveLength(3);

    // Graded again with the same cache: nothing runs, and the results are the same.
    const again = JSON.parse((await gradeClass("--jobs", "2", "--format", "json", "--cache", cache)).out) as BatchJson;
    expect(again.summary.cached).toBe(20 - counts.error);
    const strip = (d: BatchJson) => d.submissions.map((s) => [s.file, s.results.status, s.results.historyHash, s.results.replay]);
    expect(strip(again)).toEqual(strip(doc));
  }, 240_000);

  it("prints a summary table and each failure with its replay command", async () => {
    const { code, out } = await gradeClass("--jobs", "2", "--no-cache", "--scenario", "1");
    expect(code).toBe(2);
    expect(out).toMatch(/^echo: 20 submissions with 2 workers in [\d.]+ s \(8 not graded again: from the cache or identical to another\): \d+ pass, \d+ fail, 1 error$/m);
    expect(out).toMatch(/^ {2}status {2}runs {2}score {2}seconds {2}submission$/m);
    expect(out).toMatch(/^ {2}PASS {4}2\/2 {3}1\/1 +[\d.]+ {2}class\/ref-1\.ts$/m);
    expect(out).toMatch(/^ERROR class\/nested\/typo\.ts\n {2}type errors in class\/nested\/typo\.ts:\n {4}class\/nested\/typo\.ts:3:8 TS2339/m);
    expect(out).toMatch(/^FAIL class\/wrong-wrong-value\.ts\n {2}one-node > single \(seed 1\): echo: [^\n]+\n(?: {2}[^\n]*\n)* {2}replay: npx clusterlab grade echo class\/wrong-wrong-value\.ts --seed 1 --scenario 1$/m);
  }, 240_000);

  it("writes one JUnit document with a suite per submission, and wrapped Exercism and Classroom results", async () => {
    const files = ["class/ref-1.ts", "class/wrong-wrong-value.ts", "class/nested/typo.ts"];
    const io = cliIo(root);
    expect(await main(["grade", "echo", ...files, "--seeds", "1", "--format", "junit", "--no-cache"], io)).toBe(2);
    const xml = parseXml(io.out);
    expect(junitProblems(xml)).toEqual([]);
    expect(xml.children.map((s) => s.attributes.name)).toEqual(files.map((f) => `echo ${f}`));
    for (const format of ["exercism", "classroom"]) {
      const out = cliIo(root);
      await main(["grade", "echo", ...files, "--seeds", "1", "--format", format, "--no-cache"], out);
      const doc = JSON.parse(out.out) as { exercise: string; submissions: Array<{ file: string; results: { version: number; status: string } }> };
      expect(doc.submissions.map((s) => [s.file, s.results.status])).toEqual([[files[0], "pass"], [files[1], "fail"], [files[2], "error"]]);
      expect(doc.submissions[0]!.results.version).toBe(format === "exercism" ? 3 : 1);
    }
  }, 240_000);

  it("refuses what a batch cannot do, as usage errors", async () => {
    for (const [argv, message] of [
      [["grade", "echo", "class", "--history", "h.jsonl"], "--history writes the runs of one submission"],
      [["grade", "echo", "class", "missing"], "no such file or folder: missing"],
      [["grade", "echo", "class", "--jobs", "0"], "--jobs must be at least 1"],
      [["grade", "echo", "class", "--scenario", "9"], 'no scenario "9" in echo'],
      [["grade", "echo", "class", "--cache", "c", "--no-cache"], "--cache and --no-cache contradict each other"],
      [["grade", "echo", "empty"], "no .ts solution files in empty"],
    ] as const) {
      const io = cliIo(root);
      expect(await main([...argv], io), argv.join(" ")).toBe(64);
      expect(io.err).toContain(message);
    }
  });
});

describe("runPool", () => {
  it("runs at most N items at once, every item once, results in order", async () => {
    let running = 0;
    let most = 0;
    const out = await runPool([5, 1, 4, 2, 3, 0], 2, async (x, worker) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, x * 3));
      running--;
      return `${x}@${worker < 2 ? "ok" : "bad"}`;
    });
    expect(out).toEqual(["5@ok", "1@ok", "4@ok", "2@ok", "3@ok", "0@ok"]);
    expect(most).toBe(2);
  });
});
