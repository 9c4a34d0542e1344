// Runtime errors name the learner's file, line and column: the runtime writes "solution.js:L:C" (the
// transpiled script) and the grade maps it back with the transpiler's source map.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../../graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "../../graders/sandbox/node/index.ts";
import { decodeMappings, sourceLocator } from "../../graders/report/source-map.ts";
import { loadExercise } from "../../src/cli/exercises.ts";

const source = `import type { Node } from "clusterlab";

interface Echo { echo: unknown }

export default function start(node: Node) {
  node.on("echo", (msg) => {
    const body = msg.body as unknown as { nested?: { value: number } };
    node.reply(msg, { type: "echo_ok", echo: body.nested!.value });
  });
}
`;

describe("error locations", () => {
  it("decodes VLQ mappings (one segment, negative deltas)", () => {
    // "AAAA" = [0,0,0,0]; "SAAS" = column +9, source column +9; ";" starts a line; "DAAD" = column -1, source column -1.
    expect(decodeMappings("AAAA,SAAS;DAAD")).toEqual([
      [{ column: 0, sourceLine: 0, sourceColumn: 0 }, { column: 9, sourceLine: 0, sourceColumn: 9 }],
      [{ column: -1, sourceLine: 0, sourceColumn: 8 }],
    ]);
    expect(sourceLocator(undefined, "a.ts")("at solution.js:3:4")).toBe("at solution.js:3:4");
  });

  it.each([
    ["isolated-vm", createIsolatedVmSandbox()],
    ["browser", createOneRealmIvmSandbox()],
  ])("a handler's TypeError names the TypeScript line and column in the %s sandbox", async (_name, sandbox) => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-map-"));
    writeFileSync(join(dir, "mine.ts"), source);
    const transpiled = await transpileSolution(source, "mine.ts");
    if ("errors" in transpiled) throw new Error("does not compile");
    const exercise = (await loadExercise("echo"))!;
    const results = await grade({ exercise, solutionJs: transpiled.js, sourceMap: transpiled.map, solutionLabel: "mine.ts", sandbox, seeds: [1], scenario: 1 });
    // Line 8, at `.value` of body.nested!.value (column 58).
    expect(results.tests[0]!.message).toMatch(/"echo" handler threw TypeError: Cannot read properties of undefined \(reading 'value'\) \(at mine\.ts:8:\d+\)/);
    const column = Number(/mine\.ts:8:(\d+)/.exec(results.tests[0]!.message)![1]);
    expect(source.split("\n")[7]!.slice(column - 1)).toMatch(/^(\.value|value|nested)/);
  });
});
