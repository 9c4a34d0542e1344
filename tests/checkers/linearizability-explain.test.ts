// The explanation of a non-linearizable history on real failing runs: histories of replicated-kv's wrong
// solutions (tests/fixtures/lin-kv, see its README). The core must be small, not linearizable on its own
// (the other operations relaxed), and 1-minimal: relaxing any one more of its operations leaves a
// linearizable history. Sizes and step counts only (deterministic); times are the bench's
// (bench/linearizability.ts, benchExplanations).
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkLinearizability, parseHistory } from "../../graders/checkers/index.ts";
import { prepareOperations } from "../../graders/checkers/linearizability/check.ts";
import { searchRelaxed } from "../../graders/checkers/linearizability/explain.ts";
import { casRegisterModel, perKey } from "../../graders/checkers/linearizability/models.ts";

const dir = new URL("../fixtures/lin-kv/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort();
const model = perKey(casRegisterModel, "cas-register per key");
const limits = { deadlineMs: Infinity, stepsMax: Infinity, memoEntriesMax: 5_000_000, now: () => 0 };

describe("explanations of failing replicated-kv histories", () => {
  it("has fixtures", () => expect(files.length).toBeGreaterThanOrEqual(4));

  it.each(files)("%s: a core of at most 12 operations, not linearizable, 1-minimal", (file) => {
    const { operations } = parseHistory(readFileSync(new URL(file, dir), "utf8"));
    const result = checkLinearizability(operations, model, { wallMs: 60_000, explainWallMs: 60_000 });
    expect(result.verdict).toBe("not-linearizable");
    const v = result.violation!;
    expect(v.core.length).toBeGreaterThan(0);
    expect(v.core.length).toBeLessThanOrEqual(12);
    expect(v.coreMinimal).toBe(true);
    // The shrinking's budget: a multiple of the verdict's steps (see explain.ts).
    expect(v.shrinkSteps).toBeLessThanOrEqual(20 * result.steps + 20_000);

    const part = model.partition!(prepareOperations(model, operations)).find((p) => p.key === v.key)!;
    expect(part.ops.length).toBe(v.partitionOps);
    const index = new Map(part.ops.map((op, i) => [op.id, i] as const));
    const core = v.core.map((op) => index.get(op.id)!);
    expect(core.every((i) => i !== undefined)).toBe(true);
    expect(searchRelaxed(model, part.ops, core, limits).outcome).toBe("not-linearizable");
    for (const drop of core) {
      const outcome = searchRelaxed(model, part.ops, core.filter((i) => i !== drop), limits).outcome;
      expect(outcome, `without ${v.core[core.indexOf(drop)]!.description}`).toBe("linearizable");
    }
  });

  it("gives the same core on every run (the shrinking is budgeted in steps, not time)", () => {
    const { operations } = parseHistory(readFileSync(new URL(files[0]!, dir), "utf8"));
    const a = checkLinearizability(operations, model, { explainWallMs: 60_000 }).violation!;
    const b = checkLinearizability(operations, model, { explainWallMs: 60_000 }).violation!;
    expect(b.core.map((op) => op.id)).toEqual(a.core.map((op) => op.id));
    expect(b.shrinkTrials).toBe(a.shrinkTrials);
  });
});
