// The lease checker on hand-made grants, store decisions and leader claims, both ways.
import { describe, expect, it } from "vitest";
import { absencesFromFaults } from "../../graders/checkers/failure-detection.ts";
import { answersWhileHolding, claimLateMs, claimsOutsideLease, fencingViolations, leaseGaps, presentParts, termOfWrite, type LeaseGrant, type StoreWrite } from "../../graders/checkers/leases.ts";
import type { FaultEvent } from "../../graders/sim/scenario.ts";

const nodes = ["n1", "n2", "n3"];
/** n1 holds term 1 from 0, renewing every 100 ms until 1000 (its lease ends at 1300); n2 takes term 2 at 1310. */
const grants: LeaseGrant[] = [
  ...Array.from({ length: 11 }, (_, i) => ({ holder: "n1", token: 1, fromMs: i * 100, untilMs: i * 100 + 300 })),
  { holder: "n2", token: 2, fromMs: 1310, untilMs: 1610 },
  { holder: "n2", token: 2, fromMs: 1400, untilMs: 1700 },
];
/** n1 paused from 1050 to 1600 ms (its renewals stopped: that is why its lease ran out). */
const faults: FaultEvent[] = [{ atMs: 1050, kind: "pause", node: "n1", untilMs: 1600 }];
const absences = absencesFromFaults(nodes, faults, 2000);

const write = (timeMs: number, writer: string, token: unknown, accepted = true): StoreWrite => ({ timeMs, writer, token, accepted });

describe("fencing", () => {
  it("accepts terms that never go backwards, and a stale write the store refused", () => {
    const writes = [write(500, "n1", 1), write(1320, "n2", 2), write(1350, "n1", 1, false), write(1400, "n2", 2)];
    expect(fencingViolations(writes, grants)).toEqual([]);
  });

  it("finds a deposed leader's write accepted after its successor's, with a token", () => {
    const writes = [write(500, "n1", 1), write(1320, "n2", 2), write(1350, "n1", 1)];
    const bad = fencingViolations(writes, grants);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ term: 1, after: { term: 2 }, untokened: false });
  });

  it("places a write without a token in its writer's latest term, so a zombie write is seen", () => {
    const writes = [write(500, "n1", undefined), write(1320, "n2", undefined), write(1700, "n1", undefined)];
    const bad = fencingViolations(writes, grants);
    expect(bad.map((v) => [v.write.timeMs, v.term, v.untokened])).toEqual([[1700, 1, true]]);
  });

  it("does not trust a token the lock never granted the writer (a timestamp, another node's)", () => {
    expect(termOfWrite(write(1700, "n1", 99_999), grants)).toEqual({ term: 1, untokened: true });
    expect(termOfWrite(write(1700, "n1", 2), grants)).toEqual({ term: 1, untokened: true });
    const writes = [write(1320, "n2", 2), write(1700, "n1", 99_999)];
    expect(fencingViolations(writes, grants)).toHaveLength(1);
  });

  it("counts a writer that never held the lease below every term", () => {
    expect(termOfWrite(write(100, "n3", undefined), grants).term).toBe(-1);
    expect(fencingViolations([write(1320, "n2", 2), write(1330, "n3", undefined)], grants)).toHaveLength(1);
  });
});

describe("belief", () => {
  it("takes a paused node's answer at the moment it woke", () => {
    expect(presentParts(1500, 1620, absences.get("n1")!)).toEqual([[1600, 1620]]);
    expect(presentParts(1100, 1500, absences.get("n1")!)).toEqual([]);
    expect(presentParts(1000, 1100, absences.get("n1")!)).toEqual([[1000, 1050]]);
  });

  it("accepts claims within the node's own lease, even one that may have been made just before it ended", () => {
    const claims = [
      { node: "n1", fromMs: 200, toMs: 210 },
      { node: "n1", fromMs: 1040, toMs: 1600 }, // could have been made at 1040-1050, within its lease
      { node: "n2", fromMs: 1500, toMs: 1510 },
      { node: "n2", fromMs: 1695, toMs: 1720 },
    ];
    expect(claimsOutsideLease(claims, grants, absences)).toEqual([]);
  });

  it("finds a node that woke from a pause past its lease and still said leader", () => {
    const claims = [{ node: "n1", fromMs: 1500, toMs: 1605 }];
    expect(claimsOutsideLease(claims, grants, absences)).toEqual(claims);
  });

  it("finds a claim after the lease ran out with no one else holding it, and one never granted", () => {
    const claims = [
      { node: "n2", fromMs: 1750, toMs: 1760 },
      { node: "n3", fromMs: 100, toMs: 110 },
    ];
    expect(claimsOutsideLease(claims, grants, absences)).toEqual(claims);
  });

  it("says how long after its own lease's end a claim was asked for (from its latest lease that had ended)", () => {
    // n2's leases end at 1610 and 1700; a question sent at 1703 came 3 ms after the later one.
    expect(claimLateMs({ node: "n2", fromMs: 1703, toMs: 1708 }, grants)).toBe(3);
    expect(claimLateMs({ node: "n1", fromMs: 1500, toMs: 1605 }, grants)).toBe(200);
    expect(claimLateMs({ node: "n3", fromMs: 100, toMs: 110 }, grants)).toBeUndefined();
  });
});

describe("coverage", () => {
  it("finds the gap after a paused holder's lease, explained by the pause", () => {
    const gaps = leaseGaps(grants, absences, 300, 1700);
    expect(gaps).toEqual([{ fromMs: 1300, toMs: 1310, holder: "n1", holderAway: true }]);
  });

  it("finds a lapse while the holder was up (it renewed too late)", () => {
    const late: LeaseGrant[] = [
      { holder: "n1", token: 1, fromMs: 0, untilMs: 300 },
      { holder: "n1", token: 2, fromMs: 304, untilMs: 604 },
    ];
    expect(leaseGaps(late, absences, 300, 600)).toEqual([{ fromMs: 300, toMs: 304, holder: "n1", holderAway: false }]);
  });

  it("counts a holder cut off from the lock as away, though it was running", () => {
    const cutOff: LeaseGrant[] = [
      { holder: "n3", token: 1, fromMs: 0, untilMs: 300 },
      { holder: "n2", token: 2, fromMs: 320, untilMs: 620 },
    ];
    const running = new Map([["n3", []]]);
    expect(leaseGaps(cutOff, running, 300, 600)[0]).toMatchObject({ holder: "n3", holderAway: false });
    const cut = new Map([["n3", [{ fromMs: 150, toMs: 650 }]]]);
    expect(leaseGaps(cutOff, cut, 300, 600)[0]).toMatchObject({ holder: "n3", holderAway: true });
  });

  it("reports the wait before the first grant and an end with nobody holding the lease", () => {
    const gaps = leaseGaps([{ holder: "n3", token: 1, fromMs: 40, untilMs: 340 }], absences, 300, 400);
    expect(gaps).toEqual([
      { fromMs: 0, toMs: 40, holderAway: false },
      { fromMs: 340, toMs: 400, holder: "n3", holderAway: false },
    ]);
  });
});

describe("holders say they lead", () => {
  it("counts the answers of a holder well into its term, and how many said leader", () => {
    const answers = [
      { node: "n1", fromMs: 50, toMs: 60, leader: true }, // too early in term 1: not counted
      { node: "n1", fromMs: 500, toMs: 510, leader: true },
      { node: "n1", fromMs: 600, toMs: 610, leader: false },
      { node: "n2", fromMs: 1320, toMs: 1330, leader: true }, // too early in term 2
      { node: "n2", fromMs: 1600, toMs: 1610, leader: true },
      { node: "n3", fromMs: 600, toMs: 610, leader: false }, // not a holder
    ];
    expect(answersWhileHolding(answers, grants, 150)).toEqual({ held: 3, claimed: 2 });
  });
});
