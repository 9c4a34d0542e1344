// What a call loads before it can start working, held by the modules' static imports (the ones that load
// with a module; `import type` is erased and an `import()` loads when it runs): the CLI's entry loads no
// command, `grade` loads no engine before it forks its sandbox process, and that process loads no engine,
// no esbuild and (until it prepares) no isolated-vm. Each is a few dozen to a few hundred ms of a call.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/io.ts";

/** Relative modules and packages a file imports as values, when it loads. */
function staticImports(file: string): { modules: string[]; packages: string[] } {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const modules: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"`;]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (spec.startsWith(".")) modules.push(relative(repoRoot, resolve(repoRoot, dirname(file), spec)));
    else if (!spec.startsWith("node:")) packages.push(spec);
  }
  return { modules, packages };
}

/** Every module that loads with `entries`, and the packages they import. */
function loadsWith(...entries: string[]): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    if (!existsSync(join(repoRoot, file))) throw new Error(`${file} is imported but does not exist`);
    modules.add(file);
    const found = staticImports(file);
    for (const name of found.packages) packages.add(name);
    for (const next of found.modules) visit(next);
  };
  for (const entry of entries) visit(entry);
  return { modules, packages };
}

describe("start-up", () => {
  it("finds what it checks (the walk is not vacuous)", () => {
    const engine = loadsWith("graders/index.ts");
    expect(engine.modules).toContain("graders/harness/index.ts");
    expect(engine.modules.size).toBeGreaterThan(100);
    expect(loadsWith("graders/sandbox/node/bundles.ts").packages.size).toBe(0);
    expect(staticImports("src/cli/grade-file.ts").modules).toContain("graders/index.ts");
  });

  it("the CLI's entry loads no command: each loads when it is called", () => {
    const { modules } = loadsWith("src/cli/main.ts");
    expect([...modules].filter((m) => m.startsWith("src/cli/commands/") && m !== "src/cli/commands/index.ts")).toEqual([]);
    expect(modules).not.toContain("graders/index.ts");
  });

  it("grade loads no engine, esbuild or isolated-vm before it forks its sandbox process", () => {
    const { modules, packages } = loadsWith("src/cli/commands/grade.ts");
    expect(modules).toContain("graders/sandbox/node/process-sandbox.ts");
    // Nor either in-process sandbox: those are the sandbox process's.
    expect(modules).not.toContain("graders/sandbox/node/isolated-vm.ts");
    expect(modules).not.toContain("graders/sandbox/node/one-realm-ivm.ts");
    expect(modules).not.toContain("graders/index.ts");
    expect(modules).not.toContain("graders/harness/index.ts");
    expect([...packages]).toEqual([]);
  });

  it("the sandbox process loads no engine and no esbuild: only the sandboxes, the host loop and the bundles' cache", () => {
    // sandbox-child.ts imports its kind's module when it starts (the factories table): both kinds here.
    const { modules, packages } = loadsWith("graders/sandbox/node/sandbox-child.ts", "graders/sandbox/node/isolated-vm.ts", "graders/sandbox/node/one-realm-ivm.ts");
    expect(modules).not.toContain("graders/index.ts");
    expect(modules).not.toContain("graders/harness/index.ts");
    expect([...modules].filter((m) => !m.startsWith("graders/sandbox/") && !m.startsWith("graders/protocol/") && !m.startsWith("graders/runtime/"))).toEqual([]);
    expect(modules.size).toBeLessThan(30);
    expect([...packages]).toEqual([]);
  });
});
