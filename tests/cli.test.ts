import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.ts";
import type { CliIo } from "../src/cli/command.ts";

export function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    isTty: false,
    color: false,
    cwd: process.cwd(),
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

describe("clusterlab CLI skeleton", () => {
  it("prints the package version", async () => {
    const io = captureIo();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it("rejects an unknown command with usage exit 64", async () => {
    const io = captureIo();
    expect(await main(["frobnicate"], io)).toBe(64);
    expect(io.err).toContain('unknown command "frobnicate"');
  });
  it("lists every exercise with its tasks, and refuses what list does not take", async () => {
    const io = captureIo();
    expect(await main(["list"], io)).toBe(0);
    expect(io.out).toMatch(/^broadcast\s+Broadcast.*\(single-node, many-nodes, partitions, efficiency\)$/m);
    expect(io.out).toMatch(/^load-balancer\s/m);
    const bad = captureIo();
    expect(await main(["list", "--bogus"], bad)).toBe(64);
    expect(bad.err).toContain("unknown option --bogus");
  });
});
