import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
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
    expect(io.out).toContain("no order of these 3 operations");
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
