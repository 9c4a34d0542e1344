// Adding a harness is adding a folder, graders/harness/<name>/, and one line in its registry
// (graders/harness/index.ts). This file holds the parts of that rule the type checker and the other tests
// do not: what is gathered from the folders (the learner API, on disk and in the editor) is every folder's
// and nothing else.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { harnesses } from "../graders/index.ts";
import { clusterlabDts } from "../src/cli/typecheck.ts";
import { nodeApiDts } from "../src/grader/compile.ts";

const root = join(import.meta.dirname, "..");
const harnessDir = join(root, "graders", "harness");
const harnessFolders = readdirSync(harnessDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const apiFolders = harnessFolders.filter((name) => existsSync(join(harnessDir, name, "api.ts")));

describe("a harness is a folder and a registry line", () => {
  it("registers exactly the harness folders", () => {
    expect(Object.keys(harnesses).sort()).toEqual(harnessFolders);
  });

  it("gives the learner every harness's api.ts, the same text in the CLI's type check and in the editor", () => {
    expect(apiFolders).toEqual(Object.keys(harnesses).sort());
    const dts = clusterlabDts();
    for (const name of apiFolders) {
      // Each file whole, in one "clusterlab" module.
      expect(dts, name).toContain(readFileSync(join(harnessDir, name, "api.ts"), "utf8"));
    }
    expect(nodeApiDts).toBe(dts);
  });

  it("lists every api.ts in the module the repository's own type check resolves as \"clusterlab\"", () => {
    const text = readFileSync(join(root, "graders", "runtime", "learner-api.ts"), "utf8");
    const listed = [...text.matchAll(/^export (?:type )?\* from "\.\.\/harness\/([^/]+)\/api\.ts";$/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(apiFolders);
  });
});
