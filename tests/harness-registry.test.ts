// Adding a harness is adding a folder, graders/harness/<name>/, and one line in its registry
// (graders/harness/index.ts). This file holds the parts of that rule the type checker and the other tests
// do not: what is gathered from the folders (the learner API, on disk and in the editor) is every folder's
// and nothing else.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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

  it("keeps each harness folder to itself: none imports another's (shared realm code is graders/runtime/)", () => {
    const bad: string[] = [];
    for (const name of harnessFolders) {
      for (const file of sourceFiles(`graders/harness/${name}`)) {
        const text = readFileSync(join(root, file), "utf8");
        for (const m of text.matchAll(/(?:from\s+|import\(\s*)["'](\.[^"']+)["']/g)) {
          const target = relative(root, resolve(root, dirname(file), m[1]!));
          const other = /^graders\/harness\/([^/]+)\//.exec(target)?.[1];
          if (other !== undefined && other !== name) bad.push(`${file} → ${target}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("adds every api.ts to the \"clusterlab\" module the repository's own type check resolves, from its own folder", () => {
    // TypeScript has no glob: each folder's clusterlab-module.d.ts merges its api.ts into the one ambient module.
    for (const name of apiFolders) {
      const file = join(harnessDir, name, "clusterlab-module.d.ts");
      expect(existsSync(file), `graders/harness/${name}/clusterlab-module.d.ts`).toBe(true);
      expect(readFileSync(file, "utf8")).toMatch(new RegExp(`declare module "clusterlab" \\{\\s*export \\* from "#harness-api/${name}";\\s*\\}`));
    }
    expect(JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")).compilerOptions.paths["#harness-api/*"]).toEqual(["./graders/harness/*/api.ts"]);
  });
});

// Code outside the harness folders that branches on a harness's name is code a new harness would have to
// edit. The scan reads the engine, the sandboxes, the CLI, the site, the benches and the scripts, leaving
// out the harness folders and the two registries (graders/harness/, the site's panels/index.ts), and
// flags a comparison with a harness name on a line about a harness, a `case` of a switch on a harness, and
// a union or list of two or more harness names.
const scanned = ["graders", "src", "bin", "bench", "scripts"];
const registries = ["graders/harness/", "src/scripts/exercise/panels/index.ts"];

/** Lines a harness may be named on outside its folder, each with why it is not a per-harness branch. */
const allowed: ReadonlyArray<{ file: RegExp; line: RegExp; why: string }> = [
  {
    file: /^(src|bench)\//,
    line: /\.harness\s*===\s*"node".*\.(trace|history|stats\.(traceTruncated|messagesDelivered))\b/,
    why: "reads a field only a node run carries (its message trace, client history or message counts): narrowing the RunData union to that field, not choosing what to do by harness",
  },
  {
    file: /^bench\//,
    line: /\.harness\s*!==\s*"node"\)\s*throw/,
    why: "a benchmark of node scenarios asserts the kind of run it measured",
  },
  {
    file: /^src\/cli\/(batch\/scaffold|commands\/new)\.ts$/,
    line: /"node"/,
    why: "`clusterlab new`'s template names (the ScaffoldHarness type; its table of templates is the one place that names each): a harness without a template is not offered there",
  },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|mts|mjs|js|astro)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The harness-name branches of a file's text, as line numbers and lines. */
export function harnessBranches(text: string, names: readonly string[]): Array<{ line: number; text: string }> {
  const name = `"(?:${names.join("|")})"`;
  const compare = new RegExp(`(?:===|!==|==|!=)\\s*${name}|${name}\\s*(?:===|!==|==|!=)`);
  const union = new RegExp(`${name}\\s*\\|\\s*${name}`);
  const list = new RegExp(`\\[\\s*${name}\\s*,\\s*${name}`);
  const caseOf = new RegExp(`\\bcase\\s+${name}\\s*:`);
  const found: Array<{ line: number; text: string }> = [];
  let switchOnHarness = false;
  text.split("\n").forEach((line, i) => {
    if (/\bswitch\s*\(/.test(line)) switchOnHarness = /harness/i.test(line);
    const branch = (compare.test(line) && /harness/i.test(line)) || union.test(line) || list.test(line) || (caseOf.test(line) && switchOnHarness);
    if (branch) found.push({ line: i + 1, text: line.trim() });
  });
  return found;
}

describe("no code outside a harness's folder branches on its name", () => {
  const names = Object.keys(harnesses);

  it("finds none, but the allowed ones", () => {
    const bad: string[] = [];
    for (const file of scanned.flatMap(sourceFiles)) {
      if (registries.some((r) => file.startsWith(r))) continue;
      for (const { line, text } of harnessBranches(readFileSync(join(root, file), "utf8"), names)) {
        if (!allowed.some((a) => a.file.test(file) && a.line.test(text))) bad.push(`${file}:${line}: ${text}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("finds each kind of branch it looks for (the scan is not vacuous)", () => {
    const planted = [
      'if (ctx.harness === "design") return;',
      'const kind = "estimate" !== exercise.harness;',
      'harness: "node" | "component";',
      'for (const h of ["node", "design"]) run(h);',
      "switch (run.harness) {",
      '  case "component":',
    ].join("\n");
    expect(harnessBranches(planted, names).map((b) => b.line)).toEqual([1, 2, 3, 4, 6]);
    // A name compared on a line about something else (a realm named "component", a fault's target) is no branch.
    expect(harnessBranches('const where = e.node === "component" ? "the component" : e.node;\nswitch (kind) {\n  case "node":', names)).toEqual([]);
  });
});
