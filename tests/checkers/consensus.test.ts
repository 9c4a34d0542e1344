// The consensus checkers on hand-made status reports, both ways: each accepts a correct history and
// rejects the smallest history that breaks its property; the log is rebuilt from the probe's incremental
// answers as the probe asks for them.
import { describe, expect, it } from "vitest";
import {
  checkElectionBound,
  checkElectionSafety,
  checkLeaderCompleteness,
  checkLogMatching,
  checkStateMachineSafety,
  electionTimeline,
  statusTimeline,
  type NodeStatus,
  type Role,
  type StatusReport,
} from "../../graders/checkers/index.ts";
import type { Observation } from "../../graders/harness/node/run.ts";
import type { FaultEvent } from "../../graders/sim/scenario.ts";

/** A log written as its entries' terms, each entry {term, v: "<index>/<term>"} unless `values` says otherwise. */
function logOf(terms: number[], values: string[] = []): NodeStatus["log"] {
  return terms.map((term, i) => {
    const entry = { term, v: values[i] ?? `${i + 1}/${term}` };
    return { term, json: JSON.stringify(entry) };
  });
}
function rep(node: string, timeMs: number, term: number, role: Role, commit: number, terms: number[], values?: string[]): StatusReport {
  return { node, timeMs, status: { term, role, commit, log: logOf(terms, values) } };
}
const silent = (node: string, timeMs: number): StatusReport => ({ node, timeMs, status: null });

describe("election safety", () => {
  it("accepts one leader per term, the same node reporting it again, and a new leader in a new term", () => {
    expect(checkElectionSafety([rep("n1", 10, 1, "leader", 0, []), rep("n1", 30, 1, "leader", 0, []), rep("n2", 20, 1, "follower", 0, []), rep("n2", 50, 2, "leader", 0, [])])).toBeUndefined();
  });
  it("rejects two nodes that lead the same term, naming both", () => {
    const v = checkElectionSafety([rep("n1", 10, 3, "leader", 0, []), rep("n2", 20, 3, "candidate", 0, []), rep("n2", 40, 3, "leader", 0, [])]);
    expect(v?.message).toMatch(/Two leaders of term 3: n1 at 10 ms and n2 at 40 ms/);
  });
});

describe("log matching", () => {
  it("accepts logs that agree wherever index and term agree, and a follower whose conflicting suffix is replaced", () => {
    const reports = [rep("n1", 10, 2, "leader", 1, [1, 2, 2]), rep("n2", 10, 2, "follower", 1, [1, 2]), rep("n3", 10, 1, "follower", 1, [1, 1]), rep("n3", 30, 2, "follower", 1, [1, 2, 2])];
    expect(checkLogMatching(reports)).toBeUndefined();
  });
  it("rejects two logs with the same entry term at an index but a different entry before it", () => {
    const v = checkLogMatching([rep("n1", 10, 2, "leader", 0, [1, 2], ["a", "b"]), rep("n2", 20, 2, "follower", 0, [2, 2], ["x", "b"])]);
    expect(v?.message).toMatch(/both hold an entry of term 2 at index 2, yet their logs differ at index 1/);
  });
  it("rejects one node's log that changes an entry under the same index and term", () => {
    const v = checkLogMatching([rep("n1", 10, 1, "leader", 0, [1], ["a"]), rep("n1", 20, 1, "leader", 0, [1], ["b"])]);
    expect(v?.message).toMatch(/differ at index 1/);
  });
});

describe("state machine safety", () => {
  it("accepts an uncommitted entry replaced while committed ones stay", () => {
    expect(checkStateMachineSafety([rep("n1", 10, 1, "leader", 1, [1, 1]), rep("n2", 20, 2, "leader", 2, [1, 2]), rep("n1", 30, 2, "follower", 2, [1, 2])])).toBeUndefined();
  });
  it("rejects two nodes that report different committed entries at one index", () => {
    const v = checkStateMachineSafety([rep("n1", 10, 2, "leader", 2, [1, 2]), rep("n2", 20, 3, "leader", 2, [1, 3])]);
    expect(v?.message).toMatch(/Committed entries disagree at index 2/);
  });
  it("rejects a node that changes an entry it had reported committed", () => {
    const v = checkStateMachineSafety([rep("n1", 10, 1, "leader", 1, [1], ["a"]), rep("n1", 20, 1, "leader", 1, [1], ["b"])]);
    expect(v?.message).toMatch(/the node changed an entry it had committed/);
  });
});

describe("leader completeness", () => {
  it("accepts later leaders that hold every entry committed in an earlier term", () => {
    const reports = [rep("n1", 10, 2, "leader", 2, [1, 2]), rep("n2", 50, 3, "leader", 1, [1, 2, 3])];
    expect(checkLeaderCompleteness(reports)).toBeUndefined();
  });
  it("does not ask a leader of the same term for an entry committed in its own term", () => {
    // n2 reports commit 2 in term 3; the leader of term 3 (n3) had not yet shown it: no later term is involved.
    expect(checkLeaderCompleteness([rep("n3", 10, 3, "leader", 1, [1]), rep("n2", 20, 3, "follower", 2, [1, 3])])).toBeUndefined();
  });
  it("rejects the Figure 8 history: an old-term entry counted committed, then overwritten by a later leader", () => {
    // n1 leads term 4 and reports index 2 (of term 2) committed; n5, leader of term 5, holds a term-3 entry there.
    const reports = [rep("n1", 100, 4, "leader", 2, [1, 2]), rep("n5", 200, 5, "leader", 1, [1, 3])];
    const v = checkLeaderCompleteness(reports);
    expect(v?.message).toMatch(/n1 at 100 ms reported index 2 .* committed while in term 4, but n5 at 200 ms, leader of term 5/);
    // The same facts in the other order of time: commit knowledge is timeless once its term is known.
    expect(checkLeaderCompleteness([reports[1]!, { ...reports[0]!, timeMs: 300 }])).toBeDefined();
  });
});

describe("statusTimeline rebuilds logs from incremental answers", () => {
  const answer = (node: string, timeMs: number, from: number, fields: Record<string, unknown>): Observation => ({ node, timeMs, value: { from, ...fields } });
  it("joins what the probe held with the entries sent from `from` on", () => {
    const { reports, malformed } = statusTimeline([
      answer("n1", 10, 1, { term: 1, role: "leader", commit: 1, length: 2, entries: [{ term: 1, v: "a" }, { term: 1, v: "b" }] }),
      answer("n1", 30, 2, { term: 1, role: "leader", commit: 2, length: 3, entries: [{ term: 1, v: "b" }, { term: 1, v: "c" }] }),
    ]);
    expect(malformed).toBeUndefined();
    expect(reports[1]!.status!.log.map((e) => JSON.parse(e.json).v)).toEqual(["a", "b", "c"]);
  });
  it("turns an answer whose repeated committed entry changed into a rewrite, which state machine safety rejects", () => {
    const { reports, rewrites } = statusTimeline([
      answer("n1", 10, 1, { term: 1, role: "follower", commit: 2, length: 2, entries: [{ term: 1, v: "a" }, { term: 1, v: "b" }] }),
      { node: "n1", timeMs: 30, value: { from: 2, rewritten: true, term: 2, role: "follower", commit: 0, length: 2, entries: [{ term: 2, v: "z" }] } },
    ]);
    expect(reports).toHaveLength(1);
    expect(rewrites).toMatchObject([{ node: "n1", index: 2 }]);
    expect(checkStateMachineSafety(reports, rewrites)?.message).toMatch(/n1 at 30 ms replaced the entry at index 2, which it had reported committed/);
    expect(checkStateMachineSafety(reports, [])).toBeUndefined();
  });
  it("starts over after the node was silent, and keeps only what a shortened log still shows", () => {
    const { reports } = statusTimeline([
      answer("n1", 10, 1, { term: 1, role: "follower", commit: 2, length: 2, entries: [{ term: 1 }, { term: 1 }] }),
      answer("n1", 30, 3, { term: 1, role: "follower", commit: 0, length: 1, entries: [] }),
      { node: "n1", timeMs: 50, value: null },
    ]);
    expect(reports.map((r) => r.status?.log.length ?? null)).toEqual([2, 1, null]);
  });
  it("keeps a commit index past the log's end (cut committed entries) for state machine safety to judge", () => {
    const { reports, malformed } = statusTimeline([answer("n2", 10, 1, { term: 1, role: "leader", commit: 3, length: 1, entries: [{ term: 1 }] })]);
    expect(malformed).toBeUndefined();
    expect(checkStateMachineSafety(reports)?.message).toMatch(/up to index 3 committed, but its log holds only 1/);
  });
  it("names the first answer it cannot read: a missing term, a wrong role, a length that disagrees", () => {
    expect(statusTimeline([answer("n2", 10, 1, { term: 1, role: "leader", commit: 0, length: 1, entries: [{ v: 1 }] })]).malformed?.problem).toMatch(/term/);
    expect(statusTimeline([answer("n2", 10, 1, { term: 1, role: "boss", commit: 0, length: 0, entries: [] })]).malformed?.problem).toMatch(/role/);
    expect(statusTimeline([answer("n2", 10, 1, { term: 1, role: "leader", commit: 0, length: 5, entries: [] })]).malformed?.problem).toMatch(/length/);
  });
});

describe("election bound", () => {
  const ids = ["n1", "n2", "n3"];
  const led = (leader: string, term: number, t: number): StatusReport[] => ids.map((n) => rep(n, t, term, n === leader ? "leader" : "follower", 0, []));
  it("measures the gap from a leader's crash to the next leader a majority follows", () => {
    const faults: FaultEvent[] = [{ atMs: 100, kind: "crash", node: "n1" }];
    const reports = [...led("n1", 1, 50), rep("n2", 150, 1, "follower", 0, []), rep("n3", 150, 1, "follower", 0, []), rep("n2", 400, 2, "leader", 0, []), rep("n3", 400, 2, "follower", 0, [])];
    const timeline = electionTimeline(reports, faults, ids, 1000);
    expect(timeline.longest).toEqual({ fromMs: 100, toMs: 400 });
    expect(checkElectionBound(timeline, 350).ok).toBe(true);
    expect(checkElectionBound(timeline, 250)).toMatchObject({ ok: false, message: expect.stringMatching(/No leader for 300 ms, from 100 ms to 400 ms/) });
  });
  it("does not count a leader cut off from its followers, and does not judge while no majority can talk", () => {
    const cut: FaultEvent = { atMs: 100, kind: "partition", label: "isolate-one", blocked: [["n1", "n2"], ["n2", "n1"], ["n1", "n3"], ["n3", "n1"]] };
    const split: FaultEvent = { atMs: 100, kind: "partition", label: "all apart", blocked: ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => [a, b] as [string, string])) };
    const reports = [...led("n1", 1, 50), ...led("n1", 1, 600)];
    // Healed at 500 ms: the followers still at term 1 follow n1 again.
    expect(electionTimeline(reports, [cut, { atMs: 500, kind: "heal" }], ids, 1000).longest).toEqual({ fromMs: 100, toMs: 500 });
    // Apart, n2 and n3 stand for term 2; the clock starts at the heal, and n2 wins at 600 ms.
    const standing = [...led("n1", 1, 50), rep("n2", 300, 2, "candidate", 0, []), rep("n3", 300, 2, "candidate", 0, []), ...led("n2", 2, 600)];
    expect(electionTimeline(standing, [split, { atMs: 520, kind: "heal" }], ids, 1000).longest).toEqual({ fromMs: 520, toMs: 600 });
  });
  it("fails when no node ever leads, and counts a silent leader as gone", () => {
    const none = electionTimeline([rep("n1", 10, 5, "candidate", 0, [])], [], ids, 1000);
    expect(checkElectionBound(none, 1000)).toMatchObject({ ok: false, message: expect.stringMatching(/No node ever reported being leader/) });
    const gone = electionTimeline([...led("n1", 1, 50), silent("n1", 100)], [], ids, 1000);
    expect(gone.longest).toEqual({ fromMs: 100, toMs: 1000 });
  });
});
