// The report formats of `clusterlab grade --format`: JUnit XML read back and held to the schema's structure,
// Exercism's results.json v3 and GitHub Classroom's autograding result held to their documented fields; and
// the flag itself (--json its alias, clear usage errors).
import { describe, expect, it } from "vitest";
import { errorResults, type Results, type TestResult } from "../../graders/index.ts";
import { renderJunit, renderJunitSuites } from "../../graders/report/junit.ts";
import { EXERCISM_OUTPUT_MAX_CHARS, toExercism } from "../../graders/report/exercism.ts";
import { toClassroom } from "../../graders/report/classroom.ts";
import { main } from "../../src/cli/main.ts";
import { loadExercise } from "../../src/cli/exercises.ts";
import { parseXml, type XmlElement } from "./support/xml.ts";
import { junitProblems } from "./support/junit-schema.ts";
import { cliIo } from "./support/io.ts";

function test(overrides: Partial<TestResult>): TestResult {
  return {
    name: "cluster > three-nodes",
    taskId: "cluster",
    scenario: "three-nodes",
    scenarioIndex: 2,
    seed: 1,
    status: "pass",
    message: "all good",
    failures: [],
    knobs: ["nodes 3"],
    metrics: { wallMs: 120 },
    historyHash: "abc",
    replay: "npx clusterlab grade demo sol.ts --seed 1 --scenario 2",
    ...overrides,
  };
}

// Everything a learner's node.log or a check's message may hold that XML must escape or cannot hold at all.
const nasty = 'a < b && c > "d" \'e\' ]]> \u0001 bell\u0007 tab\t nl\n cr\r lone \ud800 pair \ud83d\ude00 \ufffe';

function sample(): Results {
  return {
    version: 2,
    status: "error",
    exercise: "demo",
    message: "one > fail",
    tests: [
      test({ taskId: "one", name: "one > single", scenario: "single", scenarioIndex: 1, seed: 1 }),
      test({ taskId: "one", name: "one > single", scenario: "single", scenarioIndex: 1, seed: 2, status: "fail", check: "echo", message: `echo: ${nasty}`, replay: "npx clusterlab grade demo sol.ts --seed 2 --scenario 1", failures: [{ check: "echo", status: "fail", message: nasty }, { check: "latency", status: "fail", message: "too slow" }], logs: [`n1 at 3 ms: ${nasty}`] }),
      test({ seed: 1, status: "error", message: "wall-time budget exceeded", metrics: {} }),
      test({ seed: 2, status: "skipped", message: "skipped: a run spent the wall-time budget", metrics: {}, historyHash: "" }),
    ],
    metrics: { runs: 3, events: 10, simulatedMs: 1000, wallMs: 2345, msgsPerOp: 0, latency: { p50: 0, p99: 0, max: 0 } },
    historyHash: "feed",
    replay: "npx clusterlab grade demo sol.ts --seed 2 --scenario 1",
  };
}

const cases = (root: XmlElement) => root.children.flatMap((s) => s.children.filter((c) => c.name === "testcase"));

describe("JUnit XML", () => {
  it("is well-formed, holds to the schema's structure, and keeps every message readable", () => {
    const xml = renderJunit(sample());
    const root = parseXml(xml);
    expect(junitProblems(root)).toEqual([]);
    expect(root.attributes).toMatchObject({ tests: "4", failures: "1", errors: "1", skipped: "1" });
    const [pass, fail, error, skipped] = cases(root);
    expect(pass!.attributes).toMatchObject({ name: "single seed 1", classname: "demo.one", time: "0.120" });
    expect(pass!.children).toEqual([]);
    const failure = fail!.children[0]!;
    expect(failure.name).toBe("failure");
    expect(failure.attributes.type).toBe("echo");
    // Characters XML cannot hold are shown as \uXXXX; everything else survives the round trip exactly.
    const shown = nasty.replace("\u0001", "\\u0001").replace("\u0007", "\\u0007").replace("\ud800", "\\ud800").replace("\ufffe", "\\ufffe");
    expect(failure.attributes.message).toBe(`echo: ${shown}`);
    expect(failure.text).toContain(`echo: ${shown}`);
    expect(failure.text).toContain("also latency: too slow");
    expect(failure.text).toContain("replay: npx clusterlab grade demo sol.ts --seed 2 --scenario 1");
    expect(error!.children[0]).toMatchObject({ name: "error", attributes: { message: "wall-time budget exceeded" } });
    expect(skipped!.children[0]).toMatchObject({ name: "skipped", attributes: { message: "skipped: a run spent the wall-time budget" } });
  });

  it("gives a grade that ran nothing one testcase with its error, and a batch a suite per submission", () => {
    const root = parseXml(renderJunitSuites([
      { name: "demo a.ts", results: errorResults("demo", "type errors in a.ts:\n  a.ts:1:1 TS1005 ';' expected.", "npx clusterlab grade demo a.ts") },
      { name: "demo b.ts", results: sample() },
    ]));
    expect(junitProblems(root)).toEqual([]);
    expect(root.children.map((s) => s.attributes.name)).toEqual(["demo a.ts", "demo b.ts"]);
    const [only] = cases({ ...root, children: [root.children[0]!] });
    expect(only!.children[0]).toMatchObject({ name: "error" });
    expect(only!.children[0]!.text).toContain("TS1005");
    expect(root.attributes.tests).toBe("5");
  });

  it("is what clusterlab grade --format junit prints for a real grade", async () => {
    const io = cliIo();
    expect(await main(["grade", "echo", "exercises/echo/.meta/wrong/wrong-value.ts", "--seeds", "2", "--format", "junit", "--no-typecheck"], io)).toBe(1);
    const root = parseXml(io.out);
    expect(junitProblems(root)).toEqual([]);
    expect(cases(root)).toHaveLength(4);
    expect(cases(root).every((c) => c.children[0]?.name === "failure" && c.children[0].attributes.type === "echo")).toBe(true);
    expect(cases(root).map((c) => c.attributes.classname)).toEqual(["echo.one-node", "echo.one-node", "echo.cluster", "echo.cluster"]);
  });
});

describe("Exercism results.json v3", () => {
  it("has version, status, message when it errored, and tests with name, status, message, task_id and capped output", () => {
    const long = sample();
    long.tests[1]!.logs = Array.from({ length: 40 }, (_, i) => `n1 at ${i} ms: ${"x".repeat(30)}`);
    const out = toExercism(long, [{ id: "one" }, { id: "cluster" }]);
    expect(out).toMatchObject({ version: 3, status: "error", message: "one > fail" });
    expect(out.tests.map((t) => [t.status, t.task_id])).toEqual([["pass", 1], ["fail", 1], ["error", 2], ["error", 2]]);
    for (const t of out.tests) {
      expect(Object.keys(t).every((k) => ["name", "status", "message", "output", "test_code", "task_id"].includes(k))).toBe(true);
      expect(typeof t.name).toBe("string");
      expect(Number.isInteger(t.task_id) && t.task_id >= 1).toBe(true);
      if (t.status !== "pass") expect(t.message).toBeTruthy();
      else expect(t.message).toBeUndefined();
    }
    expect(out.tests[1]!.output!.length).toBeLessThanOrEqual(EXERCISM_OUTPUT_MAX_CHARS);
    expect(out.tests[1]!.output).toMatch(/output cut at 500 characters$/);
    expect(out.tests[3]!.message).toMatch(/^skipped: /);
  });

  it("leaves out the top-level message unless the status is error, and numbers tasks in run order without a list", () => {
    const results = sample();
    results.status = "fail";
    results.tests = results.tests.slice(0, 2);
    const out = toExercism(results);
    expect(out.message).toBeUndefined();
    expect(out.tests.map((t) => t.task_id)).toEqual([1, 1]);
  });
});

describe("GitHub Classroom autograding result", () => {
  const tasks = [{ id: "one", title: "One node", points: 3 }, { id: "cluster", title: "Cluster" }];
  it("has a test per task with score and max_score; partial credit is the share of the task's runs that passed", () => {
    const out = toClassroom(sample(), { tasks, filename: "sol.ts" });
    expect(out).toMatchObject({ version: 1, status: "error", max_score: 4 });
    expect(out.tests).toHaveLength(2);
    expect(out.tests[0]).toMatchObject({ name: "one: One node", status: "fail", score: 1.5, max_score: 3, filename: "sol.ts", line_no: 0 });
    expect(out.tests[0]!.message).toMatch(/^1\/2 runs passed; one > single \(seed 2\): echo:/);
    expect(out.tests[0]!.test_code).toBe("npx clusterlab grade demo sol.ts --seed 2 --scenario 1");
    expect(out.tests[1]).toMatchObject({ name: "cluster: Cluster", status: "error", score: 0, max_score: 1 });
    for (const t of out.tests) expect(Object.keys(t).sort()).toEqual(["execution_time", "filename", "line_no", "max_score", "message", "name", "score", "status", "test_code"]);
  });

  it("scores all or nothing when asked, and every task 0 when nothing ran", () => {
    expect(toClassroom(sample(), { tasks, credit: "all-or-nothing" }).tests.map((t) => t.score)).toEqual([0, 0]);
    const passing = sample();
    passing.tests = passing.tests.slice(0, 1);
    expect(toClassroom(passing, { tasks, credit: "all-or-nothing" }).tests.map((t) => [t.name, t.score])).toEqual([["one: One node", 3]]);
    const none = toClassroom(errorResults("demo", "type errors", "npx clusterlab grade demo"), { tasks });
    expect(none).toMatchObject({ status: "error", max_score: 4 });
    expect(none.tests.map((t) => [t.score, t.status, t.message])).toEqual([[0, "error", "type errors"], [0, "error", "type errors"]]);
  });

  it("weighs tasks by the points in exercise.ts, through clusterlab grade --format classroom", async () => {
    const io = cliIo();
    expect(await main(["grade", "echo", "exercises/echo/.meta/solution.ts", "--seeds", "1", "--format", "classroom", "--no-typecheck"], io)).toBe(0);
    const out = JSON.parse(io.out);
    const echo = (await loadExercise("echo"))!;
    const points = echo.tasks.map((t) => t.points ?? 1);
    expect(out).toMatchObject({ version: 1, status: "pass", max_score: points.reduce((a, b) => a + b, 0) });
    expect(out.tests.map((t: { name: string; score: number }) => [t.name, t.score])).toEqual(echo.tasks.map((t, i) => [`${t.id}: ${t.title}`, points[i]]));
  });
});

describe("clusterlab grade --format", () => {
  it("keeps --json as an alias of --format json", async () => {
    const [a, b] = [cliIo(), cliIo()];
    const args = ["grade", "echo", "exercises/echo/.meta/solution.ts", "--seed", "1", "--scenario", "1", "--no-typecheck"];
    expect(await main([...args, "--json"], a)).toBe(0);
    expect(await main([...args, "--format", "json"], b)).toBe(0);
    const strip = (text: string) => JSON.parse(text.replace(/"wallMs": \d+/g, '"wallMs": 0'));
    expect(strip(b.out)).toEqual(strip(a.out));
  });

  it("prints a whole document in every machine format when nothing could be graded", async () => {
    for (const format of ["junit", "exercism", "classroom"]) {
      const io = cliIo();
      expect(await main(["grade", "echo", "tests/fixtures/bad/syntax-error.ts", "--format", format, "--no-typecheck"], io)).toBe(2);
      expect(io.err).toBe("");
      if (format === "junit") expect(junitProblems(parseXml(io.out))).toEqual([]);
      else expect(JSON.parse(io.out).status).toBe("error");
    }
  });

  it("refuses an unknown format, and --json with another format, as usage errors", async () => {
    for (const [argv, message] of [
      [["grade", "echo", "--format", "xml"], '--format takes text, json, junit, exercism, classroom, not "xml"'],
      [["grade", "echo", "--json", "--format", "junit"], "--json is --format json: it cannot go with --format junit"],
      [["grade", "echo", "--cache", "somewhere"], "--cache is for a batch"],
      [["grade", "echo", "--jobs", "0"], "--jobs must be at least 1"],
    ] as const) {
      const io = cliIo();
      expect(await main([...argv], io)).toBe(64);
      expect(io.err).toContain(message);
      expect(io.err).toContain("usage: clusterlab grade");
    }
  });
});


