// `clusterlab new` and `clusterlab validate`, run in a temporary copy of the repository's layout (exercises/,
// content/, and graders/ linked in for the exercises' imports), never in the repository's own exercises/.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { addToLesson } from "../../src/cli/batch/scaffold.ts";
import { cliIo, repoRoot } from "./support/io.ts";

const lesson = "01-foundations/01-what-is-a-distributed-system";

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "clusterlab-authoring-"));
  mkdirSync(join(root, "exercises"));
  mkdirSync(join(root, "content", "01-foundations"), { recursive: true });
  mkdirSync(join(root, "content", "02-load-balancing"));
  symlinkSync(join(repoRoot, "graders"), join(root, "graders"));
  cpSync(join(repoRoot, "content", `${lesson}.mdx`), join(root, "content", `${lesson}.mdx`));
  cpSync(join(repoRoot, "content", "02-load-balancing", "01-layer-4-and-layer-7.mdx"), join(root, "content", "02-load-balancing", "01-layer-4-and-layer-7.mdx"));
  return root;
}

interface ValidateJson {
  ok: boolean;
  exercises: Array<{ slug: string; ok: boolean; findings: Array<{ ok: boolean; what: string; detail?: string[] }> }>;
}

describe("clusterlab new", () => {
  it("scaffolds a node exercise and a new lesson stub at the end of the last part that embeds it", async () => {
    const root = project();
    const io = cliIo(join(root, "content")); // any folder inside the project
    expect(await main(["new", "leader-lease", "--harness", "node", "--title", "Leader leases"], io)).toBe(0);
    const dir = join(root, "exercises", "leader-lease");
    for (const file of ["exercise.ts", "starter.ts", ".meta/solution.ts", ".meta/alternatives/explicit-send.ts", ".meta/alternatives/later.ts", ".meta/wrong/throws.ts"]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const stub = readFileSync(join(root, "content", "02-load-balancing", "02-leader-lease.mdx"), "utf8");
    expect(stub).toMatch(/^---\ntitle: "Leader leases"\ndescription: .+\npart: 2\norder: 2\nexercises: \[leader-lease\]\n---\n/);
    expect(stub).toContain('<Exercise slug="leader-lease" />');
    expect(readFileSync(join(dir, "exercise.ts"), "utf8")).toContain('lesson: "02-load-balancing/02-leader-lease"');
    expect(io.out).toContain("clusterlab validate leader-lease");
  });

  it("adds a component exercise to an existing lesson: listed in its frontmatter, embedded at its end", async () => {
    const root = project();
    expect(await main(["new", "rr", "--harness", "component", "--lesson", lesson], cliIo(root))).toBe(0);
    const text = readFileSync(join(root, "content", `${lesson}.mdx`), "utf8");
    expect(text).toMatch(/^exercises: \[echo, unique-ids, rr\]$/m);
    expect(text.trimEnd().endsWith('<Exercise slug="rr" />')).toBe(true);
    expect(readFileSync(join(root, "exercises", "rr", "exercise.ts"), "utf8")).toContain('harness: "component"');
  });

  it("adds the frontmatter list and the import to a lesson that has neither", () => {
    const out = addToLesson("---\ntitle: x\n---\n\nText.\n", "demo");
    expect(out).toBe('---\nexercises: [demo]\ntitle: x\n---\n\nimport Exercise from "../../src/components/Exercise.astro";\n\nText.\n\n<Exercise slug="demo" />\n');
    expect(addToLesson(out, "demo")).toBe(out);
  });

  it("refuses bad input with usage errors, and never overwrites", async () => {
    const root = project();
    expect(await main(["new", "dup", "--harness", "node"], cliIo(root))).toBe(0);
    const outside = mkdtempSync(join(tmpdir(), "clusterlab-nowhere-"));
    for (const [argv, cwd, message] of [
      [["new", "dup", "--harness", "node"], root, "exercises/dup already exists"],
      [["new", "Bad_Slug", "--harness", "node"], root, 'the slug must be kebab-case (lowercase letters, digits and single dashes), not "Bad_Slug"'],
      [["new", "x"], root, "--harness is required (node, component or design)"],
      [["new", "x", "--harness", "estimate"], root, '--harness takes node, component or design, not "estimate"'],
      [["new", "x", "--harness", "node", "--lesson", "foundations/intro"], root, "--lesson names a lesson as <NN-part>/<NN-lesson>"],
      [["new", "x", "--harness", "node"], outside, "no clusterlab project here"],
    ] as const) {
      const io = cliIo(cwd);
      expect(await main([...argv], io), argv.join(" ")).toBe(64);
      expect(io.err).toContain(message);
      expect(io.err).toContain("usage: clusterlab new");
    }
  });
});

describe("clusterlab validate", () => {
  it("passes the three scaffolds as written, and a copy of a real exercise", async () => {
    const root = project();
    cpSync(join(repoRoot, "exercises", "echo"), join(root, "exercises", "echo"), { recursive: true });
    expect(await main(["new", "leader-lease", "--harness", "node", "--lesson", lesson], cliIo(root))).toBe(0);
    expect(await main(["new", "rr", "--harness", "component", "--lesson", "02-load-balancing/01-layer-4-and-layer-7"], cliIo(root))).toBe(0);
    expect(await main(["new", "shortener", "--harness", "design", "--lesson", lesson], cliIo(root))).toBe(0);
    const io = cliIo(root);
    const code = await main(["validate", "--json", "--cache", join(root, "cache")], io);
    const report = JSON.parse(io.out) as ValidateJson;
    expect(report.exercises.flatMap((e) => e.findings.filter((f) => !f.ok).map((f) => `${e.slug}: ${f.what} ${f.detail?.join(" ") ?? ""}`))).toEqual([]);
    expect(code).toBe(0);
    expect(report.exercises.map((e) => e.slug)).toEqual(["echo", "leader-lease", "rr", "shortener"]);
    const whats = report.exercises.find((e) => e.slug === "leader-lease")!.findings.map((f) => f.what);
    expect(whats).toContain("the reference passes every check (20 runs on 10 seeds)");
    expect(whats).toContain("wrong/throws.ts fails no-errors (20 runs on 10 seeds)");
    expect(whats).toContain("the starter compiles and fails (echo)");
    const design = report.exercises.find((e) => e.slug === "shortener")!.findings.map((f) => f.what);
    expect(design).toContain("the reference passes every check (10 runs on 5 seeds)");
    for (const [file, check] of [["one-zone", "availability"], ["over-budget", "cost"], ["no-ttl-cache", "stale-reads"], ["module-counter", "unique-codes"], ["never-settles", "no-errors"]]) {
      expect(design).toContain(`wrong/${file}.ts fails ${check} (10 runs on 5 seeds)`);
    }
    expect(design).toContain("alternatives/key-value-store.ts passes every check (10 runs on 5 seeds)");

    // Text: a line per check and a summary.
    const text = cliIo(root);
    expect(await main(["validate", "rr", "--cache", join(root, "cache")], text)).toBe(0);
    expect(text.out).toMatch(/^rr: OK\n {2}✓ exercise\.ts loads, its slug is its folder's name\n/);
    expect(text.out).toMatch(/✓ wrong\/random\.ts fails imbalance \(10 runs on 10 seeds\)/);
    expect(text.out).toMatch(/\nvalidated 1 exercise: 1 ok\n$/);
  }, 240_000);

  it("names every check that does not hold, and exits 1", async () => {
    const root = project();
    expect(await main(["new", "broken", "--harness", "node", "--lesson", lesson], cliIo(root))).toBe(0);
    const dir = join(root, "exercises", "broken");
    // Fewer seeds keep the test quick; --full still grades the reference on 20.
    const def = join(dir, "exercise.ts");
    writeFileSync(def, readFileSync(def, "utf8").replace('harness: "node",', 'harness: "node",\n  seeds: 2,'));
    cpSync(join(dir, ".meta", "solution.ts"), join(dir, ".meta", "wrong", "actually-right.ts"));
    writeFileSync(join(dir, ".meta", "wrong", "actually-right.ts"), `// fails: echo\n${readFileSync(join(dir, ".meta", "solution.ts"), "utf8")}`);
    writeFileSync(join(dir, ".meta", "wrong", "unnamed.ts"), readFileSync(join(dir, "starter.ts"), "utf8"));
    cpSync(join(dir, ".meta", "wrong", "wrong-value.ts"), join(dir, ".meta", "alternatives", "not-really.ts"));
    rmSync(join(dir, ".meta", "alternatives", "later.ts"));
    cpSync(join(dir, ".meta", "solution.ts"), join(dir, "starter.ts"));
    const lessonFile = join(root, "content", `${lesson}.mdx`);
    writeFileSync(lessonFile, readFileSync(lessonFile, "utf8").replace('<Exercise slug="broken" />', ""));

    const io = cliIo(root);
    expect(await main(["validate", "broken", "--full", "--no-cache", "--json"], io)).toBe(1);
    const [report] = (JSON.parse(io.out) as ValidateJson).exercises;
    const failed = report!.findings.filter((f) => !f.ok).map((f) => f.what);
    expect(failed).toEqual([
      `lesson ${lesson} should embed it (<Exercise slug="broken" />)`,
      'wrong/unnamed.ts starts with "// fails: <check>"',
      "the starter should fail, and passes",
      "wrong/actually-right.ts should fail echo on the default seeds: it passes",
      "alternatives/not-really.ts should pass every check (4 runs on 2 seeds)",
    ]);
    expect(report!.findings.find((f) => f.what.startsWith("the reference"))!.what).toBe("the reference passes every check (40 runs on 20 seeds)");
    expect(report!.findings.find((f) => f.what.startsWith("alternatives/not-really"))!.detail![0]).toMatch(/^one-node > single seed 1: echo: /);

    const text = cliIo(root);
    expect(await main(["validate", "broken", "--no-cache"], text)).toBe(1);
    expect(text.out).toMatch(/^broken: 5 problems$/m);
    expect(text.out).toMatch(/^ {2}✗ the starter should fail, and passes$/m);
    expect(text.out).toMatch(/validated 1 exercise: 0 ok, 1 with problems \(broken\)\n$/);
  }, 240_000);

  it("refuses what it cannot do as usage errors", async () => {
    const root = project();
    for (const [argv, message] of [
      [["validate", "nope"], 'no exercise "nope"'],
      [["validate"], "no exercises in"],
      [["validate", "--full", "--reference-seeds", "3"], "--full is --reference-seeds 20: give one of them"],
      [["validate", "--jobs", "0"], "--jobs must be at least 1"],
    ] as const) {
      const io = cliIo(root);
      expect(await main([...argv], io), argv.join(" ")).toBe(64);
      expect(io.err).toContain(message);
    }
  });
});
