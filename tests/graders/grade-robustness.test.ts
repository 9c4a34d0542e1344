// grade() always ends in a whole results object: whatever the runs hand back, whatever a check does.
// A Sandbox is only `{ run }`, so these tests feed grade() outcomes built by hand, with no isolate.
import { describe, expect, it } from "vitest";
import { componentScenario, defineExercise, grade, renderText, type ExerciseDef, type ClientEvent, type NodeRunData, type RunData, type RunOutcome, type RunRequest, type Sandbox } from "../../graders/index.ts";
import { genericChecks } from "../../graders/checkers/stats.ts";
import { nodeRun, type RunParts } from "../support/runs.ts";
import { canonicalValue } from "../../graders/checkers/session.ts";
import { jsonText } from "../../graders/report/json-text.ts";
import { capMessage, describeError, MESSAGE_MAX_CHARS, skippedMessage } from "../../graders/report/verdicts.ts";
import echo from "../../exercises/echo/exercise.ts";
import sessionGuarantees from "../../exercises/session-guarantees/exercise.ts";

/** A node run for a request, with the history and anything else given. */
function runData(request: RunRequest, over: RunParts<NodeRunData> = {}): NodeRunData {
  return { ...nodeRun({ stats: { events: 10, simulatedMs: 1000 }, ...over }), scenario: request.scenario, knobs: request.knobs };
}

/** Echo operations answered with what was sent (or with `reply` instead). */
function echoes(count: number, reply?: (i: number) => unknown): ClientEvent[] {
  return Array.from({ length: count }, (_, i) => [
    { process: "c1", type: "invoke" as const, f: "echo", value: `hello ${i}`, timeMs: i * 10, node: "n1" },
    { process: "c1", type: "ok" as const, f: "echo", value: reply ? reply(i) : `hello ${i}`, timeMs: i * 10 + 2, node: "n1" },
  ]).flat();
}

/** A sandbox whose i-th run (0-based) returns `outcomes(i, request)`; it counts its runs. */
function fakeSandbox(outcomes: (i: number, request: RunRequest) => RunOutcome): Sandbox & { runs: number } {
  const sandbox = {
    runs: 0,
    run: async (request: RunRequest) => outcomes(sandbox.runs++, request),
  };
  return sandbox;
}

const data = (run: RunData): RunOutcome => ({ kind: "data", data: run, wallMs: 5 });
const gradeWith = (exercise: ExerciseDef, sandbox: Sandbox, seeds = [1]) => grade({ exercise, solutionJs: "", solutionLabel: "solution.ts", sandbox, seeds });

describe("a check that throws", () => {
  it("gives its test an error verdict naming the check, and the other checks and tests are still graded", async () => {
    // errors: null makes "no-errors" throw; the echo check and the second run are unaffected.
    const sandbox = fakeSandbox((i, request) => data(runData(request, { history: echoes(3), ...(i === 0 ? { errors: null as unknown as NodeRunData["errors"] } : {}) })));
    const results = await gradeWith(echo, sandbox);
    expect(results).toMatchObject({ version: 2, status: "error" });
    const [broken, fine] = results.tests;
    expect(broken).toMatchObject({ status: "error", check: "no-errors" });
    expect(broken!.message).toMatch(/^check "no-errors" could not judge this run: TypeError: /);
    expect(broken!.failures).toEqual([{ check: "no-errors", status: "error", message: broken!.message }]);
    expect(fine).toMatchObject({ status: "pass", failures: [] });
    expect(results.message).toMatch(/^one-node > single \(seed 1\): check "no-errors" could not judge/);
  });

  it("a node's error text that is not a string is shown, not thrown over", async () => {
    const crafted = { toString: 1, valueOf: 1, note: "crafted" };
    const sandbox = fakeSandbox((_, request) => data(runData(request, { history: echoes(2), errors: [{ node: "n1", timeMs: 5, text: crafted as unknown as string }] })));
    const results = await gradeWith(echo, sandbox);
    expect(results.tests[0]).toMatchObject({ status: "fail", check: "no-errors" });
    expect(results.tests[0]!.message).toBe('no-errors: n1 at 5 ms: {"toString":1,"valueOf":1,"note":"crafted"}');
  });

  it("a sandbox that rejects gives the run an error verdict", async () => {
    const sandbox = fakeSandbox(() => {
      throw new Error("the isolate went away");
    });
    const results = await gradeWith(echo, sandbox);
    expect(results.status).toBe("error");
    expect(results.tests.map((t) => t.message)).toEqual(Array(2).fill("the sandbox failed to run the solution: Error: the isolate went away"));
  });
});

/** An array nested `depth` deep around `leaf`, built without recursion. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("values of any depth", () => {
  /** A session-kv history: c1 writes `value` to its key, then reads it back (a fresh copy), then a replica read of each node. */
  function kvHistory(nodeIds: readonly string[], value: () => unknown): ClientEvent[] {
    const op = (process: string, type: ClientEvent["type"], f: string, v: unknown, timeMs: number, node = "n1"): ClientEvent => ({ process, type, f, value: v, timeMs, node });
    return [
      op("c1", "invoke", "write", { key: "c1", value: value() }, 0),
      op("c1", "ok", "write", { key: "c1", value: value() }, 5),
      op("c1", "invoke", "read", { key: "c1" }, 10, "n2"),
      op("c1", "ok", "read", value(), 15, "n2"),
      ...nodeIds.flatMap((node) => [op(`g-${node}`, "invoke", "replica_read", { key: "c1" }, 100, node), op(`g-${node}`, "ok", "replica_read", value(), 101, node)]),
    ];
  }

  for (const depth of [3_000, 100_000]) {
    it(`a read answered with an array nested ${depth.toLocaleString("en")} deep gets a verdict from every session check`, async () => {
      const sandbox = fakeSandbox((_, request) => data(runData(request, { history: kvHistory(request.knobs.nodeIds, () => nested(depth)) })));
      const results = await gradeWith(sessionGuarantees, sandbox);
      expect(results.tests).toHaveLength(4);
      // Every check read the value (none could not judge), and the read was matched to the write it returned.
      for (const test of results.tests) expect(test, test.name).toMatchObject({ status: "pass", failures: [] });
      expect(results.tests[0]!.message).toContain("read-your-writes holds: every read of a key a client had written returned its own latest acknowledged write or a newer one (1 reads checked)");
      expect(results.tests.find((t) => t.taskId === "causal")!.message).toContain("causally consistent: no read returned a value its causal past had overwritten (1 reads checked)");
      expect(results.historyHash).toMatch(/^[0-9a-f]{16}$/);
    });
  }

  it("a value deeper than the stack is still told apart from another", () => {
    expect(canonicalValue(nested(100_000, 1))).not.toBe(canonicalValue(nested(100_000, 2)));
    expect(canonicalValue(nested(100_000, { b: 1, a: 2 }))).toBe(canonicalValue(nested(100_000, { a: 2, b: 1 })));
  });

  it("writes the same JSON text as JSON.stringify, on the native path and on the loop alike", () => {
    const samples: unknown[] = [0, -0, 1.5, NaN, "a\"\n\u2028", true, null, [], {}, [1, undefined, () => 1, Symbol("s")], { a: undefined, b: [null, { c: "d" }], 10: 1, 2: 3 }, { d: new Date(0) }, [new Number(3), new String("s")]];
    for (const sample of samples) {
      expect(jsonText(sample)).toBe(JSON.stringify(sample));
      // Inside 20,000 arrays JSON.stringify runs out of stack, and the loop writes the text.
      const deep = nested(20_000, sample);
      expect(jsonText(deep)).toBe(`${"[".repeat(20_000)}${JSON.stringify(sample) ?? "null"}${"]".repeat(20_000)}`);
    }
    expect(jsonText(undefined)).toBe("undefined");
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => jsonText(nested(20_000, cycle))).toThrow(TypeError);
  });
});

describe("messages are capped", () => {
  it(`a 10 KB message is cut at ${MESSAGE_MAX_CHARS} characters and the rest summarised, in the test, its failures and the results`, async () => {
    const text = "x".repeat(10_000);
    const sandbox = fakeSandbox((_, request) => data(runData(request, { history: echoes(1), errors: [{ node: "n1", timeMs: 5, text }] })));
    const results = await gradeWith(echo, sandbox);
    const test = results.tests[0]!;
    const whole = `no-errors: n1 at 5 ms: ${text}`;
    expect(test.message).toBe(`${whole.slice(0, MESSAGE_MAX_CHARS)}… (${whole.length - MESSAGE_MAX_CHARS} more characters)`);
    expect(test.failures[0]!.message).toBe(`${`n1 at 5 ms: ${text}`.slice(0, MESSAGE_MAX_CHARS)}… (${`n1 at 5 ms: ${text}`.length - MESSAGE_MAX_CHARS} more characters)`);
    const top = `one-node > single (seed 1): ${whole}`;
    expect(results.message).toBe(`${top.slice(0, MESSAGE_MAX_CHARS)}… (${top.length - MESSAGE_MAX_CHARS} more characters)`);
  });

  it("leaves a short message alone and never cuts a surrogate pair in two", () => {
    expect(capMessage("short")).toBe("short");
    const emoji = `${"a".repeat(MESSAGE_MAX_CHARS - 1)}😀tail`;
    expect(capMessage(emoji)).toBe(`${"a".repeat(MESSAGE_MAX_CHARS - 1)}… (6 more characters)`);
  });

  it("shows any thrown value in one line", () => {
    expect(describeError(new RangeError("too\ndeep"))).toBe("RangeError: too deep");
    expect(describeError("plain")).toBe("plain");
    expect(describeError(Object.create(null))).toBe("an exception that cannot be shown");
  });
});

describe("every failing check is reported", () => {
  it("lists both failures in order, leads the message with the first, and the text report shows both", async () => {
    const sandbox = fakeSandbox((_, request) => data(runData(request, { history: echoes(2, () => "wrong"), errors: [{ node: "n2", timeMs: 7, text: "boom" }] })));
    const results = await gradeWith(echo, sandbox);
    const test = results.tests[0]!;
    expect(test).toMatchObject({ status: "fail", check: "no-errors", message: "no-errors: n2 at 7 ms: boom" });
    expect(test.failures.map((f) => [f.check, f.status])).toEqual([
      ["no-errors", "fail"],
      ["echo", "fail"],
    ]);
    expect(test.failures[1]!.message).toMatch(/sent echo "hello 0" to n1 and got back "wrong"/);
    const text = renderText(results, { color: false });
    expect(text).toContain("  no-errors: n2 at 7 ms: boom\n  also this check:\n  - echo: c1 sent echo");
  });
});

describe("a budget of real resources stops the grade", () => {
  for (const [budget, words] of [["wall", "wall-time budget"], ["memory", "memory budget"]] as const) {
    it(`after a ${words} verdict on run 1 of 6, the other 5 are skipped, not started`, async () => {
      const sandbox = fakeSandbox(() => ({ kind: "error", message: `${words} exceeded`, wallMs: 10_000, budget }));
      const results = await gradeWith(echo, sandbox, [1, 2, 3]);
      expect(sandbox.runs).toBe(1);
      expect(results.status).toBe("error");
      expect(results.tests.map((t) => t.status)).toEqual(["error", "skipped", "skipped", "skipped", "skipped", "skipped"]);
      const skipped = results.tests.slice(1);
      expect(new Set(skipped.map((t) => t.message))).toEqual(new Set([`skipped: one-node > single seed 1 exceeded the ${words}, so the remaining runs were not started`]));
      expect(skipped.map((t) => `${t.name} ${t.seed}`)).toEqual(["one-node > single 2", "one-node > single 3", "cluster > five-nodes 1", "cluster > five-nodes 2", "cluster > five-nodes 3"]);
      expect(results.metrics.runs).toBe(1);
      expect(results.message).toBe(`one-node > single (seed 1): ${words} exceeded`);
      expect(renderText(results, { color: false })).toContain(`SKIP 5 runs: one-node > single seed 1 exceeded the ${words}`);
    });
  }

  it("other budgets are per run: the grade goes on", async () => {
    const sandbox = fakeSandbox((i, request) => (i === 0 ? { kind: "error", message: "event budget exceeded", wallMs: 1, budget: "events" } : data(runData(request, { history: echoes(1) }))));
    const results = await gradeWith(echo, sandbox, [1, 2]);
    expect(sandbox.runs).toBe(4);
    expect(results.tests.map((t) => t.status)).toEqual(["error", "pass", "pass", "pass"]);
  });

  it("names the run and the budget in one place", () => {
    expect(skippedMessage({ name: "a > b", seed: 4 }, "memory")).toBe("skipped: a > b seed 4 exceeded the memory budget, so the remaining runs were not started");
  });
});

describe("checks with nothing to judge", () => {
  it("a scenario line shows per-operation figures only when the run had client operations", async () => {
    const none = await gradeWith(echo, fakeSandbox((_, request) => data(runData(request, { history: [] }))), [1]);
    expect(renderText(none, { color: false })).not.toMatch(/msgs\/op/);
    const some = await gradeWith(echo, fakeSandbox((_, request) => data(runData(request, { history: echoes(2) }))), [1]);
    expect(renderText(some, { color: false })).toMatch(/single {2}\(1\/1 seeds\) {2}msgs\/op [\d.]+, latency p50/);
  });

  const lruCache = (checks: ExerciseDef["tasks"][number]["checks"]): ExerciseDef =>
    defineExercise({
      slug: "lru-probe",
      title: "probe",
      lesson: "x",
      harness: "component",
      instructions: "",
      hints: [],
      tasks: [{ id: "t", title: "t", description: "", checks, scenarios: [componentScenario({ name: "s", system: "lru-cache", durationMs: 1, options: {} })] }],
    });

  it("a client-history check on a component system is refused before any run, naming exercise, task and check", async () => {
    const sandbox = fakeSandbox(() => {
      throw new Error("must not run");
    });
    const results = await gradeWith(lruCache([{ name: "latency", params: { p99Max: 0 } }]), sandbox);
    expect(sandbox.runs).toBe(0);
    expect(results).toMatchObject({ version: 2, status: "error", tests: [], exercise: "lru-probe" });
    expect(results.message).toMatch(/^exercise lru-probe cannot be graded, so nothing was run: exercise lru-probe, task t, scenario s: check "latency" has no data to judge in a component exercise: the lru-cache system records no client operations/);
  });

  it("a run of another kind than its scenario's harness is an error verdict, never judged", async () => {
    // A component scenario whose sandbox hands back a node run (a sandbox or engine bug): no check may read it.
    const results = await gradeWith(lruCache([{ name: "no-errors" }]), fakeSandbox((_, request) => data(runData(request, { history: echoes(1) }))));
    expect(results.status).toBe("error");
    expect(results.tests[0]!.message).toMatch(/a component scenario's run came back as a node run/);
  });

  it("an unknown check is refused the same way", async () => {
    const results = await gradeWith(lruCache([{ name: "toString" }]), fakeSandbox(() => ({ kind: "error", message: "", wallMs: 0 })));
    expect(results.message).toMatch(/no check named "toString"/);
  });

  it("latency, msgs-per-op and availability throw on a run without client operations, and latency fails when none was ok", () => {
    const request = { scenario: echo.tasks[0]!.scenarios[0]!, knobs: { seed: 1, nodeIds: ["n1"], latency: { dist: "constant", ms: 1 }, lossRate: 0, duplicateRate: 0, clocks: {}, faults: [] } } as unknown as RunRequest;
    for (const name of ["latency", "msgs-per-op", "availability"]) {
      expect(() => genericChecks[name]!(runData(request), { p99Max: 0 }), name).toThrow(`check "${name}" has no client operations to judge`);
    }
    const unanswered = runData(request, { history: [{ process: "c1", type: "invoke", f: "echo", value: "x", timeMs: 0, node: "n1" }] });
    expect(genericChecks.latency!(unanswered, { p99Max: 0 })).toMatchObject({ ok: false, message: expect.stringMatching(/^none of 1 operations completed ok/) });
  });
});
