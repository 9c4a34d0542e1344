/**
 * "Design a rate limiter service": the API gateways of three regions ask it, for every request they
 * receive, whether that request's API key may go on (check → { allowed }). Each key has ONE limit for the
 * whole world, per minute of the clock; its traffic may come from every region at once.
 *
 * Traffic (a sample of the users, see sampling.ts): keys of three kinds, so that both ways of getting it
 * wrong show. Four heavy keys send three times their limit, each from its own mix of regions (one all
 * from Europe, one spread evenly…); a few busy keys send up to half their limit, also from their own mix;
 * the many light keys send a few checks a minute. Users are 50% in us-east-1, 30% in eu-west-1, 20% in
 * us-west-2 (the heavy and busy keys each keep their own mix).
 *
 * Scaled traffic: a simulated check stands for `weight` real ones of the same key, and the limit each check
 * carries (`req.limit`) is the key's real limit over the same weight, so a design counts the sample's
 * checks against the sample's limit, and the share it admits is the full system's. The limit's meaning is
 * stated in the request; nothing in a design needs the weight.
 *
 * Correctness, judged per key and per minute window (by when the user sent the check):
 * - within the limit: admitted checks ≤ limit × (1 + tolerance), in every window that no fault touched
 *   (while the limiter's own state is down the prompt asks it to fail open, and a counter lost in a fault
 *   starts again: the windows of the fault and the one after it are not judged);
 * - fair admission: a key is owed min(sent, limit) admissions per window; what it was refused of that
 *   ("shortfall"), over all keys and windows, stays under a bound — faults included: failing closed
 *   refuses exactly what it owes.
 */
import type { Drawn, Prompt, Workload, WorkloadContext } from "../prompt.ts";

const CHECK = 0;
const windowMs = 60_000;
/** Users' regions, for light keys. */
const userRegions: ReadonlyArray<[region: string, share: number]> = [
  ["us-east-1", 0.5],
  ["eu-west-1", 0.3],
  ["us-west-2", 0.2],
];
/** Each heavy or busy key's own mix of regions (us-east-1, eu-west-1, us-west-2), in turn. */
const mixes: ReadonlyArray<readonly [number, number, number]> = [
  [0.5, 0.3, 0.2],
  [0, 1, 0],
  [1 / 3, 1 / 3, 1 / 3],
  [0.2, 0.2, 0.6],
  [0.1, 0.9, 0],
  [0, 0, 1],
];
const heavyKeys = 4;
const heavyShare = 0.3;
/** Heavy keys send this many times their limit (on average over the run). */
const heavyOverLimit = 3;
const busyKeys = 12;
const busyShare = 0.1;
/** Busy keys send this share of their limit on average (the day's peak and bursts stay under it). */
const busyOfLimit = 0.4;
const lightKeys = 20_000;

interface WindowTally {
  sent: number;
  admitted: number;
}

export const rateLimiter: Prompt = {
  name: "rate-limiter",
  summary: "the gateways of three regions ask, request by request, whether an API key is within its one global limit per minute",
  types: [{ name: "check", share: 1, cpuMs: 0.15, timeoutMs: 200, retries: 0, retryDelayMs: 0, responseBytes: 120 }],
  traffic: { peakPerSec: 30_000, meanOverPeak: 0.5 },
  // Nothing exists before the run but the keys; a counter entry takes about 100 bytes in a cache.
  data: { existing: 1000, skew: 0.99, entryBytes: 100, recordBytes: 100 },
  staleBoundMs: 0,
  edgeKey: () => undefined,
  edgeValue: () => "",
  createWorkload: (ctx) => new RateLimiterWorkload(ctx),
  checks: {
    /** Param: tolerance (default 0.1): admitted checks per key and window may exceed the limit by this share. */
    "within-limit"(run, params) {
      const f = run.design.figures;
      const tolerance = params.tolerance ?? 0.1;
      const worst = f.overLimitMax ?? 0;
      if ((f.checksAnswered ?? 0) === 0) return { ok: false, message: "no check was answered: nothing shows the limit held" };
      if (worst > 1 + tolerance) return { ok: false, message: `a key was admitted ${worst}× its limit in one minute (e.g. ${run.design.findings.overLimit}); at most ${1 + tolerance}× is allowed. A key's traffic comes from every region at once: a counter per region lets each region admit the whole limit, so the key gets up to three. Count each key once for the world (each region's checks must reach the others' counts, if not on the hot path then soon after)` };
      return { ok: true, message: `every key within ${worst}× its limit in every minute no fault touched (at most ${1 + tolerance}×; ${f.windowsJudged} key-minutes judged)` };
    },
    /** Param: maxRatio (default 0.005): of the admissions keys were owed (min(sent, limit) per window), the share refused. */
    "fair-admission"(run, params) {
      const f = run.design.figures;
      const max = params.maxRatio ?? 0.005;
      const ratio = f.shortfallRatio ?? 0;
      if (ratio > max) return { ok: false, message: `${((ratio * 100).toFixed(2))}% of the checks keys were owed were refused (at most ${(max * 100).toFixed(2)}%; e.g. ${run.design.findings.shortfall}). A limiter that cannot reach its counters must answer as the prompt says: fail open (allow) and let the gateway serve; a limit split between regions by a fixed share refuses a key whose traffic comes mostly from one region; a counter with no window never lets a key back in` };
      return { ok: true, message: `${((ratio * 100).toFixed(3))}% of owed checks refused (at most ${(max * 100).toFixed(2)}%)${f.badAnswers ? `, ${f.badAnswers} answers without a boolean allowed counted as refusals` : ""}` };
    },
  },
};

class RateLimiterWorkload implements Workload {
  private readonly ctx: WorkloadContext;
  private readonly rng: ReturnType<WorkloadContext["rng"]["fork"]>;
  /** Per key: its limit per window in the sample's checks, and (heavy and busy keys) its mix of regions. */
  private readonly heavyLimit: number;
  private readonly busyLimit: number;
  private readonly lightLimit: number;
  private readonly tallies = new Map<string, WindowTally>();
  private readonly limits = new Map<string, number>();
  private readonly excluded: { fromMs: number; toMs: number } | undefined;
  private answered = 0;
  private admitted = 0;
  private badAnswers = 0;
  private readonly first: Record<string, string> = {};

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx;
    this.rng = ctx.rng.fork("keys");
    // The sample's mean rate (the scenario's peak over the day's shape: simulation.ts schedules a mean of peak / 1.25).
    const perWindow = (ctx.sampledPeakPerSec / 1.25) * (windowMs / 1000);
    this.heavyLimit = Math.max(1, Math.round((perWindow * heavyShare) / heavyKeys / heavyOverLimit));
    this.busyLimit = this.heavyLimit;
    this.lightLimit = this.heavyLimit;
    const fault = ctx.fault;
    // The fault's windows and the next: a counter lost in it starts again, and failing open admits.
    this.excluded = fault ? { fromMs: Math.floor(fault.fromMs / windowMs) * windowMs, toMs: (Math.floor(fault.toMs / windowMs) + 2) * windowMs } : undefined;
  }

  draw(_type: number, nowMs: number): Drawn {
    const r = this.rng;
    const u = r.next();
    let key: string;
    let limit: number;
    let origin: string;
    if (u < heavyShare) {
      const i = Math.floor((u / heavyShare) * heavyKeys);
      key = `heavy-${i}`;
      limit = this.heavyLimit;
      origin = pick(r.next(), mixes[i % mixes.length]!);
    } else if (u < heavyShare + busyShare) {
      const i = Math.floor(((u - heavyShare) / busyShare) * busyKeys);
      key = `busy-${i}`;
      limit = this.busyLimit;
      origin = pick(r.next(), mixes[(i + 1) % mixes.length]!);
    } else {
      key = `key-${Math.floor(r.next() * lightKeys)}`;
      limit = this.lightLimit;
      const v = r.next();
      origin = v < userRegions[0]![1] ? userRegions[0]![0] : v < userRegions[0]![1] + userRegions[1]![1] ? userRegions[1]![0] : userRegions[2]![0];
    }
    void nowMs;
    return { payload: { key, limit }, key, origin };
  }

  observe(_type: number, drawn: Drawn, response: unknown, sentMs: number): void {
    const allowed = (response as { allowed?: unknown } | null)?.allowed;
    if (typeof allowed !== "boolean") {
      this.badAnswers++;
      this.first.badAnswers ??= `check ${drawn.key} answered ${JSON.stringify(response)?.slice(0, 60)}: answer { allowed: true } or { allowed: false }`;
    }
    const ok = allowed === true;
    this.answered++;
    if (ok) this.admitted++;
    const window = Math.floor(sentMs / windowMs);
    const id = `${drawn.key}@${window}`;
    let t = this.tallies.get(id);
    if (!t) {
      this.tallies.set(id, (t = { sent: 0, admitted: 0 }));
      this.limits.set(id, Number(drawn.payload.limit));
    }
    t.sent++;
    if (ok) t.admitted++;
  }

  lost(): void {}

  figures(): Record<string, number> {
    let owed = 0, short = 0, worst = 0, judged = 0;
    let worstId = "", shortId = "", shortMost = 0;
    for (const [id, t] of this.tallies) {
      const limit = this.limits.get(id)!;
      const want = Math.min(t.sent, limit);
      owed += want;
      const missing = Math.max(0, want - t.admitted);
      short += missing;
      if (missing > shortMost) {
        shortMost = missing;
        shortId = id;
      }
      const startMs = Number(id.slice(id.lastIndexOf("@") + 1)) * windowMs;
      if (this.excluded && startMs >= this.excluded.fromMs && startMs < this.excluded.toMs) continue;
      judged++;
      const ratio = t.admitted / limit;
      if (ratio > worst) {
        worst = ratio;
        worstId = id;
      }
    }
    const say = (id: string) => {
      const t = this.tallies.get(id)!;
      const at = id.lastIndexOf("@");
      const minute = Number(id.slice(at + 1));
      return `${id.slice(0, at)} in minute ${minute} (${minute}:00–${minute + 1}:00): ${t.sent} checks, ${t.admitted} admitted, limit ${this.limits.get(id)}`;
    };
    if (worstId) this.first.overLimit = say(worstId);
    if (shortId) this.first.shortfall = say(shortId);
    return {
      checksAnswered: this.answered,
      checksAdmitted: this.admitted,
      admittedRatio: this.answered ? round4(this.admitted / this.answered) : 0,
      overLimitMax: Math.round(worst * 100) / 100,
      windowsJudged: judged,
      shortfallRatio: owed ? round4(short / owed) : 0,
      keyLimitPerMinute: this.heavyLimit,
      badAnswers: this.badAnswers,
    };
  }

  examples(): Record<string, string> {
    return { ...this.first };
  }
}

function pick(u: number, mix: readonly [number, number, number]): string {
  if (u < mix[0]) return "us-east-1";
  if (u < mix[0] + mix[1]) return "eu-west-1";
  return "us-west-2";
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
