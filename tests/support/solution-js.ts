// A solution file as the sandbox runs it, for tests and the bench: a file that does not compile is a bug in
// the fixture, not a verdict to check, so it throws with the compiler's first message.
import { readFileSync } from "node:fs";
import { transpileSolution } from "../../graders/sandbox/node/index.ts";

export async function readSolutionJs(file: string, label = file): Promise<string> {
  const transpiled = await transpileSolution(readFileSync(file, "utf8"), label);
  if ("errors" in transpiled) {
    const first = transpiled.errors[0]!;
    throw new Error(`${label} does not compile: ${first.line}:${first.column} ${first.text}`);
  }
  return transpiled.js;
}
