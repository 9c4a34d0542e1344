/**
 * consensus-kv: lin-kv's clients against a replicated state machine, plus a status probe that asks each node
 * its term, role, commit index and log (status-probe.ts), so that the consensus checkers can judge the
 * protocol itself and not only what the clients saw.
 */
import { linKv } from "./lin-kv.ts";
import { probeStatus } from "./status-probe.ts";
import { statusTimeline, type StatusTimeline } from "../checkers/consensus/status.ts";
import { checkElectionSafety, checkLeaderCompleteness, checkLogMatching, checkStateMachineSafety, type ConsensusViolation } from "../checkers/consensus/safety.ts";
import { checkElectionBound, electionTimeline } from "../checkers/consensus/election-bound.ts";
import { at } from "../checkers/consensus/status.ts";
import type { CheckFn, CheckOutcome, NodeRunData, Workload } from "./types.ts";

/**
 * The election-bound check's `withinMs` when a task names none: a second is a few Raft election timeouts
 * (150–300 ms each, the paper's range), time for a split vote or two and one more round.
 */
const electionWithinMsDefault = 1000;

/** Every check of a run reads the same timeline: built once per run. */
const timelines = new WeakMap<NodeRunData, StatusTimeline>();
function timelineOf(run: NodeRunData): StatusTimeline {
  let timeline = timelines.get(run);
  if (!timeline) timelines.set(run, (timeline = statusTimeline(run.observations ?? [])));
  return timeline;
}

/** The reports, or the reason no consensus check can judge this run. */
function judgeable(run: NodeRunData): StatusTimeline | CheckOutcome {
  const timeline = timelineOf(run);
  if (timeline.malformed) {
    const m = timeline.malformed;
    return { ok: false, message: `${at(m)} answered status with something the checkers cannot read: ${m.problem}. Answer {type: "status", from} with {type: "status_ok", term, role, commit, length, entries}, where entries are your log's entries from index \`from\` on (indexes start at 1), each an object with its term.` };
  }
  if (!timeline.reports.some((r) => r.status !== null)) {
    return { ok: false, message: 'No node ever answered a status request, so nothing about the protocol could be checked. Answer {type: "status", from} with {type: "status_ok", term, role, commit, length, entries}.' };
  }
  return timeline;
}

function safetyCheck(name: string, check: (reports: StatusTimeline["reports"], rewrites: StatusTimeline["rewrites"]) => ConsensusViolation | undefined): CheckFn {
  return (run) => {
    const timeline = judgeable(run);
    if (!("reports" in timeline)) return timeline;
    const violation = check(timeline.reports, timeline.rewrites);
    const metrics = { statusReports: timeline.reports.length };
    return violation ? { ok: false, message: violation.message, metrics } : { ok: true, message: `${name} held over ${timeline.reports.length} status reports`, metrics };
  };
}

export const consensusKv: Workload = {
  name: "consensus-kv",
  summary: `${linKv.summary} Every node also answers a status probe with its term, role, commit index and log.`,
  rpcs: [
    ...linKv.rpcs,
    {
      request: '{type: "status", from: number}',
      reply: '{type: "status_ok", term, role: "leader" | "candidate" | "follower", commit, length, entries} (entries: the log from index `from` on, indexes from 1, each an object with a `term`)',
    },
  ],
  driver(api, spec) {
    const kv = linKv.driver(api, spec);
    return {
      start() {
        kv.start();
        probeStatus(api, api.clientIds[0]!, { everyMs: Number(spec.options?.probeEveryMs ?? 20) });
      },
      final: () => kv.final(),
    };
  },
  checks: {
    ...linKv.checks,
    /** At most one leader per term. */
    "election-safety": safetyCheck("one leader per term", checkElectionSafety),
    /** Same index and term, same log up to there. */
    "log-matching": safetyCheck("log matching", checkLogMatching),
    /** No two different committed entries at one index, on any node, ever. */
    "state-machine-safety": safetyCheck("state machine safety", checkStateMachineSafety),
    /** Every entry committed in a term is in the log of every leader of a later term. */
    "leader-completeness": safetyCheck("leader completeness", checkLeaderCompleteness),
    /** The log makes progress: some node reported at least `min` entries committed (default 1). */
    commits(run, params) {
      const timeline = judgeable(run);
      if (!("reports" in timeline)) return timeline;
      const committed = timeline.reports.reduce((m, r) => Math.max(m, r.status?.commit ?? 0), 0);
      const min = params.min ?? 1;
      const metrics = { committedMax: committed };
      if (committed < min) {
        return { ok: false, message: `The most any node reported committed is ${committed} entries; at least ${min} were expected from the requests the clients sent. A leader appends each request to its log, sends it to the others, and commits it once a majority has stored it.`, metrics };
      }
      return { ok: true, message: `${committed} entries committed`, metrics };
    },
    /**
     * Whenever a majority is up and connected, a leader that a majority follows within `withinMs` (default
     * electionWithinMsDefault), over the safety phase.
     */
    "election-bound"(run, params) {
      const timeline = judgeable(run);
      if (!("reports" in timeline)) return timeline;
      // A script's faults happen at times the run decided (sim/fault-script.ts): merged in time order.
      const faults = run.scriptedFaults?.length ? [...run.knobs.faults, ...run.scriptedFaults].sort((a, b) => a.atMs - b.atMs) : run.knobs.faults;
      const election = electionTimeline(timeline.reports, faults, run.knobs.nodeIds, run.scenario.durationMs);
      const verdict = checkElectionBound(election, params.withinMs ?? electionWithinMsDefault);
      return { ...verdict, metrics: { leaderGapMsMax: Math.round(election.longest.toMs - election.longest.fromMs), termsLed: election.termsLed } };
    },
  },
};
