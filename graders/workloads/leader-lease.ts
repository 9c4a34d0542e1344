/**
 * leader-lease: the nodes elect a leader with a lease from a lock service, and the leader alone writes the
 * clients' values to a storage service, fencing each write with the lease's token. Both services run on the
 * cluster's network (ClientApi.serve):
 * - "lock" answers `{type: "acquire"}`: free (or expired) → a new term with the next token; already the
 *   caller's → the same term renewed; someone else's → error 11. A lease lasts `leaseMs` of true time from
 *   when the request reached the lock; the answer leaves 20–80 ms later (the lock writes the grant to a
 *   quorum first), so whoever times the lease from the answer's arrival times it too long.
 * - "store" answers `{type: "write", value, token?}`: a write whose token is below the highest it has
 *   accepted is refused (error 22); a write without a token is accepted, as plain storage does. The path to
 *   the store holds some writes for most of a second (a retransmission, a congested link): only the token
 *   keeps such a write of a deposed leader from landing after its successor's.
 * Clients send writes to the node they think leads, and move on to the next node on error 11 or a timeout.
 * With `lockCutEveryMs`, the lock loses every request of one node for `lockCutMs` at a time, the holder's
 * when someone holds the lease: that node runs on and must stop leading when its lease ends, answered or not.
 * A probe asks each node `{type: "role"}` every `probeMs`, and asks the holder again `endProbes` times, 1 ms
 * apart, from the true instant its lease ends unrenewed: a holder that believes its lease a few ms too long
 * (a slow clock and no drift margin) is asked inside those few ms, where a probe every 25 ms seldom falls.
 * Grants, the store's decisions and the role answers are kept as observations; the checks
 * (graders/checkers/leases.ts) judge them against the truth.
 */
import { formatMs } from "../report/format.ts";
import { absencesFromFaults } from "../checkers/failure-detection.ts";
import { answersWhileHolding, claimLateMs, claimsOutsideLease, fencingViolations, leaseGaps, type LeaderClaim, type LeaseGrant, type RoleAnswer, type StoreWrite } from "../checkers/leases.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { ErrorCode } from "../protocol/errors.ts";
import type { CheckFn, ClientApi, Workload } from "./types.ts";
import type { WorkloadSpec } from "../sim/scenario.ts";

/** The run a node workload's checks see. */
type Run = Parameters<CheckFn>[0];

function options(spec: WorkloadSpec) {
  const o = spec.options ?? {};
  const num = (key: string, fallback: number) => (o[key] === undefined ? fallback : Number(o[key]));
  return {
    leaseMs: num("leaseMs", 300),
    /** How long the lock takes to answer (it has the grant made durable first). */
    lockDelayMinMs: num("lockDelayMinMs", 20),
    lockDelayMaxMs: num("lockDelayMaxMs", 80),
    /** Share of writes the path to the store holds for slowMinMs–slowMaxMs. */
    slowShare: num("slowShare", 0),
    slowMinMs: num("slowMinMs", 300),
    slowMaxMs: num("slowMaxMs", 900),
    probeMs: num("probeMs", 25),
    /** Probes of the holder at its lease's end, if nobody renewed it (1 ms apart, from the end on). */
    endProbes: num("endProbes", 10),
    /** Cuts between one node and the lock (the node runs on, but cannot renew): one every ~lockCutEveryMs, each lockCutMs long. */
    lockCutEveryMs: num("lockCutEveryMs", 0),
    lockCutMs: num("lockCutMs", 500),
    /** How long a client keeps trying nodes with one write before it gives up on it. */
    writeDeadlineMs: num("writeDeadlineMs", 1500),
  };
}

/** Longer than any pause: a paused node answers its queued probes when it wakes, and that answer counts. */
const probeTimeoutMs = 1000;

interface LockState {
  holder?: string;
  token: number;
  untilMs: number;
}

/** Asks `node` for its role once; its answer (if any) is kept with the instant the question left. */
type AskRole = (node: string) => void;

function runServices(api: ClientApi, spec: WorkloadSpec, askRole: AskRole): void {
  const o = options(spec);
  const rng = api.rng.fork("services");
  const lock: LockState = { token: 0, untilMs: 0 };
  // Cuts come one after another on their own random stream, each kept as an observation for the checks.
  const cuts: Array<{ node: string; fromMs: number; toMs: number }> = [];
  if (o.lockCutEveryMs > 0) {
    const crng = api.rng.fork("lock-cuts");
    const nextCut = () => {
      if (!api.inSafetyPhase()) return;
      // The holder, while there is one: a leader cut off from the lock while it runs on is the case to test.
      const drawn = crng.pick(api.nodeIds);
      const node = lock.holder !== undefined && api.now() < lock.untilMs ? lock.holder : drawn;
      const cut = { node, fromMs: api.now(), toMs: api.now() + o.lockCutMs };
      cuts.push(cut);
      api.observe("lock", api.now(), { cut: cut.node, fromMs: cut.fromMs, toMs: cut.toMs });
      api.at(o.lockCutMs + crng.exponential(o.lockCutEveryMs), nextCut);
    };
    api.at(crng.uniform(0.2, 1) * o.lockCutEveryMs, nextCut);
  }
  api.serve("lock", (src, body, reply) => {
    // A request from a node cut off from the lock is lost on the way.
    if (api.inSafetyPhase() && cuts.some((c) => c.node === src && c.fromMs <= api.now() && api.now() < c.toMs)) return;
    if (body.type !== "acquire") return reply({ type: "error", code: ErrorCode.NotSupported, text: `the lock serves "acquire", not "${body.type}"` });
    const now = api.now();
    // Decided when the request arrives, answered once the grant is durable.
    const answerIn = rng.uniform(o.lockDelayMinMs, o.lockDelayMaxMs);
    if (lock.holder !== undefined && lock.holder !== src && now < lock.untilMs) {
      const holder = lock.holder;
      api.at(answerIn, () => reply({ type: "error", code: ErrorCode.TemporarilyUnavailable, text: `the lease is held by ${holder}` }));
      return;
    }
    if (lock.holder !== src || now >= lock.untilMs) {
      lock.holder = src;
      lock.token++;
    }
    lock.untilMs = now + o.leaseMs;
    const grant = { token: lock.token, fromMs: now, untilMs: lock.untilMs };
    api.observe("lock", now, { grant: src, ...grant });
    api.at(answerIn, () => reply({ type: "acquire_ok", token: grant.token, lease_ms: o.leaseMs }));
    // At the lease's true end, if it was not renewed: does its holder still say it leads?
    api.at(o.leaseMs, () => {
      if (lock.holder !== src || lock.untilMs !== grant.untilMs || !api.inSafetyPhase()) return;
      for (let i = 0; i < o.endProbes; i++) api.at(i, () => askRole(src));
    });
  });
  let highest = -Infinity;
  api.serve("store", (src, body, reply) => {
    if (body.type !== "write") return reply({ type: "error", code: ErrorCode.NotSupported, text: `the store serves "write", not "${body.type}"` });
    const delay = rng.chance(o.slowShare) ? rng.uniform(o.slowMinMs, o.slowMaxMs) : 0;
    const judge = () => {
      const token = body.token;
      if (token !== undefined && typeof token !== "number") return reply({ type: "error", code: ErrorCode.MalformedRequest, text: "a token is a number" });
      const accepted = token === undefined || token >= highest;
      if (accepted && token !== undefined) highest = token;
      api.observe("store", api.now(), { write: src, value: body.value, token: token ?? null, accepted });
      reply(accepted ? { type: "write_ok" } : { type: "error", code: ErrorCode.PreconditionFailed, text: `token ${token} is below ${highest}, the highest this store has accepted: a newer leader has written` });
    };
    if (delay > 0) api.at(delay, judge);
    else judge();
  });
}

/** Each client writes unique values, one at a time, trying the nodes in turn until one takes it. */
function runClients(api: ClientApi, spec: WorkloadSpec): void {
  const o = options(spec);
  const timeoutMs = spec.timeoutMs ?? 500;
  const intervalMsMean = (api.clientIds.length * 1000) / spec.rate;
  for (const client of api.clientIds) {
    let guess = 0;
    let n = 0;
    const next = () => {
      if (!api.inSafetyPhase()) return;
      const startedMs = api.now();
      const value = `${client}-${++n}`;
      api.record({ process: client, type: "invoke", f: "write", value, timeMs: startedMs, node: api.nodeIds[guess]! });
      const attempt = () => {
        const node = api.nodeIds[guess]!;
        api.call(client, node, { type: "write", value }, timeoutMs, (reply) => {
          const done = (type: "ok" | "fail", code?: number) => {
            api.record({ process: client, type, f: "write", value, timeMs: api.now(), node, ...(code === undefined ? {} : { code }) });
            api.at(Math.max(0, startedMs + api.rng.exponential(intervalMsMean) - api.now()), next);
          };
          if (reply?.type === "write_ok") return done("ok");
          // Not the leader, refused, or silent: ask the next node, until the deadline.
          guess = (guess + 1) % api.nodeIds.length;
          if (!api.inSafetyPhase() || api.now() - startedMs >= o.writeDeadlineMs) return done("fail", typeof reply?.code === "number" ? reply.code : ErrorCode.Timeout);
          api.at(reply === null ? 0 : 5, attempt);
        });
      };
      attempt();
    };
    api.at(api.rng.exponential(intervalMsMean), next);
  }
}

/** The probe's question, from the last client: each answer is kept with the instant the question left. */
function roleAsker(api: ClientApi): AskRole {
  const client = api.clientIds[api.clientIds.length - 1]!;
  return (node) => {
    const sentMs = api.now();
    api.call(client, node, { type: "role" }, probeTimeoutMs, (reply) => {
      if (reply !== null) api.observe(node, api.now(), { role: reply.type === "role_ok" ? reply.role : { unexpected: reply }, sentMs });
    });
  };
}

function runProbe(api: ClientApi, spec: WorkloadSpec, askRole: AskRole): void {
  const o = options(spec);
  api.nodeIds.forEach((node, i) => {
    const loop = () => {
      if (!api.inSafetyPhase()) return;
      askRole(node);
      api.at(o.probeMs, loop);
    };
    api.at(1 + (o.probeMs * i) / api.nodeIds.length, loop);
  });
}

interface Observed {
  grants: LeaseGrant[];
  writes: StoreWrite[];
  claims: LeaderClaim[];
  roles: RoleAnswer[];
  /** When a node could not reach the lock. */
  cuts: Array<{ node: string; fromMs: number; toMs: number }>;
  /** Answers to "role" that were not role_ok with role "leader" or "follower" (the first few). */
  unreadable: string[];
  answers: number;
}

function observed(run: Run): Observed {
  const out: Observed = { grants: [], writes: [], claims: [], roles: [], cuts: [], unreadable: [], answers: 0 };
  for (const o of run.observations ?? []) {
    const v = o.value as Record<string, unknown>;
    if (o.node === "lock" && v.cut !== undefined) out.cuts.push({ node: String(v.cut), fromMs: Number(v.fromMs), toMs: Number(v.toMs) });
    else if (o.node === "lock") out.grants.push({ holder: String(v.grant), token: Number(v.token), fromMs: Number(v.fromMs), untilMs: Number(v.untilMs) });
    else if (o.node === "store") out.writes.push({ timeMs: o.timeMs, writer: String(v.write), token: v.token ?? undefined, accepted: v.accepted === true });
    else {
      out.answers++;
      const window = { node: o.node, fromMs: Number(v.sentMs), toMs: o.timeMs };
      if (v.role === "leader" || v.role === "follower") out.roles.push({ ...window, leader: v.role === "leader" });
      if (v.role === "leader") out.claims.push(window);
      else if (v.role !== "follower" && out.unreadable.length < 3) out.unreadable.push(`${o.node} at ${formatMs(o.timeMs)}: ${JSON.stringify(v.role)?.slice(0, 120)}`);
    }
  }
  return out;
}

const absences = (run: Run) => absencesFromFaults(run.knobs.nodeIds, run.knobs.faults, run.scenario.durationMs);
const leaseMsOf = (run: Run) => options(run.scenario.workload).leaseMs;

export const leaderLease: Workload = {
  name: "leader-lease",
  summary:
    'Hold a lease from "lock" ({type: "acquire"} → {type: "acquire_ok", token, lease_ms}); the leader writes each client write to "store" with its token and answers write_ok, others answer error 11; answer {type: "role"} with {type: "role_ok", role: "leader" | "follower"}.',
  rpcs: [
    { request: '{type: "write", value} (from a client)', reply: '{type: "write_ok"} once the store accepted it, or {type: "error", code: 11} when this node does not hold the lease' },
    { request: '{type: "role"} (from the probe)', reply: '{type: "role_ok", role: "leader" | "follower"}: whether this node believes it holds the lease now' },
    { request: 'to "lock": {type: "acquire"}', reply: '{type: "acquire_ok", token, lease_ms} (a new term, or yours renewed), or {type: "error", code: 11} while another node holds it' },
    { request: 'to "store": {type: "write", value, token}', reply: '{type: "write_ok"}, or {type: "error", code: 22} when a higher token has written' },
  ],
  driver(api, spec) {
    return {
      start: () => {
        const askRole = roleAsker(api);
        runServices(api, spec, askRole);
        runClients(api, spec);
        runProbe(api, spec, askRole);
      },
      final: () => {},
    };
  },
  checks: {
    /** The store never accepts a write of an older lease term after one of a newer term (see checkers/leases.ts). */
    fencing(run) {
      const { grants, writes } = observed(run);
      const accepted = writes.filter((w) => w.accepted).length;
      const bad = fencingViolations(writes, grants);
      const metrics = { writesAccepted: accepted, writesRefused: writes.length - accepted, staleWritesAccepted: bad.length, terms: new Set(grants.map((g) => g.token)).size };
      const summary = `${accepted} writes accepted, ${writes.length - accepted} refused over ${metrics.terms} lease terms`;
      if (bad.length === 0) return { ok: true, message: summary, metrics };
      const v = bad[0]!;
      const how = v.untokened
        ? `it carried ${v.write.token === undefined ? "no token" : `token ${JSON.stringify(v.write.token)}, which the lock never granted it`}, so the store could not tell it was stale. Send the lock's token with every write`
        : `its token ${v.term} was below ${v.after.term}: the store must refuse it (it does, when the token is sent)`;
      return {
        ok: false,
        message: `${bad.length} writes of a deposed leader were accepted after its successor had written (${summary}). The first: ${v.write.writer}'s write, made for lease term ${v.term}, landed at ${formatMs(v.write.timeMs)}, after ${v.after.write.writer} had written in term ${v.after.term} at ${formatMs(v.after.write.timeMs)}; ${how}.`,
        metrics,
      };
    },
    /**
     * A node says it leads only while the lock's lease is truly its own (never two at once), and a holder
     * well into its lease says so in at least `minHeldShare` of its answers (default 0.5).
     */
    "single-belief"(run, params) {
      const { grants, claims, roles, unreadable, answers } = observed(run);
      if (unreadable.length) return { ok: false, message: `some answers to {type: "role"} were not {type: "role_ok", role: "leader" | "follower"}: ${unreadable.join("; ")}` };
      if (answers === 0) return { ok: false, message: 'no node answered {type: "role"} within a second' };
      const bad = claimsOutsideLease(claims, grants, absences(run));
      const holding = answersWhileHolding(roles, grants, 150);
      const heldShare = holding.held ? holding.claimed / holding.held : 1;
      const late = Math.max(0, ...bad.map((c) => claimLateMs(c, grants) ?? 0));
      const metrics = { leaderAnswers: claims.length, claimsOutsideLease: bad.length, lateClaimMsMax: Math.round(late * 10) / 10, leaderShareWhileHolding: Math.round(heldShare * 1000) / 1000 };
      const summary = `${claims.length} of ${answers} answers said "leader"`;
      const minShare = params.minHeldShare ?? 0.5;
      if (bad.length === 0 && heldShare < minShare)
        return { ok: false, message: `${summary}: of the ${holding.held} answers given by a node well into a lease of its own, only ${holding.claimed} said "leader" (at least ${minShare * 100}% needed). Answer "leader" while you hold the lease.`, metrics };
      if (bad.length === 0) return { ok: true, message: `${summary}, each while that node truly held the lease (${holding.claimed} of the ${holding.held} answers of a holder well into its lease)`, metrics };
      const c = bad[0]!;
      const own = grants.filter((g) => g.holder === c.node && g.untilMs <= c.fromMs).at(-1);
      const other = grants.find((g) => g.holder !== c.node && g.fromMs <= c.toMs && c.fromMs < g.untilMs);
      const context = [own ? `its lease had run out at ${formatMs(own.untilMs)} by the lock's clock` : "the lock had never granted it the lease", other ? `${other.holder} held it (token ${other.token})` : ""].filter(Boolean).join(", and ");
      return {
        ok: false,
        message: `${bad.length} answers said "leader" from a node whose lease was not valid (${summary}). The first: ${c.node} between ${formatMs(c.fromMs)} and ${formatMs(c.toMs)}, though ${context}${late > 0 ? `; one was asked ${formatMs(late)} after the node's lease had ended` : ""}. Time the lease from before you asked for it, with a margin for clock drift, and check the clock when you use it.`,
        metrics,
      };
    },
    /**
     * Someone holds the lease at all times but after a holder's crash or pause, and then another node takes
     * it within `maxMs` of its end (so within lease + maxMs of the fault). Param maxMs.
     */
    failover(run, params) {
      const maxMs = params.maxMs ?? 100;
      const { grants, cuts } = observed(run);
      // A holder cut off from the lock cannot renew either: its lapse is the fault's, as a crash's is.
      const away = new Map([...absences(run)].map(([node, list]) => [node, [...list, ...cuts.filter((c) => c.node === node)]]));
      const gaps = leaseGaps(grants, away, leaseMsOf(run), run.scenario.durationMs);
      const slowest = Math.round(Math.max(0, ...gaps.filter((g) => g.toMs < run.scenario.durationMs).map((g) => g.toMs - g.fromMs)));
      const metrics = { leaseGaps: gaps.length, longestGapMs: slowest, lapsesWhileUp: gaps.filter((g) => g.holder !== undefined && !g.holderAway).length };
      const lapse = gaps.find((g) => g.holder !== undefined && !g.holderAway);
      if (lapse)
        return {
          ok: false,
          message: `the lease of ${lapse.holder} lapsed at ${formatMs(lapse.fromMs)}, and nobody held it for ${(lapse.toMs - lapse.fromMs).toFixed(1)} ms, though ${lapse.holder} was up and running (${metrics.lapsesWhileUp} such lapses): renew well before the lease ends, allowing for the lock's answer time.`,
          metrics,
        };
      const slow = gaps.find((g) => g.toMs - g.fromMs > maxMs);
      if (slow) {
        const what = slow.holder === undefined ? "at the start, nobody" : `after ${slow.holder}'s lease ended (it was down, paused or cut off from the lock), nobody`;
        return { ok: false, message: `${what} held the lease from ${formatMs(slow.fromMs)} to ${formatMs(slow.toMs)}: ${formatMs(slow.toMs - slow.fromMs)}, more than ${formatMs(maxMs)}. Nodes that do not lead must keep asking the lock, often enough to take over soon after a lease ends.`, metrics };
      }
      return { ok: true, message: `${gaps.length} gaps without a leader, each after a crash or pause, the longest ${formatMs(slowest)} (at most ${formatMs(maxMs)})`, metrics };
    },
    /** At least `minShare` of the clients' writes were acknowledged. Param minShare. */
    availability(run, params) {
      const min = params.minShare ?? 0.9;
      const ops = completedOps(run.history).filter((op) => op.f === "write");
      const ok = ops.filter((op) => op.status === "ok").length;
      const share = ops.length ? ok / ops.length : 0;
      const metrics = { writes: ops.length, writesOk: ok, okShare: Math.round(share * 1000) / 1000 };
      const summary = `${ok} of ${ops.length} writes acknowledged (${(share * 100).toFixed(1)}%)`;
      if (ops.length > 0 && share >= min) return { ok: true, message: `${summary}, at least ${(min * 100).toFixed(0)}% needed`, metrics };
      return { ok: false, message: `${summary}, fewer than the ${(min * 100).toFixed(0)}% needed. The node holding the lease must write each value to the store with its token and answer write_ok.`, metrics };
    },
  },
};
