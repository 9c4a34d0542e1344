// The import rules of DESIGN.md, held by a test:
// - graders/ never imports src/ or astro:* (the engine is a library the site and CLI use, not the reverse);
// - `node:` modules and node-only packages appear in graders/ only under graders/sandbox/node/ (the rest
//   runs in a browser Worker too);
// - src/ reaches graders/ only through graders/index.ts, the CLI also through graders/sandbox/node/index.ts
//   (and `grade`, which forks first, through its process-sandbox.ts) and the browser grader also through
//   graders/sandbox/scope/index.ts;
// - the simulator draws no number from Math's elementary functions, whose last bits differ between engines.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

function files(dir: string, exts = /\.(ts|mts|js|mjs|astro|tsx)$/): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...files(rel, exts));
    else if (exts.test(name)) out.push(rel);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"`;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s+["']([^"']+)["']/gm)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

const nodeOnlyPackages = ["isolated-vm", "esbuild", "typescript"];

describe("import boundaries", () => {
  it("graders/ never imports src/ or astro:*", () => {
    const bad: string[] = [];
    for (const file of files("graders")) {
      for (const spec of imports(file)) {
        const target = spec.startsWith(".") ? relative(root, resolve(root, dirname(file), spec)) : spec;
        if (target.startsWith("src/") || spec.startsWith("astro")) bad.push(`${file} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("node: modules and node-only packages stay in graders/sandbox/node/", () => {
    const bad: string[] = [];
    for (const file of files("graders")) {
      if (file.startsWith("graders/sandbox/node/")) continue;
      for (const spec of imports(file)) {
        if (spec.startsWith("node:") || nodeOnlyPackages.includes(spec)) bad.push(`${file} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("src/ uses graders/ only through its public entry points", () => {
    const bad: string[] = [];
    const allowed = new Set(["graders/index.ts"]);
    for (const file of files("src")) {
      for (const spec of imports(file)) {
        // A `?raw` import reads a file's text (the editor's copy of the node API types), not its code.
        if (!spec.startsWith(".") || spec.endsWith("?raw")) continue;
        const target = relative(root, resolve(root, dirname(file), spec));
        if (!target.startsWith("graders/")) continue;
        const ok =
          allowed.has(target) ||
          (file.startsWith("src/cli/") && target === "graders/sandbox/node/index.ts") ||
          // `grade` forks its sandbox process first thing: it takes the process sandbox from its own module,
          // without the in-process sandboxes and the bundles' cache that the index loads with it.
          (file === "src/cli/commands/grade.ts" && target === "graders/sandbox/node/process-sandbox.ts") ||
          (file.startsWith("src/grader/") && target === "graders/sandbox/scope/index.ts");
        if (!ok) bad.push(`${file} → ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the simulator uses det-math, not Math.log/exp/pow/sin/cos (same bits in Node and every browser)", () => {
    const bad: string[] = [];
    for (const file of [...files("graders/sim"), ...files("graders/workloads"), ...files("graders/runtime"), ...files("graders/harness"), ...files("graders/components")]) {
      if (file === "graders/sim/det-math.ts") continue;
      const text = readFileSync(join(root, file), "utf8");
      for (const m of text.matchAll(/Math\.(log|log2|log10|log1p|exp|expm1|pow|sin|cos|tan|atan2?|sinh|cosh|tanh|cbrt|hypot)\(/g)) bad.push(`${file}: Math.${m[1]}`);
    }
    expect(bad).toEqual([]);
  });

  // The engine's layers, bottom first: a module imports its own layer or those below, never one above. The
  // wire protocol and the run contract sit under everything, so no layer needs another's types.
  // A harness is one folder, graders/harness/<name>/: its module sits in the harness layer, but code of it
  // that runs in a learner realm (realm/), its learner-facing types (api.ts, which the realm implements
  // and engines read) and its kind of run (run.ts, part of the run contract) sit with the runtimes, and an engine of its own (engine/) with the other engines, so
  // a realm bundle can never reach host code and no engine knows a harness.
  const layers: Array<Array<string | RegExp>> = [
    ["graders/protocol/"],
    // The design realm's wire protocol and the shapes both its ends share live beside the design engine
    // for now, but are read by the learner realm's runtime, so they sit with it.
    ["graders/sim/", "graders/runtime/", /^graders\/harness\/[^/]+\/realm\//, /^graders\/harness\/[^/]+\/(api|run)\.ts$/, "graders/contract.ts", "graders/design/protocol.ts", "graders/design/ops.ts", "graders/design/spec.ts"],
    ["graders/report/"],
    ["graders/checkers/"],
    ["graders/workloads/", "graders/components/", "graders/design/", "graders/estimate/", /^graders\/harness\/[^/]+\/engine\//],
    ["graders/harness/"],
    ["graders/sandbox/"],
    ["graders/exercise.ts", "graders/grade.ts", "graders/index.ts"],
  ];
  const inLayer = (file: string, p: string | RegExp) => (typeof p === "string" ? file.startsWith(p) : p.test(file));
  const layerOf = (file: string): number => layers.findIndex((prefixes) => prefixes.some((p) => inLayer(file, p)));

  it("every graders/ module is in a layer", () => {
    expect(files("graders").filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it("graders/ layers import downward only (the simulator knows no workload, no checker knows a workload)", () => {
    const bad: string[] = [];
    for (const file of files("graders")) {
      for (const spec of imports(file)) {
        if (!spec.startsWith(".")) continue;
        const target = relative(root, resolve(root, dirname(file), spec));
        if (layerOf(target) > layerOf(file)) bad.push(`${file} → ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("puts a harness folder's realm code with the runtimes and its engine with the engines", () => {
    expect(layerOf("graders/harness/queue/realm/runtime.ts")).toBe(layerOf("graders/runtime/realm.ts"));
    expect(layerOf("graders/harness/queue/api.ts")).toBe(layerOf("graders/runtime/realm.ts"));
    expect(layerOf("graders/harness/queue/run.ts")).toBe(layerOf("graders/contract.ts"));
    expect(layerOf("graders/harness/queue/engine/engine.ts")).toBe(layerOf("graders/design/engine.ts"));
    expect(layerOf("graders/harness/queue/index.ts")).toBe(layerOf("graders/harness/index.ts"));
    // A realm file importing its harness's module (host code) is an upward import.
    expect(layerOf("graders/harness/queue/index.ts")).toBeGreaterThan(layerOf("graders/harness/queue/realm/runtime.ts"));
  });

  it("finds the imports it checks (the scan is not vacuous)", () => {
    expect(imports("src/cli/grade-file.ts")).toContain("../../graders/index.ts");
    expect(imports("graders/sandbox/node/isolated-vm.ts")).toContain("isolated-vm");
    expect(imports("graders/sim/simulator.ts")).toContain("../protocol/effects.ts");
  });
});
