// The single-file grade path as one bundle (src/cli/grade-bundle.ts): the engine and the exercise come from
// it, kept on disk until an input changes; the modules the CLI shares with it stay their own files, and
// every module keeps its own import.meta.url.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { keptBundle, loadGradePath } from "../../src/cli/grade-bundle.ts";
import { repoRoot } from "./support/io.ts";

const echo = join(repoRoot, "exercises", "echo", "exercise.ts");

describe("the grade path's bundle", () => {
  it("gives the exercise with the grade path, and is kept: a second call builds nothing", async () => {
    const path = await loadGradePath("echo");
    expect(path.exercise?.slug).toBe("echo");
    expect(typeof path.gradeSingleFile).toBe("function");
    const file = await keptBundle(echo);
    const { mtimeMs } = statSync(file);
    expect(await keptBundle(echo)).toBe(file);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
  });

  it("imports the shared modules from their files and leaves no import.meta of its own", async () => {
    const text = readFileSync(await keptBundle(echo), "utf8");
    for (const shared of ["src/cli/command.ts", "src/cli/phases.ts", "graders/sandbox/node/index.ts"]) {
      expect(text).toContain(JSON.stringify(pathToFileURL(join(repoRoot, shared)).href));
    }
    expect(text).not.toContain("import.meta");
    // exercises.ts finds the exercises from its own place, not the bundle's.
    expect(text).toContain(JSON.stringify(pathToFileURL(join(repoRoot, "src", "cli", "exercises.ts")).href));
  });

  it("leaves a slug without an exercise to the modules themselves (which say so)", async () => {
    const path = await loadGradePath("no-such-exercise");
    expect(path.exercise).toBeUndefined();
    expect(typeof path.gradeSingleFile).toBe("function");
  });
});
