/**
 * cqrs-projection: n1 is an event-sourced write model; every other node is a read model that projects
 * its events. Clients send commands to n1 (`add` and `write`, Maelstrom's counter and kv shapes, with a
 * client-made command id) and read the projection from the others. The final phase asks n1 for its event
 * log (`log`) and every read model for its state; the checks fold the log and compare.
 *
 * Options: `ryw` (true) makes a client read right after its writes with `min_version`, the version its
 * write was acknowledged with (a read-your-writes token).
 */
import { runClients, type OpPlan } from "./client.ts";
import { finalReads } from "./final-reads.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { percentile } from "../checkers/stats.ts";
import { diagnosedGenericChecks } from "./diagnose.ts";
import { formatMs } from "../report/format.ts";
import { settleMsOf } from "../sim/defaults.ts";
import type { ClientOperation } from "../sim/history.ts";
import type { CheckFn, CheckOutcome, Workload } from "./types.ts";

/** The run a node workload's check is given. */
type Run = Parameters<CheckFn>[0];

/** An event of the write model's log, as `log_ok` reports it. */
export interface LoggedEvent {
  seq: number;
  /** The command's id: one event per command. */
  id: string;
  key: string;
  op: "add" | "write";
  value: number;
}

type State = Record<string, number>;
interface Command {
  id: string;
  key: string;
  op: "add" | "write";
  value: number;
}
interface ReadOut {
  value?: unknown;
  version?: unknown;
}

const keys = ["a", "b", "c", "d"];

export const cqrsProjection: Workload = {
  name: "cqrs-projection",
  summary: "n1 appends commands to an event log and publishes the events; the other nodes project them into a read model that clients read, with a version token.",
  rpcs: [
    { request: '{type: "add", id, key, delta} (to n1)', reply: '{type: "add_ok", version}' },
    { request: '{type: "write", id, key, value} (to n1)', reply: '{type: "write_ok", version}' },
    { request: '{type: "read", min_version?} (to a read model)', reply: '{type: "read_ok", value: {key: number}, version}, or error 11' },
    { request: '{type: "log"} (to n1)', reply: '{type: "log_ok", events: [{seq, id, key, op, value}]}' },
  ],
  driver(api, spec) {
    const writer = api.nodeIds[0]!;
    const readers = api.nodeIds.slice(1);
    const ryw = spec.options?.ryw === true;
    const tokens = new Map<string, number>();
    const readNext = new Set<string>();
    let commands = 0;
    const readPlan = (node: string, minVersion?: number): OpPlan => {
      const body = minVersion === undefined ? { type: "read" } : { type: "read", min_version: minVersion };
      return { node, f: "read", value: minVersion === undefined ? {} : { min_version: minVersion }, body, readValue: (r) => ({ value: r.value, version: r.version }) };
    };
    const next = (client: string): OpPlan => {
      if (readNext.delete(client)) return readPlan(api.rng.pick(readers), tokens.get(client));
      if (api.rng.chance(0.5)) return readPlan(api.rng.pick(readers));
      const key = api.rng.pick(keys);
      const id = `${client}-${++commands}`;
      const add = api.rng.chance(0.7);
      const command: Command = add ? { id, key, op: "add", value: 1 + api.rng.int(5) } : { id, key, op: "write", value: api.rng.int(100) };
      const body = add ? { type: "add", id, key, delta: command.value } : { type: "write", id, key, value: command.value };
      return {
        node: writer,
        f: command.op,
        value: command,
        body,
        readValue: (reply) => {
          if (typeof reply.version === "number") tokens.set(client, reply.version);
          if (ryw && api.rng.chance(0.6)) readNext.add(client);
          return { version: reply.version };
        },
      };
    };
    const finalPlan = (node: string): OpPlan => (node === writer ? { node, f: "log", value: null, body: { type: "log" }, readValue: (r) => r.events } : readPlan(node));
    return { start: () => runClients(api, spec, next), final: () => finalReads(api, spec, finalPlan) };
  },
  checks: {
    ...diagnosedGenericChecks(),
    /** The log holds every acknowledged command once, at the version it was acknowledged with, and nothing made up. */
    durability(run) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      const bySeq = new Map(a.log.map((e) => [e.id, e]));
      for (const op of a.commands) {
        if (op.status !== "ok") continue;
        const cmd = op.value as Command;
        const e = bySeq.get(cmd.id);
        const version = (op.output as { version?: unknown }).version;
        if (!e) return { ok: false, message: `${cmd.op} ${cmd.id} (${cmd.key}, ${cmd.value}) was acknowledged at ${formatMs(op.returnMs)} with version ${JSON.stringify(version)}, but n1's final log does not hold it: ${crashedWriter(run) ? "n1 crashed meanwhile, and an event kept only in memory dies with it. Append to node.storage before you acknowledge." : "an acknowledged command must stay in the log."}` };
        if (version !== e.seq) return { ok: false, message: `${cmd.op} ${cmd.id} was acknowledged with version ${JSON.stringify(version)} but sits at seq ${e.seq} of the log: the version a client gets is the seq of its event, so that a read can ask for it.` };
      }
      const acked = a.commands.filter((op) => op.status === "ok").length;
      return { ok: true, message: `all ${acked} acknowledged commands are in the log of ${a.log.length} events`, metrics: { logEvents: a.log.length, acked } };
    },
    /** Every read model's final state is the fold of the whole log. */
    convergence(run) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      const want = a.prefixes[a.log.length]!;
      for (const node of run.knobs.nodeIds.slice(1)) {
        const read = a.finals.get(node);
        if (!read) return { ok: false, message: `${node} did not answer the final read with read_ok {value, version}.` };
        const { value, version } = read.output as ReadOut;
        if (version !== a.log.length || !sameState(value, want)) {
          const behind = typeof version === "number" && version < a.log.length ? a.log[version]! : undefined;
          const evidence = `After the faults healed and ${formatMs(settleMsOf(run.scenario))} of quiet, ${node} reads ${showState(value)} at version ${JSON.stringify(version)}; the log's ${a.log.length} events fold to ${showState(want)}.`;
          const why = behind
            ? ` The first event it lacks is seq ${behind.seq} (${behind.op} ${behind.key} ${behind.value}, command ${behind.id}).${crashedWriter(run) ? " n1 crashed during the run. An event appended to the log but published from memory is never sent if the writer dies between the two; one that was sent and lost is gone unless someone re-sends it." : " It was lost on the way and never sent again."} Publish from the log (the outbox): re-send, from node.storage and also after a restart, every event a read model has not acknowledged as applied.`
            : " A read model must apply each event of the log once, in log order, and nothing else.";
          return { ok: false, message: evidence + why };
        }
      }
      return { ok: true, message: `every read model holds the fold of all ${a.log.length} events`, metrics: { logEvents: a.log.length } };
    },
    /** Every read, during the run and after, shows the fold of the log's first `version` events: each applied once, in order. */
    "log-prefix"(run) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      let checked = 0;
      for (const op of a.reads) {
        const { value, version } = op.output as ReadOut;
        if (typeof version !== "number" || !Number.isInteger(version) || version < 0 || version > a.log.length) {
          return { ok: false, message: `${op.node} answered a read at ${formatMs(op.returnMs)} with version ${JSON.stringify(version)}; the log ends at ${a.log.length}: a version counts the log's events the read model has applied.` };
        }
        checked++;
        const want = a.prefixes[version]!;
        if (sameState(value, want)) continue;
        return { ok: false, message: `${op.node} read ${showState(value)} at version ${version} (at ${formatMs(op.returnMs)}), but the first ${version} events of the log fold to ${showState(want)}. ${prefixHint(value, want, a.log.slice(0, version), a.log.length > version)}` };
      }
      return { ok: true, message: `${checked} reads each show a prefix of the log`, metrics: { reads: checked } };
    },
    /** A read with min_version v answers from a version ≥ v; at least `min` of such reads are answered. */
    "read-your-writes"(run, params) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      const withToken = completedOps(run.history).filter((op) => op.f === "read" && typeof (op.value as { min_version?: unknown }).min_version === "number");
      if (withToken.length === 0) return { ok: false, message: "No read carried a version token, so read-your-writes could not be judged." };
      let answered = 0;
      for (const op of withToken) {
        if (op.status !== "ok") continue;
        answered++;
        const want = (op.value as { min_version: number }).min_version;
        const { version } = op.output as ReadOut;
        if (typeof version !== "number" || version < want) {
          return { ok: false, message: `${op.process} wrote and was given version ${want}, then read ${op.node} with min_version ${want} and got version ${JSON.stringify(version)} at ${formatMs(op.returnMs)}: its own write was missing. A read model that is behind the token waits until it has caught up (or refuses with error 11).` };
        }
      }
      const share = answered / withToken.length;
      const min = params.min ?? 0.8;
      const metrics = { tokenReads: withToken.length, answeredShare: Math.round(share * 1000) / 1000 };
      if (share < min) return { ok: false, message: `Only ${answered} of ${withToken.length} reads with a token were answered (${Math.round(share * 100)}%, at least ${Math.round(min * 100)}% expected): wait for the projection to catch up rather than refuse at once.`, metrics };
      return { ok: true, message: `${answered} of ${withToken.length} reads with a token saw their own writes`, metrics };
    },
    /**
     * Projection lag: for each read without a token, how long the oldest acknowledged event it did not show
     * had been acknowledged. Reported as p50/p99/max; the p99 must stay within `maxP99Ms`.
     */
    "projection-lag"(run, params) {
      const a = analyse(run);
      if (typeof a === "string") return { ok: false, message: a };
      const ackedAt = new Map<string, number>();
      for (const op of a.commands) if (op.status === "ok") ackedAt.set((op.value as Command).id, op.returnMs);
      const lags: number[] = [];
      for (const op of a.reads) {
        if (op.invokeMs >= run.scenario.durationMs || typeof (op.value as { min_version?: unknown }).min_version === "number") continue;
        const version = (op.output as ReadOut).version as number;
        // The oldest event the read did not show: acknowledged before the read was sent, it could have been there.
        let lag = 0;
        for (let s = version; s < a.log.length; s++) {
          const at = ackedAt.get(a.log[s]!.id);
          if (at !== undefined && at <= op.invokeMs) lag = Math.max(lag, op.invokeMs - at);
        }
        lags.push(lag);
      }
      lags.sort((x, y) => x - y);
      const metrics = { lagP50Ms: Math.round(percentile(lags, 0.5)), lagP99Ms: Math.round(percentile(lags, 0.99)), lagMaxMs: Math.round(lags.at(-1) ?? 0), lagReads: lags.length };
      const max = params.maxP99Ms ?? 500;
      const figures = `projection lag over ${lags.length} reads: p50 ${metrics.lagP50Ms} ms, p99 ${metrics.lagP99Ms} ms, max ${metrics.lagMaxMs} ms`;
      if (lags.length === 0) return { ok: false, message: "No read without a token was answered during the run: the lag could not be measured.", metrics };
      if (metrics.lagP99Ms > max) return { ok: false, message: `${figures}; the p99 must stay within ${max} ms. Publish soon after each write (and re-send promptly what was not acknowledged) rather than in rare batches.`, metrics };
      return { ok: true, message: figures, metrics };
    },
  },
};

interface Analysis {
  log: LoggedEvent[];
  /** prefixes[v]: the fold of the log's first v events. */
  prefixes: State[];
  commands: ClientOperation[];
  /** Every ok read of a read model, in invoke order. */
  reads: ClientOperation[];
  /** Each read model's last ok final read. */
  finals: Map<string, ClientOperation>;
}

const analyses = new WeakMap<Run, Analysis | string>();

function analyse(run: Run): Analysis | string {
  let a = analyses.get(run);
  if (a === undefined) analyses.set(run, (a = readLog(run)));
  return a;
}

function readLog(run: Run): Analysis | string {
  const ops = completedOps(run.history);
  const writer = run.knobs.nodeIds[0]!;
  const logOp = ops.filter((op) => op.f === "log" && op.status === "ok").at(-1);
  if (!logOp) return `${writer} did not answer the final {type: "log"} with log_ok {events: [...]}: the event log is what the read models are judged against.`;
  const raw = logOp.output;
  if (!Array.isArray(raw)) return `${writer}'s log_ok has no "events" list (got ${JSON.stringify(raw)?.slice(0, 80)}).`;
  const commands = ops.filter((op) => op.f === "add" || op.f === "write");
  const invoked = new Map(commands.map((op) => [(op.value as Command).id, op.value as Command]));
  const seen = new Set<string>();
  const log: LoggedEvent[] = [];
  for (const [i, e] of (raw as unknown[]).entries()) {
    const ev = e as Partial<LoggedEvent>;
    if (!ev || typeof ev !== "object" || ev.seq !== i + 1) return `${writer}'s log must list events in order with seq 1, 2, 3…; entry ${i + 1} is ${JSON.stringify(e)?.slice(0, 120)}.`;
    const cmd = typeof ev.id === "string" ? invoked.get(ev.id) : undefined;
    if (!cmd) return `${writer}'s log holds seq ${ev.seq} with id ${JSON.stringify(ev.id)}, which no client sent: each event records one command and carries its id.`;
    if (cmd.key !== ev.key || cmd.op !== ev.op || cmd.value !== ev.value) return `${writer}'s log holds seq ${ev.seq} as ${JSON.stringify(e)}, but command ${cmd.id} was ${cmd.op} ${cmd.key} ${cmd.value}.`;
    if (seen.has(cmd.id)) return `${writer}'s log holds command ${cmd.id} twice (again at seq ${ev.seq}): one event per command.`;
    seen.add(cmd.id);
    log.push(ev as LoggedEvent);
  }
  const prefixes: State[] = [{}];
  for (const e of log) {
    const s = { ...prefixes.at(-1)! };
    s[e.key] = e.op === "add" ? (s[e.key] ?? 0) + e.value : e.value;
    prefixes.push(s);
  }
  const readers = new Set(run.knobs.nodeIds.slice(1));
  const reads = ops.filter((op) => op.f === "read" && op.status === "ok" && readers.has(op.node));
  const finals = new Map<string, ClientOperation>();
  for (const op of reads) if (op.invokeMs >= run.scenario.durationMs) finals.set(op.node, op);
  return { log, prefixes, commands, reads, finals };
}

/** Equal states; a key missing on one side counts as 0 (an add of nothing and a write of 0 look alike). */
function sameState(value: unknown, want: State): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const got = value as Record<string, unknown>;
  for (const k of new Set([...Object.keys(got), ...Object.keys(want)])) if ((got[k] ?? 0) !== (want[k] ?? 0)) return false;
  return true;
}

function showState(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "nothing";
  return `{${Object.entries(value as Record<string, unknown>)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(", ")}}`;
}

/** Names the likely cause of a state that is no prefix of the log: an add counted twice, or events out of order. */
function prefixHint(value: unknown, want: State, prefix: LoggedEvent[], more: boolean): string {
  const got = (value ?? {}) as Record<string, number>;
  for (const e of prefix) {
    if (e.op === "add" && (got[e.key] ?? 0) - (want[e.key] ?? 0) === e.value) {
      return `${e.key} is ${e.value} too high, the delta of seq ${e.seq}: an event applied twice. The network duplicates messages and a relay re-sends them; remember the last seq applied and skip anything at or below it.`;
    }
  }
  if (more) return "The state holds events beyond its version, or misses some below it: events arrived out of order and were applied as they came. Apply seq v + 1 only after v; hold (or drop and wait for) anything that comes early.";
  return "A read model must apply each event of the log once, in log order, and report as its version how many it has applied.";
}

/** Whether n1 (the writer) crashed during the run: a crash fault, or a targeted crash armed on it. */
function crashedWriter(run: Run): boolean {
  const writer = run.knobs.nodeIds[0];
  return run.knobs.faults.some((f) => (f.kind === "crash" || f.kind === "crash-point") && f.node === writer);
}
