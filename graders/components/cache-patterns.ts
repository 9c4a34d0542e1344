/**
 * The cache-patterns system: an application serves reads and writes (Zipf keys) with a cache (1 ms) in
 * front of a slow database (lognormal, median 20 ms). For every operation the learner's CachePolicy
 * chooses what to do; the system carries it out with real latencies, so races between a slow database
 * read and a write happen as they do in production. The cache may crash and restart empty: what it
 * held is gone, including writes acknowledged but not yet in the database.
 *
 * Each key has versions: a write makes the next one. A read is stale when it returns a version older
 * than the newest write acknowledged before the read began that still exists: a write the crash
 * destroyed counts once, as a lost write, not again in every later read of its key. Stale reads are
 * measured in every task (any pattern can serve an old value), with their cause: which answered (cache
 * or database), and whether the newest write was still only in the cache or went to the database alone.
 */
import { hashText } from "../report/hash.ts";
import { formatMs } from "../report/format.ts";
import { createArrivals } from "../sim/requests/arrivals.ts";
import { serviceSampler, zipfSampler } from "../sim/requests/distributions.ts";
import { RequestLoop } from "../sim/requests/engine.ts";
import { JobTable } from "../sim/requests/jobs.ts";
import { OK, Recorder, round1, round3 } from "../sim/requests/recorder.ts";
import { requestChecks } from "./checks.ts";
import { requestOutcome } from "./outcome.ts";
import { numberOption } from "./scenario.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

const READ = "read|sn";
const WRITE = "write|s";
const TICK = "?tick|";
const cacheMs = 1;
/** How a write was carried out (also how the newest acknowledged write of a key was made). */
const DATABASE_ONLY = 0;
const INVALIDATE = 1;
const THROUGH = 2;
const FLUSH = 3;
const BEHIND = 4;
/** What each kind of unreadable answer is, for the error that counts them. */
const unreadableWhat: Record<string, string> = {
  "cache-miss": `reads answered "cache" for a key that was not cached`,
  read: "answers of read() were not one of its choices",
  write: "answers of write() were not one of its choices",
  tick: "names in tick() were not keys",
  "tick-type": "answers of tick() were not a string",
};
const tickEveryMs = 100;
/** Reads of the most popular keys (ranks below this) are also measured apart: refresh-ahead is for them. */
const hotKeys = 20;
/** …after the cache has warmed up: the first read of every key misses, whatever the pattern. */
const warmUpMs = 2000;

function config(options: Options) {
  return {
    pattern: String(options.pattern ?? "cacheAside"),
    keys: numberOption(options, "keys", 10_000),
    writeShare: numberOption(options, "writeShare", 0.1),
    ttlMs: numberOption(options, "ttlMs", 10_000),
    crashAtMs: numberOption(options, "crashAtMs", -1),
    dbMedianMs: numberOption(options, "dbMedianMs", 20),
  };
}

export const cachePatterns: ComponentSystem = {
  name: "cache-patterns",
  summary: "an application with a cache (1 ms) in front of a slow database; your policy picks, per read and write, what it does",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {});
    const lines = [
      `pattern ${c.pattern}: ${scenario.workload.rate} operations/s, ${Math.round(c.writeShare * 100)}% writes, ${c.keys} keys (Zipf 0.99); cache TTL ${formatMs(c.ttlMs)}; database lognormal median ${c.dbMedianMs} ms`,
    ];
    if (c.crashAtMs >= 0) lines.push(`the cache crashes at ${formatMs(c.crashAtMs)} and restarts empty (writes it held and had not flushed are lost)`);
    return lines;
  },
  run(ctx): SystemOutcome {
    const c = config(ctx.options);
    const { port } = ctx;
    const durationMs = ctx.scenario.durationMs;
    const loop = new RequestLoop();
    const recorder = new Recorder();
    const policy = port.create(c.pattern, { ttlMs: c.ttlMs });
    if (policy === undefined) return { figures: {}, series: {}, recordHash: hashText("no policy"), events: 0, simulatedMs: 0 };
    const db = serviceSampler({ dist: "lognormal", medianMs: c.dbMedianMs, sigma: 0.5 }, ctx.rng.fork("database"));
    const zipf = zipfSampler(c.keys, 0.99, ctx.rng.fork("keys"));
    const mix = ctx.rng.fork("mix");
    const name = (k: number) => `item:${k}`;

    const dbVersion = new Int32Array(c.keys);
    const issued = new Int32Array(c.keys);
    const acked = new Int32Array(c.keys);
    /** The newest acknowledged version of each key that still exists somewhere (the crash may destroy some). */
    const expected = new Int32Array(c.keys);
    /** How the newest acknowledged write of each key was made (a write mode below). */
    const ackedMode = new Int8Array(c.keys).fill(-1);
    const cacheVersion = new Int32Array(c.keys).fill(-1);
    const cachedAt = new Float64Array(c.keys);
    // version: a write's version, or the version a read expects when it starts
    const ops = new JobTable("key", "version");
    let reads = 0, hits = 0, stale = 0, dbReads = 0, dbWrites = 0;
    let staleFromCache = 0, staleFromDatabase = 0, staleDirty = 0, staleAfterDatabaseOnly = 0;
    let crashedAtMs = -1;
    /** How the policy chose: reads sent to the database though cached, and writes per mode (DATABASE_ONLY…BEHIND). */
    let readsDatabaseWhileCached = 0;
    const writesByMode = [0, 0, 0, 0, 0];
    let flushNamedUncached = 0;
    let flushedKeys = 0;
    const hotLatencies: number[] = [];
    const writeLatencies: number[] = [];
    const acknowledge = (op: number, mode: number) => {
      const key = ops.col.key[op]!;
      const version = ops.col.version[op]!;
      if (version > acked[key]!) {
        acked[key] = version;
        ackedMode[key] = mode;
      }
      expected[key] = Math.max(expected[key]!, version);
      writeLatencies.push(loop.nowMs - ops.intendedMs[op]!);
      recorder.leave(loop.nowMs, ops.intendedMs[op]!, OK, 1);
    };
    // Answers the system cannot act on, by kind: each counted, the first kept, reported once at the end.
    const unreadable = new Map<string, { count: number; first: string; atMs: number }>();
    const complain = (kind: string, text: () => string) => {
      const seen = unreadable.get(kind);
      if (seen) seen.count++;
      else unreadable.set(kind, { count: 1, first: text(), atMs: loop.nowMs });
    };

    const fill = (key: number, version: number) => {
      // A slow load must not overwrite a newer value a write put in the cache meanwhile.
      if (cacheVersion[key]! <= version) {
        cacheVersion[key] = version;
        cachedAt[key] = loop.nowMs;
      }
    };
    const answerRead = (op: number, version: number, fromCache: boolean) => {
      const key = ops.col.key[op]!;
      // A read that began before the crash is held only to what survived it.
      const due = crashedAtMs >= ops.intendedMs[op]! ? Math.min(ops.col.version[op]!, expected[key]!) : ops.col.version[op]!;
      if (version < due) {
        stale++;
        if (fromCache) staleFromCache++;
        else staleFromDatabase++;
        // Why: the newest write was still only in the cache (written behind, not yet in the database), or
        // went to the database alone and left the cache as it was.
        if (!fromCache && ackedMode[key] === BEHIND && dbVersion[key]! < due) staleDirty++;
        else if (ackedMode[key] === DATABASE_ONLY) staleAfterDatabaseOnly++;
      }
      if (key < hotKeys && ops.intendedMs[op]! >= warmUpMs) hotLatencies.push(loop.nowMs - ops.intendedMs[op]!);
      recorder.leave(loop.nowMs, ops.intendedMs[op]!, OK, 0);
    };
    // Database reads: the value is the one in the database when the read is served.
    const dbReadKind = loop.on((op, refill) => {
      const key = ops.col.key[op]!;
      const version = dbVersion[key]!;
      fill(key, version);
      if (refill === 0) answerRead(op, version, false);
    });
    const cacheReadKind = loop.on((op, version) => answerRead(op, version, true));
    const dbWriteKind = loop.on((op, mode) => {
      const key = ops.col.key[op]!;
      const version = ops.col.version[op]!;
      if (dbVersion[key]! < version) dbVersion[key] = version;
      if (mode === INVALIDATE) cacheVersion[key] = -1;
      else if (mode === THROUGH) fill(key, version);
      if (mode === FLUSH) return; // the write was acknowledged long ago, when it reached the cache
      acknowledge(op, mode);
    });
    const ackKind = loop.on((op) => {
      // A crash between the write reaching the cache and its acknowledgement destroyed it before any
      // reader could be owed it: it counts as a lost write, not as a value later reads should return.
      if (cacheVersion[ops.col.key[op]!]! < ops.col.version[op]! && dbVersion[ops.col.key[op]!]! < ops.col.version[op]!) return lostAtBirth(op);
      acknowledge(op, BEHIND);
    });
    const lostAtBirth = (op: number) => {
      const key = ops.col.key[op]!;
      if (ops.col.version[op]! > acked[key]!) {
        acked[key] = ops.col.version[op]!;
        ackedMode[key] = BEHIND;
      }
      writeLatencies.push(loop.nowMs - ops.intendedMs[op]!);
      recorder.leave(loop.nowMs, ops.intendedMs[op]!, OK, 1);
    };

    const read = (key: number) => {
      reads++;
      const op = ops.add(loop.nowMs, key, expected[key]!);
      recorder.enter(loop.nowMs);
      const cached = cacheVersion[key]! >= 0 && loop.nowMs - cachedAt[key]! <= c.ttlMs;
      const ageMs = cached ? loop.nowMs - cachedAt[key]! : -1;
      port.nowMs = loop.nowMs;
      let choice = port.call(policy, READ, ageMs, 0, 0, name(key));
      if ((choice === "cache" || choice === "cache+refresh") && !cached) {
        complain("cache-miss", () => `read(${JSON.stringify(name(key))}, -1) returned "${choice}", but that key is not in the cache (the system read the database instead)`);
        choice = "database";
      }
      if (choice === "cache" || choice === "cache+refresh") {
        hits++;
        loop.at(loop.nowMs + cacheMs, cacheReadKind, op, cacheVersion[key]!);
        if (choice === "cache+refresh") {
          dbReads++;
          loop.at(loop.nowMs + db(), dbReadKind, op, 1);
        }
        return;
      }
      if (choice !== "database") complain("read", () => `read(${JSON.stringify(name(key))}, ${round1(ageMs)}) returned ${JSON.stringify(choice) ?? "nothing"}: it must return "cache", "database" or "cache+refresh" (the system read the database)`);
      if (cached) readsDatabaseWhileCached++;
      dbReads++;
      loop.at(loop.nowMs + cacheMs + db(), dbReadKind, op, 0);
    };
    const write = (key: number) => {
      const version = ++issued[key]!;
      const op = ops.add(loop.nowMs, key, version);
      recorder.enter(loop.nowMs);
      port.nowMs = loop.nowMs;
      const choice = port.call(policy, WRITE, 0, 0, 0, name(key));
      if (choice === "write-behind") {
        writesByMode[BEHIND]!++;
        fill(key, version);
        loop.at(loop.nowMs + cacheMs, ackKind, op);
        return;
      }
      const mode = choice === "invalidate" ? INVALIDATE : choice === "write-through" ? THROUGH : DATABASE_ONLY;
      if (mode === DATABASE_ONLY && choice !== "database") complain("write", () => `write(${JSON.stringify(name(key))}) returned ${JSON.stringify(choice) ?? "nothing"}: it must return "invalidate", "write-through", "write-behind" or "database" (the system wrote the database only)`);
      writesByMode[mode]!++;
      dbWrites++;
      loop.at(loop.nowMs + db() + (mode === THROUGH ? cacheMs : 0), dbWriteKind, op, mode);
    };
    const arrivals = createArrivals({ ratePerSec: ctx.scenario.workload.rate }, durationMs, ctx.rng.fork("arrivals"));
    const arriveKind = loop.on(() => {
      const key = zipf();
      if (mix.next() < c.writeShare) write(key);
      else read(key);
      const next = arrivals.next();
      if (next !== Infinity) loop.at(next, arriveKind);
    });
    const first = arrivals.next();
    if (first !== Infinity) loop.at(first, arriveKind);
    // The policy's flushes (write-behind): each named key's cached value goes to the database.
    const tickKind = loop.on(() => {
      port.nowMs = loop.nowMs;
      const keys = port.call(policy, TICK);
      if (typeof keys === "string" && keys.length > 0) {
        for (const text of keys.split(",")) {
          const key = /^item:(0|[1-9][0-9]*)$/.test(text) ? Number(text.slice(5)) : -1;
          if (!(key >= 0 && key < c.keys)) {
            complain("tick", () => `tick() named ${JSON.stringify(text)}, which is not a key (keys look like "item:42", comma-separated with no spaces); nothing was written for it`);
            continue;
          }
          // Nothing cached to write (the crash emptied the cache, or a flush after an invalidation): not an error.
          if (cacheVersion[key]! < 0) {
            flushNamedUncached++;
            continue;
          }
          dbWrites++;
          flushedKeys++;
          loop.at(loop.nowMs + db(), dbWriteKind, ops.add(loop.nowMs, key, cacheVersion[key]!), FLUSH);
        }
      } else if (keys !== undefined && typeof keys !== "string") {
        complain("tick-type", () => `tick() returned ${JSON.stringify(keys)}: it must return the keys to write as one comma-separated string`);
      }
      if (loop.nowMs + tickEveryMs <= durationMs + 1000) loop.at(loop.nowMs + tickEveryMs, tickKind);
    });
    loop.at(tickEveryMs, tickKind);
    if (c.crashAtMs >= 0) {
      loop.at(c.crashAtMs, loop.on(() => {
        crashedAtMs = loop.nowMs;
        cacheVersion.fill(-1);
        // What survives of each key is the database's version. (A flush on its way lands later; until it
        // does, the database's older value is all any policy could read.)
        for (let k = 0; k < c.keys; k++) expected[k] = Math.min(expected[k]!, dbVersion[k]!);
      }));
    }
    loop.run();

    // Each at the time of its first occurrence, so the report reads in time order.
    for (const [kind, u] of unreadable) {
      port.nowMs = u.atMs;
      port.complain(`${u.count} ${unreadableWhat[kind]}; the first: ${u.first}`);
    }
    // Writes acknowledged that never reached the database (per key: the newest acknowledged version).
    let lost = 0;
    for (let k = 0; k < c.keys; k++) if (acked[k]! > dbVersion[k]! && cacheVersion[k]! < acked[k]!) lost++;
    const p99 = (xs: number[]) => {
      const sorted = Float64Array.from(xs).sort();
      return round1(sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]! : 0);
    };
    const figures: Record<string, number> = {
      ...recorder.figures(Math.max(durationMs, recorder.lastChangeAtMs)),
      reads,
      hitRatio: round3(reads ? hits / reads : 0),
      staleReads: stale,
      staleRatio: round3(reads ? stale / reads : 0),
      staleFromCache,
      staleFromDatabase,
      staleDirty,
      staleAfterDatabaseOnly,
      flushNamedUncached,
      crashAtMs: c.crashAtMs,
      flushedKeys,
      tickUnreadable: unreadable.get("tick")?.count ?? 0,
      readsDatabaseWhileCached,
      writes: writesByMode.reduce((a, b) => a + b, 0),
      writesInvalidate: writesByMode[INVALIDATE]!,
      writesDatabaseOnly: writesByMode[DATABASE_ONLY]!,
      lostWrites: lost,
      dbReadsPerSec: round1((dbReads / durationMs) * 1000),
      dbWritesPerSec: round1((dbWrites / durationMs) * 1000),
      hotLatencyP99Ms: p99(hotLatencies),
      writeLatencyP99Ms: p99(writeLatencies),
    };
    return requestOutcome(loop, recorder, durationMs, figures);
  },
  checks: {
    ...requestChecks,
    /** Reads older than a write acknowledged before they began (and not lost in a crash). Param: max (0…1 of reads). */
    "stale-reads"(run, params) {
      const f = run.components.figures;
      const max = params.max ?? 0;
      const text = `${f.staleReads} of ${f.reads} reads (${(f.staleRatio! * 100).toFixed(2)}%) returned a value older than a write acknowledged before the read began (${f.staleFromCache} answered by the cache, ${f.staleFromDatabase} by the database)`;
      if (!(f.staleRatio! > max)) return { ok: true, message: text };
      let cause: string;
      if (f.staleDirty! >= 0.5 * f.staleReads!) {
        cause = `${f.staleDirty} of them read the database for a key whose newest write was still only in the cache (written behind, not yet flushed): the database has a dirty key's value only after tick() flushed it, so read such keys from the cache.`;
      } else if (f.staleAfterDatabaseOnly! >= 0.5 * f.staleReads!) {
        cause = `${f.staleAfterDatabaseOnly} of them followed a write that went to the database alone: it leaves the old value in the cache, served until the entry expires. Invalidate or update the cache on every write.`;
      } else if (f.staleFromCache! >= f.staleFromDatabase!) {
        cause = `Most came from the cache: some write left an older value there (a write to the database alone, or a flush that lost a race). Invalidate or update the cache on every write.`;
      } else {
        cause = `Most came from the database: a read went there while the newest value was only in the cache.`;
      }
      return { ok: false, message: `${text}; at most ${(max * 100).toFixed(2)}% may. ${cause}` };
    },
    /** Acknowledged writes that never reached the database. Param: max (keys). */
    "lost-writes"(run, params) {
      const f = run.components.figures;
      const max = params.max ?? 0;
      const crash = f.crashAtMs! >= 0 ? `the cache crashed at ${formatMs(f.crashAtMs!)}, and ` : "";
      const text = `${crash}${f.lostWrites} keys lost an acknowledged write (the cache held it and the database never got it)`;
      if (!(f.lostWrites! > max)) return { ok: true, message: text };
      let cause: string;
      if (f.tickUnreadable! > 0) cause = `${f.tickUnreadable} names in tick() were not keys (no-errors shows the first), so those writes never reached the database: name the keys exactly as write() got them, comma-separated.`;
      else if (f.flushedKeys === 0) cause = `tick() never named a key, so no write-behind value ever reached the database: return every dirty key from tick().`;
      else cause = `tick() named ${f.flushedKeys} keys over the run, yet ${f.lostWrites} were still waiting when the cache crashed: flush every dirty key on every tick, not a batch of them, so that a crash loses at most the last 100 ms.`;
      return { ok: false, message: `${text}; at most ${max} may. Write-behind acknowledges before the database has the value. ${cause}` };
    },
    /** Share of reads answered by the cache. Param: min (0…1). */
    "hit-ratio"(run, params) {
      const f = run.components.figures;
      const min = params.min ?? 0;
      const text = `${(f.hitRatio! * 100).toFixed(1)}% of reads came from the cache (${f.dbReadsPerSec} database reads/s)`;
      if (!(f.hitRatio! < min)) return { ok: true, message: text };
      const misses = Math.round(f.reads! * (1 - f.hitRatio!));
      let cause: string;
      if (f.readsDatabaseWhileCached! > 0.3 * misses) cause = `${f.readsDatabaseWhileCached} reads went to the database although the key was cached (ageMs ≥ 0): answer those from the cache.`;
      else if (f.writesInvalidate! + f.writesDatabaseOnly! > 0.5 * f.writes!) cause = `${f.writesInvalidate} of ${f.writes} writes deleted the cached entry (invalidate), so the next read of each key missed: write-through puts the new value in the cache instead.`;
      else cause = `After a miss, the value read from the database goes into the cache, and later reads should find it there.`;
      return { ok: false, message: `${text}; need ${(min * 100).toFixed(0)}%. ${cause}` };
    },
    /** p99 latency of writes, until acknowledged. Param: p99Max (ms). */
    "write-latency"(run, params) {
      const f = run.components.figures;
      const text = `writes were acknowledged in ${f.writeLatencyP99Ms} ms (p99)`;
      if (f.writeLatencyP99Ms! > (params.p99Max ?? Infinity)) return { ok: false, message: `${text}, over ${params.p99Max} ms. Write-behind acknowledges once the cache has the value, without waiting for the database.` };
      return { ok: true, message: text };
    },
    /** p99 latency of reads of the 20 most popular keys, after a warm-up. Param: p99Max (ms). */
    "hot-latency"(run, params) {
      const f = run.components.figures;
      const text = `reads of the 20 most popular keys after the first 2 s: p99 ${f.hotLatencyP99Ms} ms`;
      if (f.hotLatencyP99Ms! > (params.p99Max ?? Infinity)) return { ok: false, message: `${text}, over ${params.p99Max} ms. Every time a hot key expires, someone waits for the database: reload it in the background shortly before it expires.` };
      return { ok: true, message: text };
    },
  },
};
