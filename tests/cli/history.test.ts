// `clusterlab grade --history` writes each run's client history in Jepsen's formats, and `clusterlab check`
// reads them back: on replicated-kv, the checker's verdict on every written file is the grade's own
// linearizable verdict for that run, for the reference and for wrong solutions, in JSON lines and in EDN.
// `check` takes many files or a folder, with a verdict per file and a summary.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHistory, type ClientEvent } from "../../graders/index.ts";
import { main } from "../../src/cli/main.ts";
import { ednLine, jsonLine, toJepsenEvents } from "../../src/cli/batch/history-out.ts";
import { cliIo } from "./support/io.ts";
import { loadExercise } from "../../src/cli/exercises.ts";

const dir = mkdtempSync(join(tmpdir(), "clusterlab-history-"));

interface Graded {
  tests: Array<{ taskId: string; scenario: string; seed: number; status: string; failures: Array<{ check: string }> }>;
}

/** Grades with --history into its own folder: the results, and the files written in name order. */
async function gradeWithHistory(file: string, ext: "jsonl" | "edn", ...extra: string[]) {
  const out = mkdtempSync(join(dir, "run-"));
  const io = cliIo();
  await main(["grade", "replicated-kv", file, "--json", "--no-typecheck", "--history", join(out, `h.${ext}`), ...extra], io);
  return { results: JSON.parse(io.out) as Graded, out, files: readdirSync(out).sort(), err: io.err };
}

async function check(...args: string[]) {
  const io = cliIo();
  const code = await main(["check", ...args, "--model", "cas-register"], io);
  return { code, out: io.out, err: io.err };
}

describe("clusterlab grade --history", () => {
  it.each([
    ["the reference", "exercises/replicated-kv/.meta/solution.ts", "jsonl"],
    ["follower reads", "exercises/replicated-kv/.meta/wrong/follower-reads.ts", "edn"],
    ["no cas check", "exercises/replicated-kv/.meta/wrong/no-cas-check.ts", "jsonl"],
    ["definite timeouts", "exercises/replicated-kv/.meta/wrong/definite-timeout.ts", "edn"],
    ["two leaders", "exercises/replicated-kv/.meta/wrong/two-leaders.ts", "jsonl"],
  ] as const)("writes histories that clusterlab check judges as the grade did: %s (%s)", async (_, file, ext) => {
    const { results, out, files, err } = await gradeWithHistory(file, ext as "jsonl" | "edn", "--seeds", "2");
    expect(files).toHaveLength(results.tests.length);
    expect(err).toMatch(new RegExp(`^${results.tests.length} histories written beside .*h\\.${ext}`));
    for (const test of results.tests) {
      const name = `h.${test.taskId}.${test.scenario}.seed${test.seed}.${ext}`;
      expect(files).toContain(name);
      const verdict = await check(join(out, name));
      const gradeSays = test.failures.some((f) => f.check === "linearizable") ? 1 : 0;
      expect(verdict.code, `${name}: ${verdict.out}${verdict.err}`).toBe(gradeSays);
      expect(verdict.out).toMatch(gradeSays ? /not linearizable under cas-register/ : /: linearizable under cas-register \(\d+ operations, \d+ keys;/);
    }
  }, 240_000);

  it("writes exactly the file named for a grade of one run", async () => {
    const { files, err, out } = await gradeWithHistory("exercises/replicated-kv/.meta/solution.ts", "edn", "--seed", "3", "--scenario", "partitions");
    expect(files).toEqual(["h.edn"]);
    expect(err).toMatch(/^history written to .*h\.edn\n$/);
    const text = readFileSync(join(out, "h.edn"), "utf8");
    expect(text).toMatch(/^\{:process \d+, :type :invoke, :f :(read|write|cas), :key \d+, :value [^,]+, :time \d+, :node "n\d"\}$/m);
    expect((await check(join(out, "h.edn"))).code).toBe(0);
  });

  it("says why when there is no client history to write (a component exercise)", async () => {
    const io = cliIo();
    expect(await main(["grade", "load-balancer", "exercises/load-balancer/.meta/solution.ts", "--seed", "1", "--scenario", "1", "--no-typecheck", "--history", join(dir, "lb.jsonl")], io)).toBe(0);
    expect(io.err).toContain("no history written: these runs record no client operations (a component exercise)");
  });

  it("refuses a history file it cannot write as a usage error", async () => {
    const io = cliIo();
    expect(await main(["grade", "echo", "--history", "out.txt"], io)).toBe(64);
    expect(io.err).toContain('--history writes .jsonl (JSON lines) or .edn (Jepsen\'s EDN) files, not "out.txt"');
  });
});

describe("Jepsen events", () => {
  const op = (o: Partial<ClientEvent>): ClientEvent => ({ process: "c1", type: "invoke", f: "read", value: { key: 1 }, timeMs: 0, node: "n1", ...o });
  it("renumber a client after an info (Jepsen retires the process), split keys, and translate lin-kv's errors", () => {
    const events = toJepsenEvents(
      [
        op({ process: "c1", f: "write", value: { key: 1, value: 5 }, timeMs: 1 }),
        op({ process: "c2", f: "read", value: { key: 2 }, timeMs: 1.5 }),
        op({ process: "c1", type: "info", f: "write", value: { key: 1, value: 5 }, timeMs: 2, code: 0 }),
        op({ process: "c2", type: "fail", f: "read", value: { key: 2 }, timeMs: 3, code: 20 }),
        op({ process: "c1", f: "cas", value: { key: 1, from: 5, to: 6 }, timeMs: 4 }),
        op({ process: "c1", type: "fail", f: "cas", value: { key: 1, from: 5, to: 6 }, timeMs: 5, code: 11 }),
        op({ process: "c1", f: "cas", value: { key: 1, from: 5, to: 7 }, timeMs: 6 }),
        op({ process: "c1", type: "fail", f: "cas", value: { key: 1, from: 5, to: 7 }, timeMs: 7, code: 22 }),
      ],
      "lin-kv",
    );
    expect(events.map((e) => [e.process, e.type, e.f, e.key, e.value, e.time])).toEqual([
      [0, "invoke", "write", 1, 5, 1_000_000],
      [1, "invoke", "read", 2, null, 1_500_000],
      [0, "info", "write", 1, 5, 2_000_000],
      // error 20 on a read: the key does not exist, a read of nil (as Maelstrom's lin-kv client records it)
      [1, "ok", "read", 2, null, 3_000_000],
      // a cas refused for another reason (11) did not happen: left out; one refused by 22 is a failed compare
      [2, "invoke", "cas", 1, [5, 7], 6_000_000],
      [2, "fail", "cas", 1, [5, 7], 7_000_000],
    ]);
  });

  it("read back exactly, in both formats, whatever the values hold", () => {
    const value = { key: "k \"1\"\n", value: { text: 'quote " backslash \\ tab \t bell \u0007 lone \ud800 emoji 😀', list: [1, 2.5, null, true], ":kw": "x" } };
    const events = toJepsenEvents([op({ f: "write", value, timeMs: 1 }), op({ type: "ok", f: "write", value, timeMs: 2 })]);
    for (const line of [jsonLine, ednLine]) {
      const parsed = parseHistory(events.map((e) => line(e)).join("\n"));
      expect(parsed.operations).toHaveLength(1);
      const [read] = parsed.operations;
      expect(read!.key).toBe(value.key);
      const written = read!.value as Record<string, unknown>;
      expect(written.text).toBe(value.value.text);
      expect(written.list).toHaveLength(4);
      expect(written[":kw"]).toBe("x");
    }
  });
});

describe("clusterlab check with many files", () => {
  it("gives a verdict per file and a summary, for files and folders; exit is the worst", async () => {
    const { out } = await gradeWithHistory("exercises/replicated-kv/.meta/wrong/follower-reads.ts", "jsonl", "--seed", "1");
    const good = await gradeWithHistory("exercises/replicated-kv/.meta/solution.ts", "edn", "--seed", "1", "--scenario", "one-node");
    const result = await check(out, join(good.out, "h.edn"));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/h\.single-node\.one-node\.seed1\.jsonl: linearizable under cas-register/);
    expect(result.out).toMatch(/h\.replicated\.three-nodes\.seed1\.jsonl: not linearizable under cas-register/);
    // One history per scenario of the wrong solution (only the single node's is linearizable), and the good one.
    const scenarios = (await loadExercise("replicated-kv"))!.tasks.flatMap((t) => t.scenarios).length;
    const files = scenarios + 1;
    expect(result.out).toMatch(new RegExp(`\\n${files} histories under cas-register: 2 linearizable, ${files - 2} not linearizable, 0 unknown, 0 unreadable\\n$`));

    const json = cliIo();
    expect(await main(["check", out, join(good.out, "h.edn"), "--model", "cas-register", "--json"], json)).toBe(1);
    const doc = JSON.parse(json.out) as { files: Array<{ file: string; verdict: string }>; summary: Record<string, unknown> };
    expect(doc.files).toHaveLength(files);
    expect(doc.summary).toEqual({ files, linearizable: 2, notLinearizable: files - 2, unknown: 0, unreadable: 0, model: "cas-register" });
  }, 120_000);

  it("reports an unreadable file in place and exits 2; a path that names nothing is a usage error", async () => {
    const good = await gradeWithHistory("exercises/replicated-kv/.meta/solution.ts", "jsonl", "--seed", "1", "--scenario", "one-node");
    const broken = join(good.out, "z-broken.jsonl");
    (await import("node:fs")).writeFileSync(broken, '{"process": 0, "type": "invoke"\n');
    const result = await check(good.out);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/z-broken\.jsonl:1: expected/);
    expect(result.out).toMatch(/2 histories under cas-register: 1 linearizable, 0 not linearizable, 0 unknown, 1 unreadable\n$/);
    const missing = await check(join(good.out, "h.jsonl"), "nowhere.jsonl");
    expect(missing.code).toBe(64);
    expect(missing.err).toContain("no such file or folder: nowhere.jsonl");
  }, 120_000);
});
