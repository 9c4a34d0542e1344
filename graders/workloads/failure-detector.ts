/**
 * failure-detector: every node keeps a view of which peers it suspects to have failed. A probe client asks
 * each node `{type: "suspects"}` every `probeMs` and keeps the answers as observations; the checks judge
 * them against the nemesis's schedule (graders/checkers/failure-detection.ts): crashes detected within a
 * bound, live nodes not suspected, and the detector's own traffic within a budget.
 */
import { formatMs } from "../report/format.ts";
import { absencesFromFaults, detections, falseSuspicions, presentMs, type SuspicionReport } from "../checkers/failure-detection.ts";
import { percentile } from "../checkers/stats.ts";
import type { CheckFn, Workload } from "./types.ts";

/** The run a node workload's checks see. */
type Run = Parameters<CheckFn>[0];

const probeMsDefault = 100;
/** A probe answered later than this is dropped: a node that was paused answers its queued probes late. */
const probeTimeoutMs = 50;
/** After a node comes back (restart or end of a pause), the others have this long to stop suspecting it. */
const graceMsDefault = 1000;
/**
 * The detection check's `maxMs` when a task names none: a second, as long as a client waits for a reply
 * (sim/defaults.ts), so a detector is at least as quick as the clients' own timeout.
 */
const detectionMsMaxDefault = 1000;

/** The reports the probe kept, and answers it could not read (the first few, for the message). */
function reportsOf(run: Run): { reports: SuspicionReport[]; unreadable: string[] } {
  const reports: SuspicionReport[] = [];
  const unreadable: string[] = [];
  for (const o of run.observations ?? []) {
    const v = o.value as { suspects?: unknown } | null;
    if (v === null) continue;
    const list = v?.suspects;
    if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) {
      if (unreadable.length < 3) unreadable.push(`${o.node} at ${formatMs(o.timeMs)}: ${JSON.stringify(v)?.slice(0, 120)}`);
      continue;
    }
    reports.push({ observer: o.node, timeMs: o.timeMs, suspects: list as string[] });
  }
  return { reports, unreadable };
}

function absences(run: Run) {
  return absencesFromFaults(run.knobs.nodeIds, run.knobs.faults, run.scenario.durationMs);
}

export const failureDetector: Workload = {
  name: "failure-detector",
  summary: 'Answer {type: "suspects"} with {type: "suspects_ok", suspects: [ids of the peers you suspect have failed]}.',
  rpcs: [{ request: '{type: "suspects"}', reply: '{type: "suspects_ok", suspects: string[]}' }],
  driver(api, spec) {
    const probeMs = Number(spec.options?.probeMs ?? probeMsDefault);
    const client = api.clientIds[0]!;
    const probe = () => {
      if (!api.inSafetyPhase()) return;
      for (const node of api.nodeIds) {
        api.call(client, node, { type: "suspects" }, probeTimeoutMs, (reply) => {
          // A node that is down, paused or slow to answer tells nothing about this moment.
          if (reply === null) return;
          api.observe(node, api.now(), reply.type === "suspects_ok" ? { suspects: reply.suspects } : { unexpected: reply });
        });
      }
      api.at(probeMs, probe);
    };
    return { start: () => api.at(probeMs, probe), final: () => {} };
  },
  checks: {
    /** Every crash that lasts at least `minDownMs` is suspected by every node that stayed up, within `maxMs`. Params: maxMs, minDownMs. */
    detection(run, params) {
      const maxMs = params.maxMs ?? detectionMsMaxDefault;
      const { reports, unreadable } = reportsOf(run);
      if (unreadable.length) return { ok: false, message: `some answers to "suspects" were not {type: "suspects_ok", suspects: [node ids]}: ${unreadable.join("; ")}` };
      const found = detections(reports, absences(run), params.minDownMs ?? maxMs, graceMsDefault);
      if (found.length === 0) throw new Error(`authoring error: the scenario "${run.scenario.name}" has no crash long enough for the detection check to judge`);
      const missed = found.filter((d) => d.afterMs === null);
      const times = found.filter((d) => d.afterMs !== null).map((d) => d.afterMs!).sort((a, b) => a - b);
      const figures = { detectionP50Ms: Math.round(percentile(times, 0.5)), detectionMaxMs: Math.round(times.length ? times.at(-1)! : 0), crashesJudged: found.length };
      const summary = `${found.length} (crash, observer) pairs: detected after ${formatMs(figures.detectionP50Ms)} at the median, ${formatMs(figures.detectionMaxMs)} at worst`;
      if (missed.length) {
        const d = missed[0]!;
        return { ok: false, message: `${missed.length} times a node never suspected a crashed peer while it was down; the first: ${d.crashed} crashed at ${formatMs(d.crashMs)} and ${d.observer} still did not suspect it when it came back (${summary}). A node that stops hearing from a peer must suspect it after a timeout.`, metrics: figures };
      }
      const late = found.filter((d) => d.afterMs! > maxMs);
      if (late.length) {
        const d = late.reduce((a, b) => (b.afterMs! > a.afterMs! ? b : a));
        return { ok: false, message: `${late.length} detections took longer than ${formatMs(maxMs)}: the slowest, ${d.observer} suspected ${d.crashed} ${formatMs(d.afterMs!)} after it crashed at ${formatMs(d.crashMs)} (${summary}). Shorten the timeout or, with gossip, spread news of a silent node faster.`, metrics: figures };
      }
      return { ok: true, message: summary, metrics: figures };
    },
    /**
     * Live nodes are not suspected: at most `maxPerNodeHour` false-suspicion episodes per node-hour of
     * presence (a node suspected while up and back for at least 1 s, or never away). Param maxPerNodeHour.
     */
    accuracy(run, params) {
      const max = params.maxPerNodeHour ?? 60;
      const { reports, unreadable } = reportsOf(run);
      if (unreadable.length) return { ok: false, message: `some answers to "suspects" were not {type: "suspects_ok", suspects: [node ids]}: ${unreadable.join("; ")}` };
      if (reports.length === 0) return { ok: false, message: 'no node answered {type: "suspects"} with suspects_ok within 50 ms' };
      const all = absences(run);
      const episodes = falseSuspicions(reports, all, graceMsDefault);
      const hours = presentMs(all, run.scenario.durationMs) / 3_600_000;
      const rate = Math.round((episodes.length / hours) * 10) / 10;
      const metrics = { falseSuspicionsPerNodeHour: rate, falseSuspicions: episodes.length };
      const summary = `${episodes.length} false suspicions in ${Math.round(hours * 3600)} node-seconds of presence: ${rate} per node-hour`;
      if (rate <= max) return { ok: true, message: `${summary} (at most ${max} allowed)`, metrics };
      const e = episodes[0]!;
      const was = all.get(e.suspect)!.filter((a) => a.toMs <= e.fromMs).at(-1);
      const context = was
        ? `${e.suspect} had been ${was.kind === "down" ? "restarted" : "resumed from a pause"} at ${formatMs(was.toMs)}: once a peer is heard from again, stop suspecting it`
        : `${e.suspect} was up the whole time: the timeout is shorter than the gaps a slow network or a paused observer makes`;
      return { ok: false, message: `${summary}, more than the ${max} allowed. The first: ${e.observer} suspected ${e.suspect} from ${formatMs(e.fromMs)} to ${formatMs(e.toMs)}, though ${context}.`, metrics };
    },
    /** The detector's own traffic: at most `max` messages per node per second between nodes. Param max. */
    "msgs-per-node-sec"(run, params) {
      const max = params.max ?? 20;
      const seconds = run.stats.simulatedMs / 1000;
      const perNode = seconds > 0 ? Math.round((run.stats.serverMessages / run.knobs.nodeIds.length / seconds) * 10) / 10 : 0;
      const metrics = { msgsPerNodeSec: perNode };
      const summary = `${run.stats.serverMessages} messages between ${run.knobs.nodeIds.length} nodes in ${formatMs(run.stats.simulatedMs)}: ${perNode} per node per second`;
      if (perNode <= max) return { ok: true, message: `${summary} (budget ${max})`, metrics };
      return { ok: false, message: `${summary}, over the budget of ${max}. Heartbeats to every peer cost n − 1 messages per node per round; ping a few peers a round and spread what you learn by gossip.`, metrics };
    },
  },
};
