import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/cli/command.ts";
import { main } from "../../src/cli/main.ts";

function capture(cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    isTty: false,
    color: false,
    cwd,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

const fixtures = fileURLToPath(new URL("../fixtures/porcupine-kv/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "clusterlab-check-"));
function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const stale = file("stale.jsonl", [
  '{"process": 0, "type": "invoke", "f": "write", "value": 1}',
  '{"process": 0, "type": "ok", "f": "write", "value": 1}',
  '{"process": 0, "type": "invoke", "f": "write", "value": 2}',
  '{"process": 0, "type": "ok", "f": "write", "value": 2}',
  '{"process": 1, "type": "invoke", "f": "read", "value": null}',
  '{"process": 1, "type": "ok", "f": "read", "value": 1}',
]);

describe("clusterlab check", () => {
  it("exits 0 on a linearizable history (path relative to cwd)", async () => {
    const io = capture(fixtures);
    expect(await main(["check", "c10-ok.txt", "--model", "kv"], io)).toBe(0);
    expect(io.out).toMatch(/^c10-ok\.txt: linearizable under kv \(337 operations, \d+ keys;/);
  });

  it("exits 1 and explains a violation", async () => {
    const io = capture();
    expect(await main(["check", stale, "--model", "register"], io)).toBe(1);
    expect(io.out).toContain("not linearizable under register");
    expect(io.out).toContain("no order of these 2 operations"); // write 2, then the read of 1 (write 1 ended before write 2)
    expect(io.out).toContain("read → 1");
  });

  it("prints one JSON object with --json", async () => {
    const io = capture();
    expect(await main(["check", join(fixtures, "c01-bad.txt"), "--model=kv", "--json"], io)).toBe(1);
    const lines = io.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result.verdict).toBe("not-linearizable");
    expect(result.violation.core.length).toBeGreaterThan(0);
    expect(result.violation.core[0]).toHaveProperty("invokeMs");
  });

  it("exits 3 when the budget is spent", async () => {
    const io = capture();
    // A history whose search cannot finish in 1 ms: many concurrent, never-completed appends.
    const lines: string[] = [];
    for (let p = 0; p < 40; p++) lines.push(`{:process ${p}, :type :invoke, :f :append, :key "k", :value "${p};"}`);
    for (let p = 40; p < 80; p++) {
      lines.push(`{:process ${p}, :type :invoke, :f :get, :key "k", :value nil}`);
      lines.push(`{:process ${p}, :type :ok, :f :get, :key "k", :value "${Array.from({ length: 20 }, (_, i) => `${(i * 7 + p) % 40};`).join("")}"}`);
    }
    expect(await main(["check", file("hard.edn", lines), "--model", "kv", "--timeout-ms", "1", "--json"], io)).toBe(3);
    const result = JSON.parse(io.out);
    expect(result.verdict).toBe("unknown");
    expect(result.unknown.budget).toBe("timeout");
  });

  it("exits 2 with the line and what was expected on unreadable input", async () => {
    const bad = file("bad.jsonl", ['{"process": 0, "type": "invoke", "f": "read"}', '{"process": 0, "type": "ok", "f": "read", "value": }']);
    const io = capture();
    expect(await main(["check", bad, "--model", "register"], io)).toBe(2);
    expect(io.err).toContain("bad.jsonl:2: expected one JSON object per line");
    const json = capture();
    expect(await main(["check", bad, "--model", "register", "--json"], json)).toBe(2);
    expect(JSON.parse(json.out).error).toMatchObject({ line: 2, expected: "one JSON object per line" });
    const missing = capture();
    expect(await main(["check", join(dir, "nope.jsonl"), "--model", "register"], missing)).toBe(2);
    expect(missing.err).toContain("cannot read the file (ENOENT)");
  });

  it("exits 2 when the model cannot read an operation", async () => {
    const io = capture();
    expect(await main(["check", join(fixtures, "c01-ok.txt"), "--model", "register"], io)).toBe(2);
    expect(io.err).toMatch(/c01-ok\.txt:1: expected f read, write \(model register\), found "append"/);
  });

  it("exits 64 on usage errors", async () => {
    for (const argv of [
      ["check"],
      ["check", stale],
      ["check", stale, "--model", "queue"],
      ["check", stale, "--model", "kv", "--timeout-ms", "soon"],
      ["check", stale, "other", "--model", "kv"],
      ["check", stale, "--model", "kv", "--verbose"],
    ]) {
      const io = capture();
      expect(await main(argv, io), argv.join(" ")).toBe(64);
      expect(io.err).toContain("usage: clusterlab check");
    }
  });
});

const hostile = fileURLToPath(new URL("../fixtures/histories-hostile/", import.meta.url));
const DEEP = 100_000;

/** Runs `check` as the CLI does and returns the exit code and all it printed. */
async function run(path: string, model: string, ...flags: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture(hostile);
  const code = await main(["check", path, "--model", model, ...flags], io);
  return { code, out: io.out, err: io.err };
}

/** Exit 2, one line on stderr naming `file:line`, nothing on stdout, no stack trace anywhere. */
function expectRefused(result: { code: number; out: string; err: string }, file: string, line: number): void {
  expect(result.code, result.err).toBe(2);
  expect(result.out).toBe("");
  expect(result.err).not.toMatch(/^\s+at /m);
  expect(result.err.trim().split("\n")).toHaveLength(1);
  expect(result.err).toContain(`${file}:${line}: expected `);
}

function expectVerdict(result: { code: number; out: string; err: string }, code: 0 | 1): void {
  expect(result.code, result.err).toBe(code);
  expect(result.err).toBe("");
  expect(result.out).not.toMatch(/^\s+at /m);
}

describe("clusterlab check on hostile histories", () => {
  it("refuses EDN nested 100 000 levels deep, naming the line (no stack overflow)", async () => {
    const deep = file("deep.edn", [
      '{:process 0, :type :invoke, :f :write, :value 1}',
      `{:process 0, :type :ok, :f :write, :value ${"[".repeat(DEEP)}${"]".repeat(DEEP)}}`,
    ]);
    const result = await run(deep, "register");
    expectRefused(result, "deep.edn", 2);
    expect(result.err).toContain("at most 1000 levels of nesting");
  });

  it("refuses JSON values and read outputs nested 100 000 levels deep, naming the line", async () => {
    const value = file("deep-value.jsonl", [`{"process": 0, "type": "invoke", "f": "write", "value": ${"[".repeat(DEEP)}${"]".repeat(DEEP)}}`]);
    expectRefused(await run(value, "register"), "deep-value.jsonl", 1);
    const output = file("deep-output.jsonl", [
      '{"process": 0, "type": "invoke", "f": "read", "value": null}',
      `{"process": 0, "type": "ok", "f": "read", "value": ${'{"a":'.repeat(DEEP)}1${"}".repeat(DEEP)}}`,
    ]);
    expectRefused(await run(output, "register"), "deep-output.jsonl", 2);
    const json = await run(output, "register", "--json");
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out).error).toMatchObject({ line: 2, expected: "at most 1000 levels of nesting (column 5047)" });
  });

  it("reads values nested up to the cap and compares them by content", async () => {
    const nested = `${"[".repeat(999)}1${"]".repeat(999)}`; // the operation map is level 1
    const lines = (read: string) => [
      `{"process": 0, "type": "invoke", "f": "write", "value": ${nested}}`,
      `{"process": 0, "type": "ok", "f": "write", "value": ${nested}}`,
      '{"process": 1, "type": "invoke", "f": "read", "value": null}',
      `{"process": 1, "type": "ok", "f": "read", "value": ${read}}`,
    ];
    expectVerdict(await run(file("nested-ok.jsonl", lines(nested)), "register", "--json"), 0);
    expectVerdict(await run(file("nested-bad.jsonl", lines(nested.replace("1", "2"))), "register", "--json"), 1);
  });

  it("refuses a kv read of a map such as {\"toString\": 1}, naming the invoke and its ok", async () => {
    const result = await run("kv-output-tostring.jsonl", "kv");
    expectRefused(result, "kv-output-tostring.jsonl", 1);
    expect(result.err).toContain('the ok on line 2: {"toString":1}');
  });

  // Numbers are compared by their exact value, so these histories get their true verdict (exit 1) rather
  // than being refused: Jepsen records 64-bit and arbitrary-precision integers, which must stay checkable.
  it("tells apart integers beyond 2^53 that a double rounds to one (exit 1)", async () => {
    expectVerdict(await run("big-integer.jsonl", "register"), 1);
    expectVerdict(await run("big-integer.edn", "register"), 1);
    const same = file("big-same.jsonl", [
      '{"process": 0, "type": "invoke", "f": "write", "value": 9007199254740993}',
      '{"process": 0, "type": "ok", "f": "write", "value": 9007199254740993}',
      '{"process": 1, "type": "invoke", "f": "read", "value": null}',
      '{"process": 1, "type": "ok", "f": "read", "value": 9007199254740993}',
    ]);
    expectVerdict(await run(same, "register"), 0);
  });

  it("tells apart 1e999 and 2e999 (both Infinity as doubles) and 0.10000000000000001 and 0.1 (exit 1)", async () => {
    const infinity = await run("infinity.jsonl", "register");
    expectVerdict(infinity, 1);
    expect(infinity.out).toContain("read → 2e+999");
    expectVerdict(await run("float-digits.jsonl", "register"), 1);
    const same = file("exponent-same.jsonl", [
      '{"process": 0, "type": "invoke", "f": "write", "value": 1e999}',
      '{"process": 0, "type": "ok", "f": "write", "value": 1e999}',
      '{"process": 1, "type": "invoke", "f": "read", "value": null}',
      '{"process": 1, "type": "ok", "f": "read", "value": 10.0e998}',
    ]);
    expectVerdict(await run(same, "register"), 0);
  });

  // A process id or a time is used as a double (pairing, real-time order): one a double cannot hold is
  // refused, since rounding would merge two processes or two instants.
  it("refuses process ids and times a double cannot hold, naming the line", async () => {
    const process = await run("huge-process.jsonl", "register");
    expectRefused(process, "huge-process.jsonl", 3);
    expect(process.err).toContain("a process id a double holds exactly");
    expectRefused(await run("huge-time.jsonl", "register"), "huge-time.jsonl", 2);
  });

  it("reads __proto__ keys as plain keys: an operation hidden under one is not an operation", async () => {
    for (const name of ["proto-key.edn", "proto-key.jsonl"]) {
      const result = await run(name, "register");
      expectRefused(result, name, 3);
      expect(result.err).toContain("expected a process");
    }
  });

  it("refuses invalid UTF-8, naming the line and the byte", async () => {
    const result = await run("invalid-utf8.jsonl", "register");
    expectRefused(result, "invalid-utf8.jsonl", 3);
    expect(result.err).toContain("expected UTF-8 text (byte 58 of the line), found an invalid sequence starting with byte 0xff");
  });

  it("refuses a key given twice in one line", async () => {
    const result = await run("duplicate-key.jsonl", "register");
    expectRefused(result, "duplicate-key.jsonl", 2);
    expect(result.err).toContain('"type" is');
  });

  it("turns an unexpected exception into exit 2 with one line, not exit 1 and a stack trace", async () => {
    vi.resetModules();
    vi.doMock("../../graders/checkers/linearizability/check.ts", async (importOriginal) => ({
      ...(await importOriginal<object>()),
      checkLinearizability: () => {
        throw new RangeError("Maximum call stack size exceeded\n    at somewhere (file.ts:1:1)");
      },
    }));
    try {
      const fresh = (await import("../../src/cli/main.ts")).main;
      const io = capture(hostile);
      expect(await fresh(["check", "big-integer.jsonl", "--model", "register"], io)).toBe(2);
      expect(io.out).toBe("");
      expect(io.err).toBe(
        "clusterlab check: big-integer.jsonl: could not check the history (RangeError: Maximum call stack size exceeded); please report it with the file\n",
      );
    } finally {
      vi.doUnmock("../../graders/checkers/linearizability/check.ts");
      vi.resetModules();
    }
  });
});
