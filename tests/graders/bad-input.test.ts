// Hostile and broken solutions get a clear verdict that names the cause, within the budget, and the grader
// goes on to the next scenario: never a crash or a hang of the grader itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade, type Results } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import type { Sandbox } from "../../graders/sandbox/types.ts";
import { loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const fixtures = join(import.meta.dirname, "..", "fixtures", "bad");
const sandbox = createIsolatedVmSandbox();
const wallMs = 1500;

async function gradeFixture(name: string, using: Sandbox = sandbox): Promise<Results> {
  const exercise = (await loadExercise("echo"))!;
  return grade({ exercise, solutionJs: await readSolutionJs(join(fixtures, name), name), solutionLabel: name, sandbox: using, seeds: [1], limits: { wallMs, memoryMb: 64 } });
}

const cases: Array<[file: string, status: "fail" | "error", message: RegExp]> = [
  ["top-level-loop.ts", "error", /wall-time budget exceeded.*node n1 was running its top level/],
  ["handler-loop.ts", "error", /wall-time budget exceeded.*node n\d was running/],
  ["memory-bomb.ts", "error", /memory budget exceeded|wall-time budget/],
  ["huge-string.ts", "fail", /threw RangeError: Invalid string length/],
  ["deep-recursion.ts", "fail", /threw RangeError: Maximum call stack size exceeded/],
  ["top-level-rejection.ts", "error", /n1: the solution's top-level code left a promise rejected with Error: top-level boom \(at [^)]+\), and nothing handled it/],
  ["handler-rejection.ts", "error", /^the solution's code left a promise rejected with Error: handler boom \(at [^)]+\), and nothing handled it/],
  ["throw-42.ts", "fail", /"echo" handler threw a non-Error value: 42/],
  ["throw-null.ts", "fail", /"echo" handler threw a non-Error value: null/],
  ["throw-getter.ts", "fail", /"echo" handler threw an unprintable value/],
  ["unhandled-rejection.ts", "fail", /"echo" handler rejected with Error: async boom/],
  ["never-settles.ts", "fail", /got no echo_ok/],
  ["unknown-node.ts", "fail", /"n99", which is not a node or client/],
  ["flood.ts", "error", /event budget exceeded|wall-time budget exceeded/],
  ["exports-nothing.ts", "fail", /does not `export default function start/],
  ["cyclic-body.ts", "fail", /"echo" handler threw TypeError: node.reply: the "echo_ok" body cannot be serialised as JSON/],
  ["timer-nan.ts", "fail", /"echo" handler threw TypeError: node.after: the delay must be a number of ms from 0 to 86400000, got NaN/],
  ["rpc-timeout-uncaught.ts", "fail", /"echo" handler rejected with Error: rpc to n\d got no reply within 20 ms/],
  ["deep-echo.ts", "fail", /echo/],
  ["thenable-trap.ts", "fail", /"echo" handler rejected with Error: trap/],
];

describe("bad input gets a clear verdict", () => {
  it.each(cases)("%s → %s", async (file, status, message) => {
    const started = performance.now();
    const results = await gradeFixture(file);
    // Both scenarios of the exercise were graded: one bad run does not stop the next.
    expect(results.tests).toHaveLength(2);
    expect(results.status).toBe(status);
    const first = results.tests.find((t) => t.status !== "pass")!;
    expect(first.message).toMatch(message);
    // Generous: CI runs this beside a site build on 2 cores; what matters is that it ends, not how fast.
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("tampering with a node's own globals changes nothing outside it", async () => {
    const results = await gradeFixture("tamper-globals.ts");
    expect(results.tests.map((t) => t.message)).toEqual(results.tests.map(() => expect.stringContaining("echoes answered correctly")));
    expect(results.status).toBe("pass");
  });

  it("a node reaches neither the host, the simulator nor another node", async () => {
    const results = await gradeFixture("escape-attempts.ts");
    expect(results.tests.find((t) => t.status !== "pass")?.message).toBeUndefined();
  });

  it("async handlers and awaited rpcs work", async () => {
    const results = await gradeFixture("async-echo.ts");
    expect(results.status).toBe("pass");
  });

  it("awaiting a timer through a promise continues when it fires", async () => {
    expect((await gradeFixture("sleep-echo.ts")).status).toBe("pass");
  });

  it("awaiting a resolver that a message handler calls continues at once", async () => {
    expect((await gradeFixture("stored-resolver-echo.ts")).status).toBe("pass");
  });

  it("a syntax error is reported with line and column", async () => {
    const result = await transpileSolution(readFileSync(join(fixtures, "syntax-error.ts"), "utf8"), "syntax-error.ts");
    expect("errors" in result).toBe(true);
    if ("errors" in result) expect(result.errors[0]).toMatchObject({ line: 5, text: expect.stringMatching(/Expected "\)"/) });
  });
});

// The browser's one-realm sandbox (run here in an isolate, locked down as the Worker is) must reach the
// same verdict, with the same words, on every case: a hostile corpus that only one sandbox withstands
// is a hole in the other.
describe("the one-realm sandbox gives the same verdicts", () => {
  const scope = createOneRealmIvmSandbox();
  it.each(cases)("%s → %s", async (file, status, message) => {
    const started = performance.now();
    const [a, b] = [await gradeFixture(file), await gradeFixture(file, scope)];
    expect(b.tests).toHaveLength(2);
    expect(b.status).toBe(status);
    expect(b.tests.find((t) => t.status !== "pass")!.message).toMatch(message);
    expect(b.tests.map((t) => [t.status, t.check])).toEqual(a.tests.map((t) => [t.status, t.check]));
    expect(performance.now() - started).toBeLessThan(40_000);
  }, 60_000);

  it("a body read twice is read once: no forged effect, the echo passes", async () => {
    for (const using of [sandbox, scope]) expect((await gradeFixture("body-getter.ts", using)).status).toBe("pass");
  });

  it("async handlers and awaited rpcs work", async () => {
    expect((await gradeFixture("async-echo.ts", scope)).status).toBe("pass");
  });

  it("awaiting a timer through a promise continues when it fires", async () => {
    expect((await gradeFixture("sleep-echo.ts", scope)).status).toBe("pass");
  });

  it("awaiting a resolver that a message handler calls continues at once", async () => {
    expect((await gradeFixture("stored-resolver-echo.ts", scope)).status).toBe("pass");
  });

  it("a node reaches neither the host, the simulator nor another node", async () => {
    const results = await gradeFixture("escape-attempts.ts", scope);
    expect(results.tests.find((t) => t.status !== "pass")?.message).toBeUndefined();
  });

  it("tampering with a node's own globals changes nothing outside it", async () => {
    expect((await gradeFixture("tamper-globals.ts", scope)).status).toBe("pass");
  });
});
