/**
 * "Design a notification system": the company's services ask it to notify a user (notify → { accepted }),
 * and it delivers each notification through third-party providers (design/world.ts ProviderComponent:
 * a push service with its own rate limit, per-send price, slow answers and outages). At launch: 1,000
 * notifications a second at the day's peak, nearly all transactional (a login code, a payment, a new
 * message: wanted within seconds). A task may add a marketing blast (the scenario's surge: 50× the peak
 * for a minute, one notification to each of millions of users, wanted within minutes).
 *
 * Traffic (a sample of the users, see sampling.ts): most notifications go to users drawn from 50 million
 * (Zipf 0.8, so a user rarely gets two in a minute); three heavy users (an account whose followers never
 * stop liking its posts) get twice the per-user limit every minute, in the sample's units. The calling
 * services give up on a request after 2 s and try again with the same notificationId (up to 3 times), and
 * one answer in 1,000 is lost on the way back, so they send again what the system already has.
 *
 * Correctness, judged on what the providers delivered (Workload.delivered), per notification:
 * - duplicates: a user received the same notification (by its id) more than once, from any provider;
 * - lost: the system accepted it (answered ok) and the user never received it. The per-user limit
 *   excuses some: in each minute (by the notification's `at`), a user is owed min(accepted, K − the
 *   unaccepted ones delivered anyway) of the accepted ones; fewer delivered is a loss. Only notifications
 *   made at least a minute before users stop sending are judged (the rest may still be on their way);
 * - per-user limit: at most K notifications per user per minute of `at` (K = 3: the prompt's stand-in
 *   for "a few an hour", so that a run of minutes judges many windows); the rest dropped (or digested);
 * - delivery delay: from `at` to the first delivery, per kind (p99 and the longest).
 */
import type { DesignCheck } from "../checks.ts";
import type { Drawn, Prompt, Workload, WorkloadContext } from "../prompt.ts";
import { LinkUniverse } from "../links.ts";
import { percentile } from "../../checkers/stats.ts";

/** Notifications per user per minute of their `at`. */
export const perUserPerMinute = 3;
const windowMs = 60_000;
/** Notifications made in the last minute before users stop sending are not judged for loss. */
const judgeTailMs = 60_000;
const users = 50_000_000;
const userSkew = 0.8;
const heavyUsers = 3;
/** A heavy user gets this many times the limit per minute (in the sample). */
const heavyOverLimit = 2;

interface Notification {
  id: string;
  user: string;
  kind: "transactional" | "marketing";
  atMs: number;
  acked: boolean;
  /** When each delivery reached the user (two or more: a duplicate). */
  deliveries: number[];
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

const checks: Record<string, DesignCheck> = {
  duplicates(run) {
    const f = run.design.figures;
    const d = f.duplicates ?? 0;
    if (d > 0) return { ok: false, message: `${d} deliveries repeated a notification the user already had (e.g. ${run.design.findings.duplicates}). A send that timed out may have been delivered, and a message a consumer crashed on comes back: send every attempt with the notification's own id as the provider's idempotency key, and do not hand a send that merely timed out to a second provider` };
    const repeats = Object.keys(f).filter((k) => k.startsWith("repeats.")).reduce((n, k) => n + f[k]!, 0);
    return { ok: true, message: `no user got a notification twice (${f.deliveredNotifications ?? 0} delivered; the providers answered ${repeats} repeated idempotency keys without delivering again)` };
  },
  lost(run) {
    const f = run.design.figures;
    const lost = f.lostNotifications ?? 0;
    const wrong = f.misdelivered ?? 0;
    if (wrong > 0) return { ok: false, message: `${wrong} deliveries went to a user the notification was not for, or carried a body that is no notification's text (e.g. ${run.design.findings.misdelivered}): send the request's text to the request's user` };
    if (lost > 0) return { ok: false, message: `${lost} accepted notifications never reached their user, beyond what the per-user limit excuses (e.g. ${run.design.findings.lostNotifications}). Answer accepted only once the notification is in a durable queue, and take a message off the queue only once a provider has it: a send you do not wait for, or an error you swallow, is a notification lost` };
    return { ok: true, message: `every accepted notification was delivered or excused by the per-user limit (${f.judgedNotifications ?? 0} judged)` };
  },
  "per-user-limit"(run) {
    const f = run.design.figures;
    const over = f.overLimit ?? 0;
    if (over > 0) return { ok: false, message: `${over} notifications beyond ${perUserPerMinute} per user in a minute (e.g. ${run.design.findings.overLimit}): count each user's notifications per minute of their \`at\` before sending, once per notification (a retried one is the same one), and drop the rest` };
    return { ok: true, message: `no user got more than ${perUserPerMinute} notifications in a minute (${f.limitedNotifications ?? 0} held back by the limit)` };
  },
  /** Params: transactionalP99MaxMs, marketingMaxMs, maxMs (any kind). */
  "delivery-delay"(run, params) {
    const f = run.design.figures;
    const over: string[] = [];
    const seen: string[] = [];
    const gate = (label: string, figure: string, limit: number | undefined) => {
      const value = f[figure];
      if (limit === undefined || value === undefined) return;
      seen.push(`${label} ${fmt(value)}`);
      if (value > limit) over.push(`${label} ${fmt(value)} > ${fmt(limit)}`);
    };
    gate("transactional p99", "transactionalDelayP99Ms", params.transactionalP99MaxMs);
    gate("marketing longest", "marketingDelayMaxMs", params.marketingMaxMs);
    gate("longest", "delayMaxMs", params.maxMs);
    if (over.length) return { ok: false, message: `notifications reached users too late: ${over.join(", ")} (from the event's \`at\` to its first delivery). A transactional notification queued behind a marketing blast waits for the whole blast: give the kinds their own queues and keep the blast's sends below the provider's rate, so the urgent ones find room` };
    return { ok: true, message: seen.length ? `delivered in time: ${seen.join(", ")}` : "no delivery delay gated" };
  },
};

export const notifications: Prompt = {
  name: "notifications",
  summary: "push notifications for 50 M users through third-party providers: bursts, provider outages, retries, per-user limits",
  types: [{ name: "notify", share: 1, cpuMs: 0.3, timeoutMs: 2000, retries: 3, retryDelayMs: 500, responseBytes: 100, responseLoss: 0.001 }],
  traffic: { peakPerSec: 1000, meanOverPeak: 0.5 },
  data: { existing: 0, skew: 0.99, entryBytes: 100, recordBytes: 300 },
  staleBoundMs: 0,
  edgeKey: () => undefined,
  edgeValue: () => "",
  createWorkload: (ctx) => new NotificationWorkload(ctx),
  checks,
};

class NotificationWorkload implements Workload {
  private readonly ctx: WorkloadContext;
  private readonly rng: ReturnType<WorkloadContext["rng"]["fork"]>;
  private readonly universe = new LinkUniverse(users, userSkew);
  private readonly byId = new Map<string, Notification>();
  private readonly all: Notification[] = [];
  private readonly heavyShare: number;
  private made = 0;
  private misdelivered = 0;
  private readonly first: Record<string, string> = {};

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx;
    this.rng = ctx.rng.fork("notifications");
    // Heavy users' notifications per second of the sample, over the sample's peak rate (capped at half of it).
    this.heavyShare = Math.min(0.5, (heavyUsers * heavyOverLimit * perUserPerMinute) / 60 / ctx.sampledPeakPerSec);
  }

  draw(_type: number, nowMs: number, surge = false): Drawn {
    const rng = this.rng;
    let user: string;
    if (surge) user = `u${Math.floor(rng.next() * users)}`;
    else if (rng.chance(this.heavyShare)) user = `h${Math.floor(rng.next() * heavyUsers)}`;
    else user = `u${this.universe.rankAt(rng.next())}`;
    const kind = surge ? "marketing" : "transactional";
    const id = `n${++this.made}`;
    const n: Notification = { id, user, kind, atMs: nowMs, acked: false, deliveries: [] };
    this.byId.set(id, n);
    this.all.push(n);
    const text = kind === "marketing" ? `Our spring sale starts now #${id}` : `Your sign-in code is ${100_000 + (this.made % 900_000)} #${id}`;
    return { payload: { notificationId: id, user, kind, at: Math.floor(nowMs), text }, key: user };
  }

  observe(_type: number, drawn: Drawn, _response: unknown, _sentMs: number, _endMs: number): void {
    const n = this.byId.get(String(drawn.payload.notificationId));
    if (n) n.acked = true;
  }

  delivered(_provider: string, to: string, body: string, atMs: number): void {
    const hash = body.lastIndexOf("#");
    const n = hash >= 0 ? this.byId.get(body.slice(hash + 1)) : undefined;
    if (!n || n.user !== to) {
      this.misdelivered++;
      this.first.misdelivered ??= `"${body.slice(0, 60)}" to ${to}`;
      return;
    }
    n.deliveries.push(atMs);
  }

  lost(_key: string): void {}

  figures(): Record<string, number> {
    let duplicates = 0, delivered = 0, overLimit = 0, lost = 0, judged = 0, limited = 0;
    const delays: Record<string, number[]> = { transactional: [], marketing: [] };
    // Per user and minute of `at`: the notifications made, for the limit and the losses.
    const windows = new Map<string, Notification[]>();
    for (const n of this.all) {
      if (n.deliveries.length > 0) {
        delivered++;
        delays[n.kind]!.push(n.deliveries[0]! - n.atMs);
        if (n.deliveries.length > 1) {
          duplicates += n.deliveries.length - 1;
          this.first.duplicates ??= `${n.id} reached ${n.user} ${n.deliveries.length} times, at ${n.deliveries.map((t) => `${(t / 1000).toFixed(2)} s`).join(", ")}`;
        }
      }
      const key = `${n.user}|${Math.floor(n.atMs / windowMs)}`;
      let list = windows.get(key);
      if (!list) windows.set(key, (list = []));
      list.push(n);
    }
    const judgeBefore = this.ctx.durationMs - judgeTailMs;
    for (const list of windows.values()) {
      const got = list.filter((n) => n.deliveries.length > 0);
      if (got.length > perUserPerMinute) {
        overLimit += got.length - perUserPerMinute;
        const n = got[0]!;
        this.first.overLimit ??= `${n.user} got ${got.length} notifications made in the minute from ${Math.floor(n.atMs / windowMs)}:00 (${got.map((g) => g.id).join(", ")})`;
      }
      // The limit's room left for accepted ones, after any unaccepted ones that were delivered anyway.
      const judgedAcked = list.filter((n) => n.acked && n.atMs < judgeBefore);
      if (judgedAcked.length === 0) continue;
      judged += judgedAcked.length;
      const room = Math.max(0, perUserPerMinute - got.filter((n) => !n.acked).length);
      const owed = Math.min(judgedAcked.length, room);
      const reached = judgedAcked.filter((n) => n.deliveries.length > 0).length;
      limited += judgedAcked.length - reached;
      if (reached < owed) {
        lost += owed - reached;
        const missing = judgedAcked.find((n) => n.deliveries.length === 0)!;
        this.first.lostNotifications ??= `${missing.id} for ${missing.user}, made at ${(missing.atMs / 1000).toFixed(1)} s and accepted (${reached} of the ${owed} that user was owed in that minute arrived)`;
      }
    }
    limited -= lost;
    const out: Record<string, number> = {
      notifications: this.made,
      acceptedNotifications: this.all.filter((n) => n.acked).length,
      deliveredNotifications: delivered,
      judgedNotifications: judged,
      duplicates,
      lostNotifications: lost,
      limitedNotifications: limited,
      overLimit,
      misdelivered: this.misdelivered,
    };
    let longest = 0;
    for (const kind of ["transactional", "marketing"] as const) {
      const sorted = delays[kind]!.sort((a, b) => a - b);
      if (sorted.length === 0) continue;
      out[`${kind}DelayP50Ms`] = Math.round(percentile(sorted, 0.5));
      out[`${kind}DelayP99Ms`] = Math.round(percentile(sorted, 0.99));
      out[`${kind}DelayMaxMs`] = Math.round(sorted[sorted.length - 1]!);
      longest = Math.max(longest, sorted[sorted.length - 1]!);
    }
    out.delayMaxMs = Math.round(longest);
    return out;
  }

  examples(): Record<string, string> {
    return { ...this.first };
  }
}
