/**
 * "Design a URL shortener": users shorten links (shorten), click them (resolve: the redirect) and their
 * owners fix a few (update). At launch: 100 million existing links, 4,000 requests a second at the daily
 * peak (97% redirects), popularity Zipf 0.99, new links clicked most in their first minutes.
 *
 * Correctness, judged on what users got back:
 * - unique codes: no two links (different idempotency keys) get one code, and no new code is an
 *   existing link's; a retried shorten (same idempotency key) gets the code of its first success;
 * - resolves return what was stored: the URL of the last acknowledged write, or one written since (or
 *   still being written); an older URL is a stale read if the newer one was acknowledged more than the
 *   staleness bound before the read began; anything else (another link's URL, a 404 for a link that
 *   exists) is a wrong read, except for links a store lost in a failover, which count as lost.
 */
import type { Drawn, Prompt, Workload, WorkloadContext } from "../prompt.ts";

const codeRule = /^[0-9A-Za-z]{1,16}$/;
/** Resolves that go to links created during the run (recent links get most of their clicks early). */
const freshShare = 0.15;
/** …drawn from this many most recent links. */
const freshWindow = 4000;
/** Updates that fix a popular existing link (the rest fix a recent one). */
const popularUpdateShare = 0.5;

interface Written {
  value: string;
  sentMs: number;
  ackedMs: number;
}

const RESOLVE = 0;
const SHORTEN = 1;
const UPDATE = 2;

export const urlShortener: Prompt = {
  name: "url-shortener",
  summary: "shorten links, redirect clicks, let owners update a link; 100 M links exist at launch",
  types: [
    { name: "resolve", share: 0.975, cpuMs: 0.4, timeoutMs: 1000, retries: 1, retryDelayMs: 1000, responseBytes: 600 },
    { name: "shorten", share: 0.02, cpuMs: 1.5, timeoutMs: 2000, retries: 2, retryDelayMs: 500, responseBytes: 300 },
    { name: "update", share: 0.005, cpuMs: 1, timeoutMs: 2000, retries: 2, retryDelayMs: 500, responseBytes: 200 },
  ],
  traffic: { peakPerSec: 4000, meanOverPeak: 0.5 },
  data: { existing: 100_000_000, skew: 0.99, entryBytes: 500, recordBytes: 600 },
  staleBoundMs: 60_000,
  edgeKey: (type, drawn) => (type === RESOLVE ? drawn.key : undefined),
  edgeValue: (universe, rank) => JSON.stringify({ url: universe.urlOf(rank) }),
  createWorkload: (ctx) => new UrlShortenerWorkload(ctx),
  checks: {
    "unique-codes"(run) {
      const f = run.design.figures;
      const bad = (f.duplicateCodes ?? 0) + (f.badCodes ?? 0);
      const example = run.design.findings.duplicateCodes ?? run.design.findings.badCodes;
      if (bad > 0) return { ok: false, message: `${bad} short codes were not unique or not codes (e.g. ${example}). Two creations can pick the same code at once: write with insert (it refuses a taken key) and pick again, or take codes from a counter` };
      return { ok: true, message: `${f.links} links created, every code unique` };
    },
    idempotency(run) {
      const f = run.design.figures;
      if ((f.idempotencyViolations ?? 0) > 0) return { ok: false, message: `${f.idempotencyViolations} retried shorten requests created a second link (e.g. ${run.design.findings.idempotencyViolations}): users retry when a response is slow, with the same idempotency key; remember the code made for a key and answer a retry with it` };
      return { ok: true, message: `every retried shorten got its first code back (${f["shorten.userRetries"] ?? 0} user retries)` };
    },
    "correct-reads"(run) {
      const f = run.design.figures;
      if ((f.wrongReads ?? 0) > 0) return { ok: false, message: `${f.wrongReads} resolves returned what was never stored for their code (e.g. ${run.design.findings.wrongReads})` };
      return { ok: true, message: `every resolve returned what was stored${f.lostReads ? ` (${f.lostReads} found links a failover lost: see rpo)` : ""}` };
    },
    /** Param: maxRatio (default 0.001): resolves that returned a URL replaced more than the staleness bound before. */
    "stale-reads"(run, params) {
      const f = run.design.figures;
      const max = params.maxRatio ?? 0.001;
      if ((f.staleRatio ?? 0) > max) return { ok: false, message: `${f.staleReads} resolves (${((f.staleRatio ?? 0) * 100).toFixed(3)}%) returned a URL its owner had replaced more than 60 s before (e.g. ${run.design.findings.staleReads}). A cache without a TTL on data that changes keeps the old URL until it is evicted: give entries a TTL under the bound, or delete the key when the link is updated` };
      return { ok: true, message: `${f.staleReads ?? 0} stale resolves (${((f.staleRatio ?? 0) * 100).toFixed(3)}%, at most ${(max * 100).toFixed(3)}%)` };
    },
  },
};

class UrlShortenerWorkload implements Workload {
  private readonly ctx: WorkloadContext;
  private readonly keys: ReturnType<WorkloadContext["rng"]["fork"]>;
  /** Codes users got back from shorten, in order: what they click and update. */
  private readonly fresh: string[] = [];
  /** Per code written during the run: its writes as users sent them (the existing URL comes first, implicitly). */
  private readonly writes = new Map<string, Written[]>();
  private readonly codeOfKey = new Map<string, string>();
  private readonly keyOfCode = new Map<string, string>();
  private readonly lostCodes = new Set<string>();
  private readonly viralCode: string;
  private made = 0;
  private readonly counts = { resolves: 0, staleReads: 0, wrongReads: 0, lostReads: 0, duplicateCodes: 0, idempotencyViolations: 0, badCodes: 0 };
  private readonly first: Record<string, string> = {};

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx;
    this.keys = ctx.rng.fork("keys");
    // A link from the long tail (not in any warm cache) that goes viral.
    this.viralCode = ctx.universe.codeOf(ctx.universe.size - 1 - Math.floor(ctx.rng.fork("viral").next() * 1000));
  }

  draw(type: number, nowMs: number): Drawn {
    const u = this.ctx.universe;
    if (type === SHORTEN) {
      const n = ++this.made;
      return { payload: { url: `https://example.com/new/${n}`, owner: `key-${Math.floor(this.keys.next() * 500)}`, idempotencyKey: `idem-${n}` }, key: `idem-${n}` };
    }
    if (type === UPDATE) {
      const code = this.fresh.length > 0 && !this.keys.chance(popularUpdateShare) ? this.pickFresh() : u.codeOf(u.rankAt(this.keys.next()) % 10_000);
      const n = ++this.made;
      const url = `https://example.com/fixed/${n}`;
      // Known from the moment it is sent: a store may apply it although the user never hears back.
      let list = this.writes.get(code);
      if (!list) this.writes.set(code, (list = []));
      list.push({ value: url, sentMs: nowMs, ackedMs: Infinity });
      return { payload: { code, url }, key: code };
    }
    const v = this.ctx.viral;
    let code: string;
    if (v.share > 0 && nowMs >= v.fromMs && nowMs < v.toMs && this.keys.chance(v.share)) code = this.viralCode;
    else if (this.fresh.length > 0 && this.keys.chance(freshShare)) code = this.pickFresh();
    else code = u.codeOf(u.rankAt(this.keys.next()));
    return { payload: { code }, key: code };
  }

  private pickFresh(): string {
    const window = Math.min(this.fresh.length, freshWindow);
    return this.fresh[this.fresh.length - 1 - Math.floor(this.keys.next() * window)]!;
  }

  observe(type: number, drawn: Drawn, response: unknown, sentMs: number, endMs: number): void {
    if (type === SHORTEN) this.shortened(drawn, response, sentMs, endMs);
    else if (type === UPDATE) this.updated(drawn, endMs);
    else this.resolved(drawn, response, sentMs);
  }

  private note(kind: keyof UrlShortenerWorkload["counts"], example: () => string): void {
    this.counts[kind]++;
    this.first[kind] ??= example();
  }

  private shortened(drawn: Drawn, response: unknown, sentMs: number, endMs: number): void {
    const code = (response as { code?: unknown } | null)?.code;
    const idem = String(drawn.payload.idempotencyKey);
    if (typeof code !== "string" || !codeRule.test(code)) {
      this.note("badCodes", () => `shorten answered ${JSON.stringify(response)?.slice(0, 80)}: a code is 1–16 characters of A–Z, a–z, 0–9`);
      return;
    }
    const earlier = this.codeOfKey.get(idem);
    if (earlier !== undefined) {
      if (earlier !== code) this.note("idempotencyViolations", () => `a retried shorten (idempotency key ${idem}) got code ${code}, its first attempt ${earlier}: the user now has two links`);
      return;
    }
    const owner = this.keyOfCode.get(code);
    if (owner !== undefined || this.ctx.universe.rankOf(code) >= 0) {
      this.note("duplicateCodes", () => `code ${code} was given to ${owner === undefined ? "a new link, but an existing link already has it" : `two links (idempotency keys ${owner} and ${idem})`}: one of them now redirects to the other's URL`);
      return;
    }
    this.codeOfKey.set(idem, code);
    this.keyOfCode.set(code, idem);
    this.writes.set(code, [{ value: String(drawn.payload.url), sentMs, ackedMs: endMs }]);
    this.fresh.push(code);
  }

  private updated(drawn: Drawn, endMs: number): void {
    const write = this.writes.get(String(drawn.payload.code))?.find((w) => w.value === drawn.payload.url);
    if (write && write.ackedMs === Infinity) write.ackedMs = endMs;
  }

  private resolved(drawn: Drawn, response: unknown, sentMs: number): void {
    this.counts.resolves++;
    const code = drawn.key;
    const got = (response as { url?: unknown } | null)?.url;
    const url = typeof got === "string" ? got : undefined;
    const rank = this.ctx.universe.rankOf(code);
    const list = this.writes.get(code);
    const existing = rank >= 0 ? this.ctx.universe.urlOf(rank) : undefined;
    // Most resolves are of links nobody changed: their one right answer is the existing URL.
    if (list === undefined && url === existing) return;
    // What may be returned: the last value acknowledged before the staleness bound, and anything written after.
    const bound = sentMs - this.ctx.staleBoundMs;
    let settled = existing;
    let settledAckMs = -Infinity;
    let allowed = false;
    for (const w of list ?? []) {
      if (w.ackedMs >= bound) {
        if (w.value === url) allowed = true;
      } else if (w.ackedMs > settledAckMs) {
        settled = w.value;
        settledAckMs = w.ackedMs;
      }
    }
    if (allowed || url === settled) return;
    if (this.lostCodes.has(code)) {
      this.note("lostReads", () => `resolve ${code} found ${url ?? "nothing"}: the store lost the acknowledged write it needed`);
      return;
    }
    const older = url !== undefined && (url === existing || (list ?? []).some((w) => w.value === url));
    if (older) this.note("staleReads", () => `resolve ${code} at ${(sentMs / 1000).toFixed(1)} s returned ${url}, replaced by ${settled ?? "?"} more than ${this.ctx.staleBoundMs / 1000} s before`);
    else this.note("wrongReads", () => `resolve ${code} returned ${url === undefined ? "nothing (404)" : url}, but the link ${settled !== undefined ? `holds ${settled}` : "does not exist"}`);
  }

  lost(key: string): void {
    this.lostCodes.add(key);
  }

  figures(): Record<string, number> {
    const c = this.counts;
    return {
      links: this.fresh.length,
      staleReads: c.staleReads,
      staleRatio: c.resolves ? Math.round((c.staleReads / c.resolves) * 1e6) / 1e6 : 0,
      wrongReads: c.wrongReads,
      lostReads: c.lostReads,
      duplicateCodes: c.duplicateCodes,
      idempotencyViolations: c.idempotencyViolations,
      badCodes: c.badCodes,
    };
  }

  examples(): Record<string, string> {
    return { ...this.first };
  }
}
