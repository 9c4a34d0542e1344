// Adding a harness is adding a folder and one registry line, shown end to end: a copy of graders/ gets a
// toy harness (graders/harness/toy/: its run kind, engine, realm runtime, realm entry, learner API and
// module) and its line in graders/harness/index.ts, nothing else. The copy then type-checks (the toy's run
// joins RunData through HarnessRuns, and the registry's type demands its line), and it grades a toy
// exercise in both Node sandboxes, with the same history hash, passing a right solution and failing a
// wrong one on the check it names. The toy doubles numbers: the learner default-exports n => 2n.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

const toyFiles: Record<string, string> = {
  "run.ts": `
import type { RunBase } from "../../contract.ts";
export interface ToyRunData extends RunBase<"toy"> {
  toy: { pairs: Array<[number, string]> };
}
declare module "../../contract.ts" {
  interface HarnessRuns {
    toy: ToyRunData;
  }
}
`,
  "api.ts": `
/** The toy exercise's default export. */
export type Doubler = (n: number) => number;
`,
  "realm/runtime.ts": `
import type { RealmGlobals } from "../../../runtime/realm-globals.ts";
import { createRealmLog } from "../../../runtime/realm-log.ts";
import { describeError } from "../../../runtime/describe.ts";

export function createToyRuntime() {
  let solution: unknown;
  const log = createRealmLog();
  const none = (): never => { throw new TypeError("no timers here"); };
  const globals: RealmGlobals = { performance: Object.freeze({ now: () => 0 }), setTimeout: none, setInterval: none, clearTimeout: () => undefined, clearInterval: () => undefined, console: log.console, queueMicrotask: none };
  const entry = (n: string): string => {
    const fn = (solution as { default?: unknown } | undefined)?.default;
    if (typeof fn !== "function") return "!the solution must default-export a function";
    try {
      return String((fn as (n: number) => unknown)(Number(n)));
    } catch (error) {
      return "!" + describeError(error);
    }
  };
  return { entry, globals, now: () => 0, random: () => 0.5, setExports: (value: unknown) => void (solution = value) };
}
`,
  "realm/entry.ts": `
import { createToyRuntime } from "./runtime.ts";
import { exposeRealm } from "../../../runtime/realm.ts";
exposeRealm(createToyRuntime);
`,
  "engine/engine.ts": `
import { restartSignal, Signal } from "../../../protocol/host.ts";
import { createRng } from "../../../sim/prng.ts";
import type { Knobs } from "../../../sim/scenario.ts";
import type { EngineResult } from "../../../contract.ts";
import type { ToyRunData } from "../run.ts";

export class ToyEngine {
  current = "";
  private entry: ((n: string) => string) | undefined;
  private pairs: Array<[number, string]> | undefined;
  private readonly realm: string;
  private readonly knobs: Knobs;
  constructor(knobs: Knobs) {
    this.knobs = knobs;
    this.realm = knobs.nodeIds[0] ?? "n1";
  }
  attach(realm: string, entry: (n: string) => string): void {
    if (realm === this.realm) this.entry = entry;
  }
  run(): string {
    if (this.pairs) return Signal.Done;
    const entry = this.entry;
    if (!entry) return restartSignal(this.realm);
    const rng = createRng(this.knobs.seed, "toy");
    this.current = this.realm;
    this.pairs = Array.from({ length: 5 }, () => rng.int(1000)).map((n): [number, string] => [n, String(entry(String(n)))]);
    this.current = "";
    return Signal.Done;
  }
  resultData(): EngineResult<ToyRunData> {
    return { stats: { events: this.pairs!.length, simulatedMs: 0 }, errors: [], logs: [], toy: { pairs: this.pairs! } };
  }
  result(): string {
    return JSON.stringify(this.resultData());
  }
}
`,
  "index.ts": `
import { hashText } from "../../report/hash.ts";
import { jsonText } from "../../report/json-text.ts";
import type { CheckFn } from "../../contract.ts";
import type { Engine, Harness } from "../types.ts";
import { ToyEngine } from "./engine/engine.ts";
import { createToyRuntime } from "./realm/runtime.ts";
import type { ToyRunData } from "./run.ts";

const doubles: CheckFn<ToyRunData> = (run) => {
  const wrong = run.toy.pairs.find(([n, answer]) => answer !== String(2 * n));
  return wrong ? { ok: false, message: \`double(\${wrong[0]}) gave \${wrong[1]}, expected \${2 * wrong[0]}\` } : { ok: true, message: "every number doubled" };
};

export const toyHarness: Harness<ToyRunData> = {
  name: "toy",
  runs: (scenario) => scenario.workload.name === "toy-double",
  scenarioProblems: () => [],
  createEngine: (_scenario, knobs) => new ToyEngine(knobs) as unknown as Engine,
  createRuntime: createToyRuntime,
  // Every exercise's runs are held to "no-errors" too: each harness says what that means for its runs.
  checks: () => ({ doubles, "no-errors": (run) => (run.errors.length ? { ok: false, message: run.errors[0]!.text } : { ok: true, message: "no errors" }) }),
  genericChecks: {},
  describeSystem: () => ({ kind: "toy", summary: "Doubles the numbers it is given.", messages: [], facts: [] }),
  describeKnobs: () => [],
  historyHash: (run) => hashText(jsonText(run.toy.pairs)),
  figures: (run, runWallMs) => ({ events: run.stats.events, simulatedMs: 0, wallMs: runWallMs }),
  wireErrorCodes: false,
  figureLabels: [],
  totals: () => ({ ops: 0, serverMessages: 0, okLatenciesMs: [] }),
};
`,
};

// Run in a Node of its own, one per sandbox (isolated-vm, a realm each, and the browser's one-realm sandbox
// as --sandbox browser runs it, inside isolated-vm): grades a right and a wrong solution and prints each
// one's status, checks, messages and history hash.
const gradeScript = `
import { defineExercise, grade } from "./graders/index.ts";
import { createIsolatedVmSandbox, createOneRealmIvmSandbox, transpileSolution } from "./graders/sandbox/node/index.ts";
const exercise = defineExercise({
  slug: "toy-double", title: "Double", lesson: "x", harness: "toy", instructions: "", hints: [],
  tasks: [{ id: "double", title: "Double", description: "", checks: [{ name: "doubles" }],
    scenarios: [{ name: "numbers", durationMs: 1, settleMs: 0, network: { latency: { dist: "constant", ms: 0 } }, workload: { name: "toy-double", rate: 1 } }] }],
});
const sandbox = process.argv[2] === "one-realm" ? createOneRealmIvmSandbox() : createIsolatedVmSandbox();
const solutions = [];
for (const [label, body] of [["right", "n * 2"], ["wrong", "n + 2"]]) {
  const compiled = await transpileSolution("export default function double(n: number): number { return " + body + "; }", "double.ts");
  if (!compiled.js) throw new Error(JSON.stringify(compiled.errors));
  solutions.push([label, compiled.js]);
}
const out = {};
for (const [label, solutionJs] of solutions) {
  const results = await grade({ exercise, solutionJs, solutionLabel: "double.ts", sandbox, seeds: [1, 2] });
  out[label] = { status: results.status, checks: results.tests.map((t) => t.check ?? ""), messages: results.tests.map((t) => t.message), historyHash: results.historyHash };
}
console.log(JSON.stringify(out));
process.exit(0);
`;

let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-toy-harness-"));
  cpSync(join(root, "graders"), join(dir, "graders"), { recursive: true });
  // The packages, but not node_modules/.cache: the copy's bundle cache stays in the copy and goes with it.
  mkdirSync(join(dir, "node_modules"));
  for (const name of readdirSync(join(root, "node_modules"))) if (name !== ".cache") symlinkSync(join(root, "node_modules", name), join(dir, "node_modules", name));
  for (const [file, text] of Object.entries(toyFiles)) {
    const path = join(dir, "graders", "harness", "toy", file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text.trimStart());
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: join(root, "tsconfig.json"), include: ["graders"] }));
  writeFileSync(join(dir, "grade-toy.ts"), gradeScript);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The one registry line (and its import). */
function addRegistryLine(): void {
  const registry = join(dir, "graders", "harness", "index.ts");
  const text = readFileSync(registry, "utf8");
  const withToy = text.replace(/^(const registry[^\n]*\n)/m, "$1  toy: toyHarness,\n").replace(/^(import type \{ Harness)/m, 'import { toyHarness } from "./toy/index.ts";\n$1');
  expect(withToy).not.toBe(text);
  writeFileSync(registry, withToy);
}

/** The type checker's complaints about the copy, "" when it checks. */
function typecheckCopy(): string {
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir, encoding: "utf8" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

describe("a toy harness added as a folder and one registry line", () => {
  it("does not type-check without its registry line: the registry's type asks for every run kind's harness", () => {
    expect(typecheckCopy()).toMatch(/graders\/harness\/index\.ts\(\d+,\d+\): error TS\d+: Property 'toy' is missing/);
  }, 120_000);

  it("type-checks with it", () => {
    addRegistryLine();
    expect(typecheckCopy()).toBe("");
  }, 120_000);

  it("grades in both Node sandboxes, the same hash in each, a wrong solution failing its check", () => {
    type Graded = Record<"right" | "wrong", { status: string; checks: string[]; messages: string[]; historyHash: string }>;
    const gradeIn = (sandbox: string): Graded => JSON.parse(execFileSync(process.execPath, ["--no-node-snapshot", join(dir, "grade-toy.ts"), sandbox], { cwd: dir, encoding: "utf8" }));
    const ivm = gradeIn("isolated-vm");
    expect(ivm.right.status, ivm.right.messages.join("\n")).toBe("pass");
    expect(ivm.wrong.status).toBe("fail");
    expect(ivm.wrong.checks).toEqual(["doubles", "doubles"]);
    expect(ivm.right.historyHash).not.toBe(ivm.wrong.historyHash);
    expect(gradeIn("one-realm")).toEqual(ivm);
  }, 120_000);
});
