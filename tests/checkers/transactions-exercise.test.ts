// The anomaly checker on histories the txn-kv exercise's solutions produce: each known-wrong solution's run
// shows the anomaly its mistake causes, found by the checker itself on the run's history (not read back from
// a message), and the reference's run of the same scenario and seed shows none that serializability forbids.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTransactionHistory, completedOps, grade, type AnomalyKind, type ConsistencyModel, type RunData } from "../../graders/index.ts";
import { createIsolatedVmSandbox } from "../../graders/sandbox/node/index.ts";
import { exercisesDir, loadExercise } from "../../src/cli/exercises.ts";
import { readSolutionJs } from "../support/solution-js.ts";

const sandbox = createIsolatedVmSandbox();
const dir = join(exercisesDir, "txn-kv", ".meta");

/** The run of one scenario and seed of a solution, as the checks saw it. */
async function runOf(file: string, scenario: string, seed: number): Promise<RunData> {
  const exercise = (await loadExercise("txn-kv"))!;
  let data: RunData | undefined;
  await grade({ exercise, solutionJs: await readSolutionJs(join(dir, file)), solutionLabel: file, sandbox, seeds: [seed], scenario, onRun: (_test, run) => (data = run) });
  return data!;
}

function check(run: RunData, model: ConsistencyModel) {
  if (!("history" in run)) throw new Error("not a node run: no client history");
  return checkTransactionHistory(completedOps(run.history).filter((op) => op.f === "txn"), { model }).result;
}

// Each mistake, the scenario it shows in on seed 1, the model whose check names it, and what it shows.
const cases: Array<{ file: string; scenario: string; model: ConsistencyModel; shows: AnomalyKind[]; passes?: ConsistencyModel }> = [
  { file: "wrong/dirty-reads.ts", scenario: "three-nodes", model: "read-committed", shows: ["G1a", "incompatible-order"] },
  { file: "wrong/abort-on-timeout.ts", scenario: "three-nodes", model: "read-committed", shows: ["G1a"] },
  { file: "wrong/unordered-apply.ts", scenario: "three-nodes", model: "read-committed", shows: ["incompatible-order"] },
  { file: "wrong/lost-update.ts", scenario: "partitions", model: "snapshot-isolation", shows: ["lost-update", "G-single"], passes: "read-committed" },
  { file: "wrong/write-skew.ts", scenario: "crashes", model: "serializable", shows: ["G2"], passes: "snapshot-isolation" },
  { file: "wrong/volatile-log.ts", scenario: "crashes", model: "serializable", shows: ["incompatible-order"] },
];

describe("the anomaly checker on txn-kv runs", () => {
  it.each(cases)("$file: $shows under $model", async ({ file, scenario, model, shows, passes }) => {
    const run = await runOf(file, scenario, 1);
    const result = check(run, model);
    expect(result.verdict).toBe("invalid");
    for (const kind of shows) expect(result.forbidden, JSON.stringify(result.counts)).toContain(kind);
    // The weaker level its design does provide holds on the same history.
    if (passes) expect(check(run, passes).verdict).toBe("valid");
  }, 60_000);

  it.each(["three-nodes", "partitions", "crashes"])("the reference's run of %s is serializable, with dependencies of every kind", async (scenario) => {
    const result = check(await runOf("solution.ts", scenario, 1), "serializable");
    expect(result.verdict).toBe("valid");
    expect(result.committed).toBeGreaterThan(100);
    expect(result.dependencies.ww).toBeGreaterThan(50);
    expect(result.dependencies.wr).toBeGreaterThan(50);
    expect(result.dependencies.rw).toBeGreaterThan(50);
  }, 60_000);

  it("names a txn_ok whose operations do not match the request before judging anything", async () => {
    // Answers every read with a number, not a list.
    const file = join(mkdtempSync(join(tmpdir(), "txn-kv-")), "numbers.ts");
    writeFileSync(
      file,
      'import type { Node } from "clusterlab";\nexport default function start(node: Node) {\n  node.on("txn", (msg) => node.reply(msg, { type: "txn_ok", txn: msg.body.txn.map(([f, k, v]: [string, number, unknown]) => [f, k, f === "r" ? 7 : v]) }));\n}\n',
    );
    const exercise = (await loadExercise("txn-kv"))!;
    const results = await grade({ exercise, solutionJs: await readSolutionJs(file), solutionLabel: file, sandbox, seeds: [1], scenario: "three-nodes" });
    const failure = results.tests[0]!.failures.find((f) => f.check === "read-committed");
    expect(failure?.message).toMatch(/returned 7, not a list of numbers \(or null\)\. A txn_ok must carry the same operations/);
  }, 60_000);
});
