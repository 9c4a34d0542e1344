/**
 * The rate-limiter system: clients send requests (Poisson, optionally in bursts) through API gateways;
 * each gateway asks its own instance of the learner's limiter whether to admit. With several gateways
 * each runs in its own realm (no shared memory): every sync period the system carries each gateway's
 * state() to the others' merge() after a network delay.
 *
 * A token bucket is exact: on the same requests there is one right answer for each. So the system runs an
 * exact bucket per client on the requests offered (what a correct limiter admits), and the checks replay
 * what the learner admitted through a bucket of the limit (what any correct limiter may admit): every
 * admitted request must find a token there.
 */
import { hashText } from "../report/hash.ts";
import { createArrivals, type ArrivalSpec } from "../sim/requests/arrivals.ts";
import { RequestLoop } from "../sim/requests/engine.ts";
import { round3 } from "../sim/requests/recorder.ts";
import { formatMs } from "../report/format.ts";
import { realmCount } from "../sim/scenario.ts";
import { componentErrorsCheck } from "./checks.ts";
import { listOption, numberOption } from "./scenario.ts";
import type { ComponentRunData, ComponentSystem, Options, SystemOutcome } from "./types.ts";

const ALLOW = "allow|s";
const STATE = "?state|";
const MERGE = "?merge|s";

function config(options: Options, gateways: number) {
  const rates = String(options.rates ?? "300").split(",").map(Number);
  return {
    ratePerSec: numberOption(options, "ratePerSec", 100),
    burst: numberOption(options, "burst", 20),
    rates,
    /** Client 0's arrivals come in bursts of this factor (0: plain Poisson). */
    burstFactor: numberOption(options, "burstFactor", 0),
    /** One extra burst: `spikeSize` requests at once from client `spikeClient` at `spikeAtMs`. */
    spikeAtMs: numberOption(options, "spikeAtMs", -1),
    spikeSize: numberOption(options, "spikeSize", 0),
    spikeClient: numberOption(options, "spikeClient", 0),
    /** A crowd of further clients after the listed ones, each offering `crowdRatePerSec`. */
    crowd: numberOption(options, "crowd", 0),
    crowdRatePerSec: numberOption(options, "crowdRatePerSec", 0.2),
    shares: listOption(options, "shares", gateways, 1 / gateways),
    syncEveryMs: numberOption(options, "syncEveryMs", 100),
    syncDelayMs: numberOption(options, "syncDelayMs", 10),
  };
}

const clientName = (i: number) => `client-${i + 1}`;

/** Clients whose admitted rate over time the report charts against the limit: the listed ones, not a crowd. */
const clientsCharted = 4;

/** Per listed client, requests admitted in each second of the run (`admittedPerSec.client-1`…), for the charts. */
function admittedPerSecByClient(client: readonly number[], atMs: readonly number[], clients: number, durationMs: number): Record<string, number[]> {
  const seconds = Math.max(1, Math.ceil(durationMs / 1000));
  const counts = Array.from({ length: clients }, () => new Array<number>(seconds).fill(0));
  for (let i = 0; i < client.length; i++) {
    const list = counts[client[i]!];
    if (list) list[Math.min(seconds - 1, Math.floor(atMs[i]! / 1000))]!++;
  }
  return Object.fromEntries(counts.map((list, i) => [`admittedPerSec.${clientName(i)}`, list]));
}

/**
 * Tokens a correct limiter may be ahead of the exact bucket: `Date.now()` counts whole milliseconds, so a
 * limiter that reads `performance.now()` (fractions) refills up to one millisecond's worth sooner.
 */
const clockSlackMs = 1;

export const rateLimiter: ComponentSystem = {
  name: "rate-limiter",
  summary: "clients → gateways, each asking its own limiter allow(client); gateways exchange state() → merge() every sync period",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {}, realmCount(scenario));
    const lines = [
      `limit ${c.ratePerSec}/s per client, burst ${c.burst}; clients offer ${c.rates.map((r, i) => `${clientName(i)} ${r}/s`).join(", ")}${c.burstFactor ? ` (${clientName(0)} in bursts of ${c.burstFactor}×)` : ""}`,
    ];
    if (c.crowd) lines.push(`and a crowd of ${c.crowd} more clients (${clientName(c.rates.length)} to ${clientName(c.rates.length + c.crowd - 1)}), ${c.crowdRatePerSec}/s each`);
    if (c.spikeAtMs >= 0) lines.push(`${clientName(c.spikeClient)} sends ${c.spikeSize} requests at once at ${formatMs(c.spikeAtMs)}`);
    if (realmCount(scenario) > 1) lines.push(`${realmCount(scenario)} gateways take ${c.shares.map((s) => `${Math.round(s * 100)}%`).join(" / ")} of each client's requests; state is exchanged every ${c.syncEveryMs} ms, ${c.syncDelayMs} ms in transit`);
    return lines;
  },
  run(ctx): SystemOutcome {
    const gateways = ctx.ports.length;
    const c = config(ctx.options, gateways);
    const durationMs = ctx.scenario.durationMs;
    const loop = new RequestLoop();
    const limiters = ctx.ports.map((port, g) => port.create(undefined, { ratePerSec: c.ratePerSec, burst: c.burst, gateways, gateway: g }));
    if (limiters.some((l) => l === undefined)) return { figures: {}, series: {}, recordHash: hashText("no limiter"), events: 0, simulatedMs: 0 };
    const rates = [...c.rates, ...Array.from({ length: c.crowd }, () => c.crowdRatePerSec)];
    const clients = rates.length;
    const offered = new Array<number>(clients).fill(0);
    const admitted = new Array<number>(clients).fill(0);
    const exact = Array.from({ length: clients }, () => new ExactBucket(c.ratePerSec, c.burst));
    const exactAdmitted = new Array<number>(clients).fill(0);
    // What the learner admitted, in time order: for the checks' replay through a bucket of the limit.
    const admittedClient: number[] = [];
    const admittedAtMs: number[] = [];
    const admittedByGateway = new Array<number>(gateways * clients).fill(0);
    // Every decision, for the diagnosis (does the limiter decide as a fixed window would?).
    const decidedClient: number[] = [];
    const decidedAtMs: number[] = [];
    const decidedYes: boolean[] = [];
    let record = "";
    const records: string[] = [];
    const route = ctx.rng.fork("gateways");
    let invalidAnswers = 0;
    let invalidStates = 0;

    const request = (client: number): boolean => {
      let g = 0;
      if (gateways > 1) {
        const u = route.next();
        let acc = 0;
        for (g = 0; g < gateways - 1; g++) if (u < (acc += c.shares[g]!)) break;
      }
      const port = ctx.ports[g]!;
      port.nowMs = loop.nowMs;
      const faultsBefore = port.faults;
      const answer = port.call(limiters[g]!, ALLOW, 0, 0, 0, clientName(client));
      if (typeof answer !== "boolean") {
        // A thrown allow() is already recorded; an answer that is no boolean is recorded here, the first one.
        if (port.faults === faultsBefore && invalidAnswers === 0) port.complain(`allow(${JSON.stringify(clientName(client))}) returned ${answer === undefined ? "nothing" : JSON.stringify(answer)}: it must return true or false (counted as refused)`);
        invalidAnswers++;
      }
      offered[client]!++;
      // The clock a limiter is told to read: Date.now() counts whole milliseconds.
      const nowMs = Math.trunc(loop.nowMs);
      if (exact[client]!.take(nowMs)) exactAdmitted[client]!++;
      decidedClient.push(client);
      decidedAtMs.push(nowMs);
      decidedYes.push(answer === true);
      if (answer === true) {
        admitted[client]!++;
        admittedByGateway[g * clients + client]!++;
        admittedClient.push(client);
        admittedAtMs.push(loop.nowMs);
      }
      record += answer === true ? "1" : "0";
      if (record.length > 8192) {
        records.push(record);
        record = "";
      }
      return answer === true;
    };
    rates.forEach((rate, client) => {
      if (!(rate > 0)) return;
      const spec: ArrivalSpec = { ratePerSec: rate, ...(client === 0 && c.burstFactor > 0 ? { bursts: { everyMs: 1500, lengthMs: 200, factor: c.burstFactor } } : {}) };
      const arrivals = createArrivals(spec, durationMs, ctx.rng.fork(`client/${client}`));
      const kind = loop.on(() => {
        request(client);
        const next = arrivals.next();
        if (next !== Infinity) loop.at(next, kind);
      });
      const first = arrivals.next();
      if (first !== Infinity) loop.at(first, kind);
    });
    let spikeAdmitted = 0;
    let spikeExact = 0;
    if (c.spikeAtMs >= 0) {
      loop.at(c.spikeAtMs, loop.on(() => {
        const before = exactAdmitted[c.spikeClient]!;
        for (let i = 0; i < c.spikeSize; i++) if (request(c.spikeClient)) spikeAdmitted++;
        spikeExact = exactAdmitted[c.spikeClient]! - before;
      }));
    }
    if (gateways > 1) {
      // Gossip: each gateway's state reaches every other gateway after the network delay.
      const deliverKind = loop.on((from, slot) => {
        const state = inFlight[slot]!;
        inFlight[slot] = undefined;
        for (let g = 0; g < gateways; g++) {
          if (g === from) continue;
          ctx.ports[g]!.nowMs = loop.nowMs;
          ctx.ports[g]!.call(limiters[g]!, MERGE, 0, 0, 0, state);
        }
      });
      const inFlight: Array<string | undefined> = [];
      const syncKind = loop.on(() => {
        for (let g = 0; g < gateways; g++) {
          const port = ctx.ports[g]!;
          port.nowMs = loop.nowMs;
          const faultsBefore = port.faults;
          const state = port.call(limiters[g]!, STATE);
          if (typeof state !== "string") {
            // No state() at all is a choice (the gateways then work alone); anything else but a string cannot travel.
            if (state !== undefined && port.faults === faultsBefore && invalidStates === 0) port.complain(`state() returned ${JSON.stringify(state)} (a ${typeof state}): it must return a string, which the other gateways get in merge()`);
            if (state !== undefined) invalidStates++;
            continue;
          }
          inFlight.push(state);
          loop.at(loop.nowMs + c.syncDelayMs, deliverKind, g, inFlight.length - 1);
        }
        if (loop.nowMs + c.syncEveryMs < durationMs) loop.at(loop.nowMs + c.syncEveryMs, syncKind);
      });
      loop.at(c.syncEveryMs, syncKind);
    }
    loop.run();

    // Saturated clients offer well over the limit; light ones well under it (a bucket of the limit admits all of theirs).
    const saturated = rates.map((r, i) => (r >= 1.5 * c.ratePerSec ? i : -1)).filter((i) => i >= 0);
    const light = rates.map((r, i) => (r > 0 && r <= 0.8 * c.ratePerSec ? i : -1)).filter((i) => i >= 0);
    const ofExact = (i: number) => (exactAdmitted[i]! > 0 ? admitted[i]! / exactAdmitted[i]! : 1);
    const worst = (list: number[]) => list.reduce((best, i) => (best < 0 || ofExact(i) < ofExact(best) ? i : best), -1);
    const worstSaturated = worst(saturated);
    const worstLight = worst(light);
    const figures: Record<string, number> = {
      requests: offered.reduce((a, b) => a + b, 0),
      admitted: admitted.reduce((a, b) => a + b, 0),
      exactAdmitted: exactAdmitted.reduce((a, b) => a + b, 0),
      clients,
      gateways,
      saturatedUse: worstSaturated >= 0 ? round3(ofExact(worstSaturated)) : 1,
      saturatedClient: worstSaturated,
      lightAdmitted: worstLight >= 0 ? round3(ofExact(worstLight)) : 1,
      lightClient: worstLight,
      lightClients: light.length,
      spikeSize: c.spikeSize,
      spikeAdmitted,
      spikeExact,
      spikeAtMs: c.spikeAtMs,
      burst: c.burst,
      ratePerSec: c.ratePerSec,
      durationMs,
      invalidAnswers,
      invalidStates,
      likeFixedWindow: gateways === 1 ? fixedWindowLimit(decidedClient, decidedAtMs, decidedYes, clients) : 0,
      likeBucketVariant: gateways === 1 ? bucketVariant(decidedClient, decidedAtMs, decidedYes, clients, c.ratePerSec, c.burst) : -1,
    };
    return {
      figures,
      series: { offered, admitted, exactAdmitted, admittedClient, admittedAtMs, admittedByGateway, ...admittedPerSecByClient(admittedClient, admittedAtMs, Math.min(c.rates.length, clientsCharted), durationMs) },
      recordHash: hashText(records.join("") + record),
      events: loop.events,
      simulatedMs: durationMs,
      ...(loop.stopped ? { fatal: loop.stopped } : {}),
    };
  },
  checks: {
    // Realm n1 holds gateway 0 (the `gateway` its factory was given), n2 gateway 1, and so on.
    "no-errors": componentErrorsCheck((e) => `${e.node === "component" ? "the limiter" : `the limiter of gateway ${Number(String(e.node).slice(1)) - 1}`} at ${formatMs(e.timeMs)}`),
    /**
     * Never over the limit: every admitted request, replayed through a token bucket of the limit (per
     * client, all gateways together), finds a token. Param: max, a tolerance on the rate and the burst
     * (1: exact; more where gateways cannot know at once what the others admitted).
     */
    limit(run, params) {
      const f = run.components.figures;
      const s = run.components.series;
      const max = params.max ?? 1;
      const rate = f.ratePerSec! * max;
      const burst = f.burst! * max;
      const replay = replayThroughBucket(s.admittedClient!, s.admittedAtMs!, f.clients!, rate, burst, (rate * clockSlackMs) / 1000);
      const bucket = `a token bucket of ${fmt(rate)}/s and ${fmt(burst)} tokens${max > 1 ? ` (the limit with a tolerance of ${max}×)` : ""}`;
      if (replay.over === 0) return { ok: true, message: `every admitted request found a token in ${bucket}; ${f.admitted} of ${f.requests} admitted (an exact bucket of the limit admits ${f.exactAdmitted})` };
      const v = replay.first!;
      const evidence = `${clientName(v.client)}'s request at ${formatMs(v.atMs)} was the ${ordinal(v.count)} admitted since ${formatMs(v.sinceMs)}, and in those ${formatMs(v.atMs - v.sinceMs)} ${bucket} admits at most ${fmt(v.allowed)}`;
      const worst = `At worst ${clientName(replay.worstClient)} was ${replay.worstExcess} request${replay.worstExcess === 1 ? "" : "s"} ahead of the bucket (at ${formatMs(replay.worstAtMs)})`;
      return { ok: false, message: `${replay.over} of the ${f.admitted} admitted requests would not have been admitted by ${bucket}. First: ${evidence}. ${worst}. ${limitCause(run, replay, rate, burst)}` };
    },
    /** A client asking for more than the limit gets (nearly) what an exact token bucket admits. Param: min (0…1). */
    throughput(run, params) {
      const f = run.components.figures;
      const s = run.components.series;
      const min = params.min ?? 0.95;
      if (f.saturatedClient! < 0) return { ok: true, message: "no client offers more than the limit here" };
      const i = f.saturatedClient!;
      const text = `${clientName(i)}, offering ${s.offered![i]} requests, had ${s.admitted![i]} admitted: ${pct(f.saturatedUse!)} of the ${s.exactAdmitted![i]} an exact token bucket of the limit admits`;
      if (f.saturatedUse! < min) return { ok: false, message: `${text}; it should get at least ${pct(min)}. ${throughputCause(run, i)}` };
      return { ok: true, message: text };
    },
    /** Up to `burst` requests at once after a quiet spell all go through, as an exact bucket admits them. */
    burst(run) {
      const f = run.components.figures;
      const text = `${f.spikeAdmitted} of ${f.spikeSize} requests sent at once at ${formatMs(f.spikeAtMs!)} after a quiet spell were admitted (an exact bucket of ${f.burst} tokens admits ${f.spikeExact})`;
      if (f.spikeAdmitted! < f.spikeExact!) return { ok: false, message: `${text}. A token bucket that has been idle is full: it admits a burst at once, up to its ${f.burst} tokens.` };
      return { ok: true, message: text };
    },
    /** Clients under their limit are not hurt by a heavy one: what an exact bucket admits of theirs. Param: min (0…1). */
    fairness(run, params) {
      const f = run.components.figures;
      const s = run.components.series;
      const min = params.min ?? 0.99;
      if (f.lightClient! < 0) return { ok: true, message: "no client stays under the limit here" };
      const i = f.lightClient!;
      const text = `the worst treated of ${f.lightClients} light clients (under 80% of the limit), ${clientName(i)}, had ${s.admitted![i]} of its ${s.offered![i]} requests admitted (${pct(f.lightAdmitted!)} of the ${s.exactAdmitted![i]} an exact bucket admits)`;
      if (f.lightAdmitted! < min) return { ok: false, message: `${text}; need ${pct(min)}. Keep one bucket per client, so a heavy client spends only its own tokens.` };
      return { ok: true, message: text };
    },
  },
};

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A count or rate for people: whole where it is, one decimal otherwise (110.00000000000001 reads 110). */
function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

/** The exact token bucket: starts full, refills continuously, a request takes one whole token or is refused. */
class ExactBucket {
  private tokens: number;
  private lastMs = 0;
  private readonly ratePerSec: number;
  private readonly burst: number;

  constructor(ratePerSec: number, burst: number) {
    this.ratePerSec = ratePerSec;
    this.burst = burst;
    this.tokens = burst;
  }

  take(nowMs: number): boolean {
    // Written as most limiters write it ((ms × rate) / 1000): at whole milliseconds ties are common, and
    // the same arithmetic breaks them the same way.
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.ratePerSec) / 1000);
    this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface Violation {
  client: number;
  atMs: number;
  /** The window the evidence speaks of: since the bucket was last full, and how many were admitted in it. */
  sinceMs: number;
  count: number;
  allowed: number;
}

interface Replay {
  /** Admitted requests a bucket of the limit cannot cover, given it covers every one it can: what a correct limiter would have refused. */
  over: number;
  first?: Violation;
  /** The most requests admitted beyond the bucket at any moment (every admission taking a token, into debt), and when. */
  worstExcess: number;
  worstAtMs: number;
  worstClient: number;
}

/**
 * Replays the admitted requests through a bucket per client. Two ledgers: one skips the requests it
 * cannot cover (their number is `over`), the other lets every admission take a token, into debt (its
 * deepest debt is how far ahead of the limit the limiter got). The first keeps when its bucket was last
 * full, so the first violation comes with its window: `count` admitted since `sinceMs`, where the limit
 * allows burst + rate × time. A request may be up to `slackTokens` short of a whole token (the clock's grain).
 */
export function replayThroughBucket(clientOf: readonly number[], atMs: readonly number[], clients: number, ratePerSec: number, burst: number, slackTokens: number): Replay {
  const perMs = ratePerSec / 1000;
  const tokens = new Float64Array(clients).fill(burst);
  const debt = new Float64Array(clients).fill(burst);
  const lastMs = new Float64Array(clients);
  const fullSinceMs = new Float64Array(clients);
  const sinceFull = new Int32Array(clients);
  const replay: Replay = { over: 0, worstExcess: 0, worstAtMs: 0, worstClient: -1 };
  const short = 1 - slackTokens - 1e-9;
  for (let i = 0; i < clientOf.length; i++) {
    const c = clientOf[i]!;
    const t = atMs[i]!;
    const gained = (t - lastMs[c]!) * perMs;
    lastMs[c] = t;
    debt[c] = Math.min(burst, debt[c]! + gained);
    if (debt[c]! < short) {
      const excess = Math.ceil(1 - slackTokens - debt[c]!);
      if (excess > replay.worstExcess) Object.assign(replay, { worstExcess: excess, worstAtMs: t, worstClient: c });
    }
    debt[c]! -= 1;
    const refilled = tokens[c]! + gained;
    if (refilled >= burst) {
      // Full again at this moment: the window of the evidence starts here.
      fullSinceMs[c] = perMs > 0 ? Math.min(t, t - gained / perMs + (burst - tokens[c]!) / perMs) : t;
      sinceFull[c] = 0;
      tokens[c] = burst;
    } else tokens[c] = refilled;
    sinceFull[c]!++;
    if (tokens[c]! < short) {
      replay.over++;
      replay.first ??= { client: c, atMs: t, sinceMs: fullSinceMs[c]!, count: sinceFull[c]!, allowed: burst + (t - fullSinceMs[c]!) * perMs };
      continue;
    }
    tokens[c]! -= 1;
  }
  return replay;
}

/**
 * The count per calendar second if every decision is a fixed window's (admit while fewer than that many of
 * the client's requests were admitted in this second), else 0. Each client's count is the most it had
 * admitted in any one second; a client that was never refused tells nothing and is skipped.
 */
function fixedWindowLimit(clientOf: readonly number[], atMs: readonly number[], yes: readonly boolean[], clients: number): number {
  const perSecond = new Map<number, number>();
  const most = new Int32Array(clients);
  for (let i = 0; i < clientOf.length; i++) {
    if (!yes[i]) continue;
    const key = clientOf[i]! * 1e6 + Math.floor(atMs[i]! / 1000);
    const n = (perSecond.get(key) ?? 0) + 1;
    perSecond.set(key, n);
    if (n > most[clientOf[i]!]!) most[clientOf[i]!] = n;
  }
  perSecond.clear();
  const refused = new Uint8Array(clients);
  let limit = 0;
  for (let i = 0; i < clientOf.length; i++) {
    const c = clientOf[i]!;
    const key = c * 1e6 + Math.floor(atMs[i]! / 1000);
    const n = perSecond.get(key) ?? 0;
    if (yes[i] !== n < most[c]!) return 0;
    if (yes[i]) perSecond.set(key, n + 1);
    else refused[c] = 1;
  }
  for (let c = 0; c < clients; c++) if (refused[c]) limit = Math.max(limit, most[c]!);
  return limit;
}

/** Buckets that look right and are not, as a diagnosis tries them on the limiter's decisions. */
const bucketMistakes = [
  { capacityExtra: 1, needTokens: 1, refillAfterRefusal: false, words: "holds one token more than the burst (it starts with or caps at burst + 1)" },
  { capacityExtra: 0, needTokens: 0, refillAfterRefusal: false, words: "admits while any fraction of a token is left (tokens > 0), running up to one token into debt: a request needs a whole token (tokens ≥ 1)" },
  { capacityExtra: 0, needTokens: 1, refillAfterRefusal: true, words: "adds the refill on every call but moves its last-refill time only when it admits, so after a refusal the same time is added again: move it on every call" },
];

/**
 * The index of the mistake whose decisions are closest to the limiter's, if they differ on at most 1% of
 * the requests, or −1. Not exact: at whole milliseconds and 100 tokens a second, a bucket lands on exactly
 * 0 or 1 token often, and the way a limiter writes its arithmetic decides those ties.
 */
function bucketVariant(clientOf: readonly number[], atMs: readonly number[], yes: readonly boolean[], clients: number, ratePerSec: number, burst: number): number {
  let best = -1;
  let bestDiffer = Math.floor(clientOf.length / 100);
  for (let v = 0; v < bucketMistakes.length; v++) {
    const m = bucketMistakes[v]!;
    const capacity = burst + m.capacityExtra;
    const tokens = new Float64Array(clients).fill(capacity);
    const lastMs = new Float64Array(clients);
    let differ = 0;
    for (let i = 0; i < clientOf.length; i++) {
      const c = clientOf[i]!;
      tokens[c] = Math.min(capacity, tokens[c]! + ((atMs[i]! - lastMs[c]!) * ratePerSec) / 1000);
      const admit = m.needTokens > 0 ? tokens[c]! >= 1 : tokens[c]! > 0;
      if (admit || !m.refillAfterRefusal) lastMs[c] = atMs[i]!;
      if (admit) tokens[c]! -= 1;
      if (admit !== yes[i]) differ++;
    }
    if (differ <= bestDiffer) {
      best = v;
      bestDiffer = differ;
    }
  }
  return best;
}

/**
 * Moments after the first second where a client had a whole burst admitted within a quarter of the time
 * the rate needs for it, while it kept asking: its bucket was full again although it never rested.
 */
function refills(run: ComponentRunData, client: number): { count: number; firstAtMs: number; windowMs: number } {
  const f = run.components.figures;
  const s = run.components.series;
  const burst = Math.max(2, Math.floor(f.burst!));
  const windowMs = (burst * 1000) / f.ratePerSec! / 4;
  const times: number[] = [];
  for (let i = 0; i < s.admittedClient!.length; i++) if (s.admittedClient![i] === client) times.push(s.admittedAtMs![i]!);
  let count = 0;
  let firstAtMs = -1;
  for (let i = burst - 1; i < times.length; i++) {
    if (times[i - burst + 1]! < 1000 || times[i]! - times[i - burst + 1]! > windowMs) continue;
    count++;
    if (firstAtMs < 0) firstAtMs = times[i - burst + 1]!;
    i += burst - 1;
  }
  return { count, firstAtMs, windowMs };
}

/** Why the limit was broken, from the run's facts: the hint that fits the cause found. */
function limitCause(run: ComponentRunData, replay: Replay, rate: number, burst: number): string {
  const f = run.components.figures;
  const s = run.components.series;
  const client = replay.first!.client;
  const seconds = f.durationMs! / 1000;
  const averagePerSec = s.admitted![client]! / seconds;
  // Several gateways, one of which alone admits about the whole limit while the others add theirs.
  if (f.gateways! > 1) {
    const perGateway = Array.from({ length: f.gateways! }, (_, g) => s.admittedByGateway![g * f.clients! + client]!);
    const whole = f.ratePerSec! * seconds + f.burst!;
    if (Math.max(...perGateway) >= 0.9 * whole && averagePerSec * seconds > whole) {
      return `At the ${f.gateways} gateways ${clientName(client)} had ${perGateway.join(" + ")} requests admitted (${fmt(averagePerSec)}/s), where the limit allows about ${fmt(whole)} in all: the busiest gateway alone admits the whole limit, and the others add theirs. Give each gateway a share of it, by where the client's traffic goes (exchange counts in state() and merge()).`;
    }
  }
  if (f.likeFixedWindow! > 0) {
    return `Every decision is a fixed window's: admit while fewer than ${f.likeFixedWindow} of the client's requests went through in the current calendar second, and start again at the next. The count resets at once at a boundary, so a second's allowance can follow the previous one's right away: up to twice it around a boundary, and ${f.likeFixedWindow} at once where the bucket allows ${fmt(burst)}. A token bucket refills gradually instead: ratePerSec tokens a second, at most burst of them.`;
  }
  if (f.likeBucketVariant! >= 0) return `Its decisions are those of a token bucket that ${bucketMistakes[f.likeBucketVariant!]!.words}.`;
  const again = refills(run, client);
  if (again.count > 0 && s.offered![client]! > 1.5 * f.ratePerSec! * seconds) {
    return `${again.count} times after the first second it admitted a whole burst (${Math.floor(f.burst!)}) of ${clientName(client)}'s requests within ${formatMs(again.windowMs)}, first at ${formatMs(again.firstAtMs)}, though the client never stopped asking: its bucket started full again, as a bucket forgotten and created anew does. Keep each client's bucket; to bound memory, drop only buckets that have refilled to full (they are the same as new ones).`;
  }
  if (averagePerSec > rate + burst / seconds) {
    return `Over the run it admitted ${fmt(averagePerSec)} of ${clientName(client)}'s requests per second, more than the ${fmt(rate)}/s the limit refills: add ratePerSec × the seconds elapsed, no more, and take one token per admitted request.`;
  }
  return `On average it stays within the rate, so the excess is in bursts: a bucket holds at most ${fmt(burst)} tokens (start full, never above), and a request needs a whole token (tokens ≥ 1, not > 0).`;
}

/** Why a saturated client got less than the exact bucket, from the run's facts. */
function throughputCause(run: ComponentRunData, client: number): string {
  const f = run.components.figures;
  const s = run.components.series;
  if (f.invalidAnswers! > 0) return `${f.invalidAnswers} answers of allow() were not true or false, and count as refused: return a boolean.`;
  if (s.admitted![client] === 0) return "It admitted none of them: a bucket starts full and refills by the time since the last call.";
  if (f.gateways! > 1) {
    const perGateway = Array.from({ length: f.gateways! }, (_, g) => s.admittedByGateway![g * f.clients! + client]!);
    const busiest = Math.max(...perGateway);
    const fixedShare = (f.ratePerSec! / f.gateways!) * (f.durationMs! / 1000) + f.burst!;
    if (busiest <= fixedShare * 1.1) {
      return `The busiest gateway admitted ${busiest} (per gateway: ${perGateway.join(", ")}), about a fixed 1/${f.gateways} of the limit, while the quiet gateways left theirs unused: set each gateway's share by where the client's traffic goes, learned through state() and merge().`;
    }
    return `Per gateway it admitted ${perGateway.join(", ")}: the shares add up to less than the limit. They should add up to about 1 wherever the traffic goes.`;
  }
  return "Refill continuously by the time since the last request (ratePerSec × seconds, up to the burst), and admit whenever a whole token is there.";
}
