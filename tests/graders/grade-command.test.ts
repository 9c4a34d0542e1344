// The `grade` command's contract: exit codes, --json alone on stdout, replay commands, usage errors.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { CliIo } from "../../src/cli/command.ts";
import type { ExerciseDef } from "../../graders/index.ts";

// Two exercises that exist only here: echo with a check that throws, and one whose definition fails to load.
vi.mock("../../src/cli/exercises.ts", async (importActual) => {
  const actual = await importActual<typeof import("../../src/cli/exercises.ts")>();
  return {
    ...actual,
    async loadExercise(slug: string): Promise<ExerciseDef | undefined> {
      if (slug === "broken-exercise") throw new TypeError("Cannot read properties of undefined (reading 'tasks')\n    at exercise.ts:3:1");
      if (slug !== "throwing-check") return actual.loadExercise(slug);
      const echo = (await actual.loadExercise("echo"))!;
      return { ...echo, slug, tasks: echo.tasks.map((t) => ({ ...t, checks: [...t.checks, { name: "boom" }] })) };
    },
  };
});
vi.mock("../../graders/checkers/stats.ts", async (importActual) => {
  const actual = await importActual<typeof import("../../graders/checkers/stats.ts")>();
  return {
    ...actual,
    genericChecks: {
      ...actual.genericChecks,
      boom() {
        throw new RangeError("Maximum call stack size exceeded");
      },
    },
  };
});

const root = join(import.meta.dirname, "..", "..");
function io(): CliIo & { out: string; err: string } {
  const o = { out: "", err: "", isTty: false, color: false, cwd: root, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

describe("clusterlab grade", () => {
  it("exits 0 and prints figures when every check passes", async () => {
    const out = io();
    expect(await main(["grade", "echo", "exercises/echo/.meta/solution.ts", "--seeds", "2"], out)).toBe(0);
    expect(out.out).toMatch(/echo: PASS/);
    expect(out.out).toMatch(/latency p50 [\d.]+ ms/);
    expect(out.out).toMatch(/history hash [0-9a-f]{16}/);
  });

  it("exits 1 on a failed check and prints the command that replays it", async () => {
    const out = io();
    expect(await main(["grade", "broadcast", "exercises/broadcast/.meta/wrong/no-retry.ts", "--scenario", "partitions", "--seed", "4"], out)).toBe(1);
    expect(out.out).toContain("npx clusterlab grade broadcast exercises/broadcast/.meta/wrong/no-retry.ts --seed 4 --scenario 3");
    expect(out.out).toMatch(/delivery: After the faults healed/);
    expect(out.out).toMatch(/is missing \d+ of \d+ acknowledged values/);
  });

  it("shows what the nodes logged in a failing run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-logs-"));
    const file = join(dir, "logs.ts");
    writeFileSync(
      file,
      `import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  node.on("echo", (msg) => { node.log("got", msg.body.echo); node.reply(msg, { type: "echo_ok", echo: "wrong" }); });\n}\n`,
    );
    const out = io();
    expect(await main(["grade", "echo", file, "--seeds", "1", "--scenario", "1"], out)).toBe(1);
    expect(out.out).toMatch(/node logs:\n {4}n1 at \d+ ms: got \S+/);
  });

  it("grades the starter when no file is given", async () => {
    const out = io();
    expect(await main(["grade", "echo", "--seeds", "1"], out)).toBe(1);
    expect(out.out).toContain("exercises/echo/starter.ts");
  });

  it("prints the results object alone on stdout with --json", async () => {
    const out = io();
    expect(await main(["grade", "unique-ids", "exercises/unique-ids/.meta/wrong/local-counter.ts", "--seeds", "1", "--json"], out)).toBe(1);
    const results = JSON.parse(out.out);
    expect(results).toMatchObject({ version: 2, status: "fail", exercise: "unique-ids" });
    expect(results.tests[0]).toMatchObject({ name: "cluster > three-nodes", taskId: "cluster", seed: 1, status: "fail", check: "unique" });
    expect(results.replay).toMatch(/--seed 1 --scenario 1$/);
  });

  it("exits 2 with file, line and column on a type error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-test-"));
    const file = join(dir, "typo.ts");
    writeFileSync(file, 'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  node.sned("n1", { type: "x" });\n}\n');
    const out = io();
    expect(await main(["grade", "echo", file], out)).toBe(2);
    expect(out.err).toMatch(/typo\.ts:3:8 TS2339 Property 'sned' does not exist on type 'Node'/);
  });

  it("prints a whole results object and exits 2 when a check throws", async () => {
    const out = io();
    expect(await main(["grade", "throwing-check", "exercises/echo/.meta/solution.ts", "--seeds", "1", "--json"], out)).toBe(2);
    const results = JSON.parse(out.out);
    expect(results).toMatchObject({ version: 2, status: "error", exercise: "throwing-check", metrics: { runs: 2 } });
    for (const test of results.tests) {
      expect(test).toMatchObject({ status: "error", check: "boom", message: 'check "boom" could not judge this run: RangeError: Maximum call stack size exceeded' });
      // The check before it still judged the run.
      expect(test.message).not.toMatch(/echo:/);
      expect(test.failures).toHaveLength(1);
    }
    expect(out.err).toBe("");
  });

  it("turns an unexpected exception into a whole results object with one line, exit 2, never a stack trace", async () => {
    const json = io();
    expect(await main(["grade", "broken-exercise", "--json"], json)).toBe(2);
    const results = JSON.parse(json.out);
    expect(results).toMatchObject({ version: 2, status: "error", exercise: "broken-exercise", tests: [], metrics: { runs: 0 }, replay: "npx clusterlab grade broken-exercise" });
    expect(results.message).toBe("the grader failed: TypeError: Cannot read properties of undefined (reading 'tasks') at exercise.ts:3:1");
    const text = io();
    expect(await main(["grade", "broken-exercise"], text)).toBe(2);
    expect(text.err).toBe(`${results.message}\n`);
  });

  it("prints a whole results object with --json on a type error too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-test-"));
    const file = join(dir, "typo.ts");
    writeFileSync(file, 'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  node.sned("n1", { type: "x" });\n}\n');
    const out = io();
    expect(await main(["grade", "echo", file, "--json"], out)).toBe(2);
    const results = JSON.parse(out.out);
    expect(results).toMatchObject({ version: 2, status: "error", exercise: "echo", tests: [], metrics: { runs: 0, events: 0 }, historyHash: "" });
    expect(results.message).toMatch(/typo\.ts:3:8 TS2339/);
  });

  it("exits 64 on usage errors", async () => {
    for (const argv of [["grade"], ["grade", "nope"], ["grade", "echo", "missing.ts"], ["grade", "echo", "--seed", "x"], ["grade", "echo", "--scenario", "99"], ["grade", "echo", "--sandbox", "chrome"]]) {
      const out = io();
      expect(await main(argv, out), argv.join(" ")).toBe(64);
      expect(out.err).toMatch(/usage: clusterlab grade/);
    }
  });

  it("puts a usage error above the synopsis only, and points to --help for the options", async () => {
    const out = io();
    expect(await main(["grade", "echo", "--seeds", "x"], out)).toBe(64);
    const lines = out.err.trimEnd().split("\n");
    expect(lines[0]).toBe('clusterlab grade: --seeds expects a whole number, got "x"');
    expect(lines.at(-1)).toBe("clusterlab grade --help lists every option.");
    expect(out.err).not.toContain("--no-typecheck  skip");
    const help = io();
    expect(await main(["grade", "--help"], help)).toBe(0);
    expect(help.out).toContain("--no-typecheck  skip");
  });

  it("grades in the browser's one-realm sandbox with --sandbox browser, with the same verdict and hash", async () => {
    const args = ["grade", "broadcast", "exercises/broadcast/.meta/solution.ts", "--json", "--no-typecheck", "--seeds", "2"];
    const [a, b] = [io(), io()];
    expect(await main(args, a)).toBe(0);
    expect(await main([...args, "--sandbox", "browser"], b)).toBe(0);
    expect(JSON.parse(b.out).historyHash).toBe(JSON.parse(a.out).historyHash);
  });

  it("lists the exercises", async () => {
    const out = io();
    expect(await main(["list"], out)).toBe(0);
    expect(out.out).toMatch(/^broadcast\s+Broadcast/m);
    expect(out.out).toMatch(/^echo\s+/m);
  });
});
