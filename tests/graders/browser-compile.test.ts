// The browser compiles with Monaco's TypeScript (CommonJS, async lowered to __awaiter) and grades in one
// realm; the CLI compiles with esbuild and grades in isolated-vm. Same solution, same seeds ⇒ same
// verdicts and history hashes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { SOLUTION_SCRIPT_LINE_OFFSET, wrapEmittedSolution } from "../../src/grader/solution-script.ts";
import { exercisesDir, listExerciseSlugs, loadExercise } from "../../src/cli/exercises.ts";
import { emitLikeMonaco, emitWithMapLikeMonaco } from "../support/monaco-emit.ts";


const isolated = createIsolatedVmSandbox();
const scope = createOneRealmIvmSandbox();

describe.each(listExerciseSlugs())("browser compile path agrees with the CLI on %s", (slug) => {
  it("reference solution, seeds 1-2", async () => {
    const exercise = (await loadExercise(slug))!;
    const file = join(exercisesDir, slug, ".meta", "solution.ts");
    const source = readFileSync(file, "utf8");
    const cli = await transpileSolution(source, file);
    if ("errors" in cli) throw new Error("does not compile");
    const seeds = [1, 2];
    const a = await grade({ exercise, solutionJs: cli.js, solutionLabel: file, sandbox: isolated, seeds });
    const b = await grade({ exercise, solutionJs: wrapEmittedSolution(emitLikeMonaco(source)), solutionLabel: file, sandbox: scope, seeds });
    expect(b.tests.map((t) => [t.name, t.seed, t.status, t.historyHash])).toEqual(a.tests.map((t) => [t.name, t.seed, t.status, t.historyHash]));
    expect(a.status).toBe("pass");
  }, 120_000);
});

describe("the emitted script", () => {
  it("lowers async/await so the runtime sees continuations", () => {
    const js = emitLikeMonaco('export default async function start() { await Promise.resolve(1); }');
    expect(js).toMatch(/__awaiter/);
    expect(js).not.toMatch(/\basync function\b/);
  });
  it("is not strict, like esbuild's output for the CLI", () => {
    const script = wrapEmittedSolution(emitLikeMonaco("export default function start() {}"));
    expect(script).not.toMatch(/"use strict"/);
    expect(new Function(`${script}; return __clusterlab_solution;`)().default).toBeTypeOf("function");
  });
  it("keeps every emitted line's number, shifted by the wrapper's lines, and drops the map's URL comment", () => {
    const { js } = emitWithMapLikeMonaco('export default function start() {\n  const marker = 1;\n}\n');
    expect(js).toMatch(/sourceMappingURL/);
    const script = wrapEmittedSolution(js);
    expect(script).not.toMatch(/sourceMappingURL/);
    const emitted = js.split("\n").findIndex((l) => l.includes("marker"));
    expect(script.split("\n").findIndex((l) => l.includes("marker"))).toBe(emitted + SOLUTION_SCRIPT_LINE_OFFSET);
  });
});

// The browser's path for runtime errors: Monaco's emit and its .js.map, wrapped, graded in one realm.
describe("a runtime error in the browser's emit", () => {
  const source = `import type { Node } from "clusterlab";

export default function start(node: Node) {
  node.on("echo", async (msg) => {
    await Promise.resolve();
    const body = msg.body as unknown as { nested?: { value: number } };
    node.reply(msg, { type: "echo_ok", echo: body.nested!.value });
  });
}
`;
  it("names the learner's TypeScript line and column, through the wrapper's line offset", async () => {
    const exercise = (await loadExercise("echo"))!;
    const { js, map } = emitWithMapLikeMonaco(source, "echo.ts");
    const results = await grade({ exercise, solutionJs: wrapEmittedSolution(js), sourceMap: map, sourceMapLineOffset: SOLUTION_SCRIPT_LINE_OFFSET, solutionLabel: "echo.ts", sandbox: scope, seeds: [1], scenario: 1 });
    const message = results.tests[0]!.message;
    expect(message).toMatch(/TypeError: Cannot read properties of undefined \(reading 'value'\) \(at echo\.ts:7:\d+\)/);
    const column = Number(/echo\.ts:7:(\d+)/.exec(message)![1]);
    expect(source.split("\n")[6]!.slice(column - 1)).toMatch(/^(\.value|value|nested|body)/);
    // Without the offset the same map points two lines off: the offset is what makes it right.
    const off = await grade({ exercise, solutionJs: wrapEmittedSolution(js), sourceMap: map, solutionLabel: "echo.ts", sandbox: scope, seeds: [1], scenario: 1 });
    expect(off.tests[0]!.message).not.toMatch(/echo\.ts:7:/);
  });
});
