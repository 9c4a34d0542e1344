// Same engine, solution and seed ⇒ byte-identical history hash, within a process and across processes.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { CliIo } from "../../src/cli/command.ts";

const root = join(import.meta.dirname, "..", "..");
const solution = "exercises/g-counter/.meta/solution.ts";

function io(): CliIo & { out: string; err: string } {
  const o = { out: "", err: "", isTty: false, color: false, cwd: root, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

async function gradeJson(args: string[]): Promise<{ code: number; results: { historyHash: string; status: string; tests: Array<{ historyHash: string; seed: number }> } }> {
  const out = io();
  const code = await main(["grade", "g-counter", solution, "--json", "--no-typecheck", ...args], out);
  return { code, results: JSON.parse(out.out) };
}

describe("determinism", () => {
  it("gives the same history hash on repeated runs in one process", async () => {
    const a = await gradeJson(["--seeds", "3"]);
    const b = await gradeJson(["--seeds", "3"]);
    expect(a.code).toBe(0);
    expect(a.results.historyHash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.results.historyHash).toBe(a.results.historyHash);
    expect(b.results.tests.map((t) => t.historyHash)).toEqual(a.results.tests.map((t) => t.historyHash));
  });

  it("gives the same history hash in another process", async () => {
    const here = await gradeJson(["--seed", "7"]);
    const stdout = execFileSync(process.execPath, ["--no-node-snapshot", join(root, "bin", "clusterlab.mjs"), "grade", "g-counter", solution, "--seed", "7", "--json", "--no-typecheck"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(JSON.parse(stdout).historyHash).toBe(here.results.historyHash);
  });

  it("gives different schedules for different seeds", async () => {
    const one = await gradeJson(["--seed", "1"]);
    const two = await gradeJson(["--seed", "2"]);
    expect(one.results.historyHash).not.toBe(two.results.historyHash);
  });

  // The host's time zone and locale must not reach a node: every reference (and a probe that prints
  // the clock, Date#toString, toLocaleString, Intl defaults…) gives the same hashes under both.
  it("gives the same hashes under any time zone and locale, in both sandboxes", () => {
    const hashesUnder = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync(process.execPath, ["--no-node-snapshot", join(root, "tests", "support", "reference-hashes.ts")], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } }),
      ) as Record<string, string>;
    const utc = hashesUnder({ TZ: "UTC", LC_ALL: "C", LANG: "C" });
    const chatham = hashesUnder({ TZ: "Pacific/Chatham", LC_ALL: "de_DE.UTF-8", LANG: "de_DE.UTF-8" });
    expect(Object.keys(utc).length).toBeGreaterThan(20);
    expect(chatham).toEqual(utc);
    // Both sandboxes agree, and every reference passes.
    for (const [key, value] of Object.entries(utc)) {
      if (key.endsWith(" browser")) expect(value, key).toBe(utc[key.replace(/ browser$/, " isolated-vm")]);
      if (!key.includes("clock-and-locale")) expect(value.split(" ")[0], key).toBe("pass");
    }
  }, 600_000);
});
