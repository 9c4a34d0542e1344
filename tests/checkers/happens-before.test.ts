import { describe, expect, it } from "vitest";
import { CausalRecorder, stepHappenedBefore, stepRelation, type CausalLog } from "../../graders/sim/causality.ts";
import { checkLamportOrder, checkRelationAnswers, checkVectorOrder, vectorRelation, type StampedEvent } from "../../graders/checkers/happens-before.ts";

/**
 * Lesson 1.2's diagram as a run: A, B and C each take a local step; A sends m1 to B, B sends m2 to C after
 * receiving it, then A takes another local step. Steps: 0 A local, 1 B local, 2 C local, 3 A send,
 * 4 B receive, 5 B send, 6 C receive, 7 A local.
 */
function lessonRun(): CausalLog {
  const r = new CausalRecorder(["A", "B", "C"]);
  r.step("A", "message", 1);
  r.step("B", "message", 1);
  r.step("C", "message", 1);
  r.step("A", "message", 2);
  const m1 = r.message("A", "B");
  r.step("B", "message", 3, m1);
  r.step("B", "message", 4);
  const m2 = r.message("B", "C");
  // A client's request carries no causality between nodes.
  r.current = -1;
  const fromClient = r.message("c1", "C", 7);
  r.step("C", "message", 5, m2);
  r.step("A", "message", 6, fromClient);
  return r.result();
}

const ev = (step: number, lamport: number, vector: Record<string, number>): StampedEvent => ({ label: `step ${step}`, step, lamport, vector });
/** The correct stamps of lessonRun's eight steps (Lamport as in the lesson's diagram, vectors [A, B, C]). */
function correct(): StampedEvent[] {
  return [
    ev(0, 1, { A: 1 }),
    ev(1, 1, { B: 1 }),
    ev(2, 1, { C: 1 }),
    ev(3, 2, { A: 2 }),
    ev(4, 3, { A: 2, B: 2 }),
    ev(5, 4, { A: 2, B: 3 }),
    ev(6, 5, { A: 2, B: 3, C: 2 }),
    ev(7, 3, { A: 3 }),
  ];
}

describe("the causal log", () => {
  it("orders steps by program order and delivered messages, and nothing else", () => {
    const log = lessonRun();
    expect(log.steps.map((s) => s.clock)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [2, 0, 0],
      [2, 2, 0],
      [2, 3, 0],
      [2, 3, 2],
      [3, 0, 0],
    ]);
    expect(stepHappenedBefore(log, 3, 6)).toBe(true); // A's send → C's receipt, through B
    expect(stepHappenedBefore(log, 6, 3)).toBe(false);
    expect(stepRelation(log, 7, 6)).toBe("concurrent"); // the lesson's example
    expect(stepRelation(log, 0, 7)).toBe("before");
    expect(stepRelation(log, 4, 4)).toBe("same");
    expect(log.messages[2]).toEqual({ src: "c1", dest: "C", step: -1, clientMsgId: 7 });
  });

  it("stops at its cap and says so", async () => {
    const { causalEntriesMax } = await import("../../graders/sim/causality.ts");
    const r = new CausalRecorder(["A"]);
    for (let i = 0; i <= causalEntriesMax; i++) r.step("A", "timer", i);
    expect(r.result().truncated).toBe(true);
    expect(r.result().steps).toHaveLength(causalEntriesMax);
  });
});

describe("vector relation", () => {
  it("is the entry-wise order, missing entries 0", () => {
    expect(vectorRelation({ A: 2 }, { A: 2, B: 3, C: 2 })).toBe("before");
    expect(vectorRelation({ A: 2, B: 3, C: 2 }, { A: 2 })).toBe("after");
    expect(vectorRelation({ A: 3 }, { A: 2, B: 3, C: 2 })).toBe("concurrent");
    expect(vectorRelation({ A: 1, B: 0 }, { A: 1 })).toBe("same");
  });
});

describe("Lamport order", () => {
  it("accepts the lesson's timestamps, concurrent events with any order among them included", () => {
    const out = checkLamportOrder(lessonRun(), correct());
    expect(out).toMatchObject({ ok: true, violations: 0 });
    expect(out.pairs).toBeGreaterThan(10);
  });

  it("rejects a receipt stamped no higher than its send (no max on receive)", () => {
    const events = correct();
    events[4]!.lamport = 2; // B's receipt: counter + 1 instead of max(1, 2) + 1
    const out = checkLamportOrder(lessonRun(), events);
    expect(out).toMatchObject({ ok: false, truth: "before", claimed: "same" });
    expect(out.example).toContain("step 3 happened before step 4");
  });

  it("rejects wall-clock stamps that a skewed receiver puts before the send", () => {
    const events = correct();
    events[6]!.lamport = 0.5;
    expect(checkLamportOrder(lessonRun(), events)).toMatchObject({ ok: false, claimed: "after" });
  });
});

describe("vector order", () => {
  it("accepts correct vectors: every pair's comparison is the true relation", () => {
    expect(checkVectorOrder(lessonRun(), correct())).toMatchObject({ ok: true, pairs: 28, violations: 0 });
  });

  it("rejects a merge without an increment: the receipt's vector equals its send's", () => {
    // A sends to B, whose first event is the receipt: merging without a tick leaves B at A's vector.
    const r = new CausalRecorder(["A", "B"]);
    r.step("A", "message", 1);
    const m = r.message("A", "B");
    r.step("B", "message", 2, m);
    const log = r.result();
    expect(checkVectorOrder(log, [ev(0, 1, { A: 1 }), ev(1, 2, { A: 1, B: 1 })])).toMatchObject({ ok: true });
    expect(checkVectorOrder(log, [ev(0, 1, { A: 1 }), ev(1, 2, { A: 1 })])).toMatchObject({ ok: false, truth: "before", claimed: "same" });
  });

  it("rejects a receive that does not merge", () => {
    const events = correct();
    events[4]!.vector = { B: 2 };
    events[5]!.vector = { B: 3 };
    events[6]!.vector = { B: 3, C: 2 };
    expect(checkVectorOrder(lessonRun(), events)).toMatchObject({ ok: false, truth: "before", claimed: "concurrent" });
  });
});

describe("relation answers", () => {
  const log = lessonRun();
  const e = correct();
  it("accepts true answers in both directions and for concurrent pairs", () => {
    const answers = [
      { a: e[3]!, b: e[6]!, answer: "before" },
      { a: e[6]!, b: e[3]!, answer: "after" },
      { a: e[7]!, b: e[6]!, answer: "concurrent" },
    ];
    expect(checkRelationAnswers(log, answers)).toMatchObject({ ok: true, pairs: 3 });
  });

  it("rejects an order claimed for concurrent events (sums of vectors: 3 < 7)", () => {
    const out = checkRelationAnswers(log, [{ a: e[7]!, b: e[6]!, answer: "before" }]);
    expect(out).toMatchObject({ ok: false, violations: 1, truth: "concurrent", claimed: "before" });
  });

  it("rejects calling ordered events concurrent", () => {
    expect(checkRelationAnswers(log, [{ a: e[0]!, b: e[7]!, answer: "concurrent" }])).toMatchObject({ ok: false, truth: "before" });
  });
});
