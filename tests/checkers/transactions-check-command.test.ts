// `clusterlab check --model list-append|rw-register`: a verdict per file, the linearizability check's exit codes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/command.ts";
import { main } from "../../src/cli/main.ts";

function capture(): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", isTty: false, color: false, cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), "clusterlab-txn-check-"));
function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const serial = file("serial.jsonl", [
  '{"process": 0, "type": "invoke", "f": "txn", "value": [["append", "x", 1]]}',
  '{"process": 0, "type": "ok", "f": "txn", "value": [["append", "x", 1]]}',
  '{"process": 1, "type": "invoke", "f": "txn", "value": [["r", "x", null], ["append", "y", 1]]}',
  '{"process": 1, "type": "ok", "f": "txn", "value": [["r", "x", [1]], ["append", "y", 1]]}',
]);
// Write skew: each reads both keys empty and appends to one; a later read shows both appends.
const skew = file("skew.edn", [
  "{:process 0, :type :invoke, :f :txn, :value [[:r :x nil] [:r :y nil] [:append :x 1]]}",
  "{:process 1, :type :invoke, :f :txn, :value [[:r :x nil] [:r :y nil] [:append :y 1]]}",
  "{:process 0, :type :ok, :f :txn, :value [[:r :x nil] [:r :y nil] [:append :x 1]]}",
  "{:process 1, :type :ok, :f :txn, :value [[:r :x nil] [:r :y nil] [:append :y 1]]}",
  "{:process 2, :type :invoke, :f :txn, :value [[:r :x nil] [:r :y nil]]}",
  "{:process 2, :type :ok, :f :txn, :value [[:r :x [1]] [:r :y [1]]]}",
]);
const aborted = file("aborted.jsonl", [
  '{"process": 0, "type": "invoke", "f": "txn", "value": [["w", "x", 1]]}',
  '{"process": 0, "type": "fail", "f": "txn", "value": [["w", "x", 1]], "error": 30}',
  '{"process": 1, "type": "invoke", "f": "txn", "value": [["r", "x", null]]}',
  '{"process": 1, "type": "ok", "f": "txn", "value": [["r", "x", 1]]}',
]);
const notTxn = file("read.jsonl", ['{"process": 0, "type": "invoke", "f": "read", "value": null}']);

describe("clusterlab check --model list-append", () => {
  it("exits 0 on a serializable history", async () => {
    const io = capture();
    expect(await main(["check", serial, "--model", "list-append"], io)).toBe(0);
    expect(io.out).toMatch(/serial\.jsonl: valid under serializable: 2 transactions/);
  });

  it("exits 1 on write skew under serializable, and explains the smallest cycle", async () => {
    const io = capture();
    expect(await main(["check", skew, "--model", "list-append"], io)).toBe(1);
    expect(io.out).toContain("not serializable: G2");
    expect(io.out).toContain("T0 ─rw y→ T1 ─rw x→ T0");
  });

  it("exits 0 on the same history under snapshot isolation, naming G2 as allowed", async () => {
    const io = capture();
    expect(await main(["check", skew, "--model", "list-append", "--consistency", "snapshot-isolation"], io)).toBe(0);
    expect(io.out).toContain("Also found, allowed under snapshot isolation: G2");
  });

  it("prints the verdict and the cycle as diagram data with --json", async () => {
    const io = capture();
    expect(await main(["check", skew, "--model", "list-append", "--json"], io)).toBe(1);
    const result = JSON.parse(io.out);
    expect(result.verdict).toBe("invalid");
    expect(result.forbidden).toEqual(["G2"]);
    expect(result.diagram.edges.map((e: { kind: string }) => e.kind)).toEqual(["rw", "rw"]);
  });

  it("checks rw-register histories: an aborted read fails read committed", async () => {
    const io = capture();
    expect(await main(["check", aborted, "--model", "rw-register", "--consistency", "read-committed"], io)).toBe(1);
    expect(io.out).toContain("G1a");
    expect(await main(["check", aborted, "--model", "rw-register", "--consistency", "read-uncommitted"], capture())).toBe(0);
  });

  it("many files: a verdict each and a summary; the worst exit code", async () => {
    const io = capture();
    expect(await main(["check", serial, skew, "--model", "list-append"], io)).toBe(1);
    expect(io.out).toContain("2 histories under serializable (list-append): 1 valid, 1 invalid, 0 unknown, 0 unreadable");
    expect(await main(["check", serial, notTxn, "--model", "list-append"], capture())).toBe(2);
  });

  it("exits 2 with the line on a history that is not transactions", async () => {
    const io = capture();
    expect(await main(["check", notTxn, "--model", "list-append"], io)).toBe(2);
    expect(io.err).toMatch(/read\.jsonl:1: expected f "txn"/);
  });

  it("refuses --consistency with a linearizability model, or an unknown one (64)", async () => {
    expect(await main(["check", serial, "--model", "kv", "--consistency", "serializable"], capture())).toBe(64);
    expect(await main(["check", serial, "--model", "list-append", "--consistency", "strong"], capture())).toBe(64);
  });
});
