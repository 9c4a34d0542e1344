/**
 * The cache-patterns system: an application serves reads and writes (Zipf keys) with a cache (1 ms) in
 * front of a slow database (lognormal, median 20 ms). For every operation the learner's CachePolicy
 * chooses what to do; the system carries it out with real latencies, so races between a slow database
 * read and a write happen as they do in production. The cache node may crash: what it held is gone,
 * including writes acknowledged but not yet in the database.
 *
 * Each key has versions: a write makes the next one. A read is stale when it returns a version older
 * than the newest write acknowledged before the read began.
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
    if (c.crashAtMs >= 0) lines.push(`the cache node crashes at ${formatMs(c.crashAtMs)} (its contents are lost)`);
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
    const cacheVersion = new Int32Array(c.keys).fill(-1);
    const cachedAt = new Float64Array(c.keys);
    const ops = new JobTable(); // a = key, b = version (writes) or acked version at start (reads)
    let reads = 0, hits = 0, stale = 0, dbReads = 0, dbWrites = 0;
    const hotLatencies: number[] = [];
    const writeLatencies: number[] = [];
    const acknowledge = (op: number) => {
      writeLatencies.push(loop.nowMs - ops.intendedMs[op]!);
      recorder.leave(loop.nowMs, ops.intendedMs[op]!, OK, 1);
    };
    let invalid = false;
    const complain = (text: string) => {
      if (invalid) return;
      invalid = true;
      port.complain(text);
    };

    const fill = (key: number, version: number) => {
      // A slow load must not overwrite a newer value a write put in the cache meanwhile.
      if (cacheVersion[key]! <= version) {
        cacheVersion[key] = version;
        cachedAt[key] = loop.nowMs;
      }
    };
    const answerRead = (op: number, version: number) => {
      const key = ops.a[op]!;
      if (version < ops.b[op]!) stale++;
      if (key < hotKeys && ops.intendedMs[op]! >= warmUpMs) hotLatencies.push(loop.nowMs - ops.intendedMs[op]!);
      recorder.leave(loop.nowMs, ops.intendedMs[op]!, OK, 0);
    };
    // Database reads: the value is the one in the database when the read is served.
    const dbReadKind = loop.on((op, refill) => {
      const key = ops.a[op]!;
      const version = dbVersion[key]!;
      fill(key, version);
      if (refill === 0) answerRead(op, version);
    });
    const cacheReadKind = loop.on((op, version) => answerRead(op, version));
    const dbWriteKind = loop.on((op, mode) => {
      const key = ops.a[op]!;
      const version = ops.b[op]!;
      if (dbVersion[key]! < version) dbVersion[key] = version;
      if (mode === 1) cacheVersion[key] = -1;
      else if (mode === 2) fill(key, version);
      if (mode === 3) return; // a flush from write-behind: the write was acknowledged long ago
      acked[key] = Math.max(acked[key]!, version);
      acknowledge(op);
    });
    const ackKind = loop.on((op) => {
      const key = ops.a[op]!;
      acked[key] = Math.max(acked[key]!, ops.b[op]!);
      acknowledge(op);
    });

    const read = (key: number) => {
      reads++;
      const op = ops.add(loop.nowMs, key, acked[key]!);
      recorder.enter(loop.nowMs);
      const cached = cacheVersion[key]! >= 0 && loop.nowMs - cachedAt[key]! <= c.ttlMs;
      port.nowMs = loop.nowMs;
      let choice = port.call(policy, READ, cached ? loop.nowMs - cachedAt[key]! : -1, 0, 0, name(key));
      if ((choice === "cache" || choice === "cache+refresh") && !cached) {
        complain(`read(${JSON.stringify(name(key))}, -1) returned "${choice}", but that key is not in the cache: read the database`);
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
      if (choice !== "database") complain(`read() returned ${JSON.stringify(choice)}: it must return "cache", "database" or "cache+refresh"`);
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
        fill(key, version);
        loop.at(loop.nowMs + cacheMs, ackKind, op);
        return;
      }
      const mode = choice === "invalidate" ? 1 : choice === "write-through" ? 2 : 0;
      if (mode === 0 && choice !== "database") complain(`write() returned ${JSON.stringify(choice)}: it must return "invalidate", "write-through", "write-behind" or "database"`);
      dbWrites++;
      loop.at(loop.nowMs + db() + (mode === 2 ? cacheMs : 0), dbWriteKind, op, mode);
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
          const key = Number(text.slice(5));
          if (!text.startsWith("item:") || !(key >= 0 && key < c.keys) || cacheVersion[key]! < 0) continue;
          dbWrites++;
          loop.at(loop.nowMs + db(), dbWriteKind, ops.add(loop.nowMs, key, cacheVersion[key]!), 3);
        }
      }
      if (loop.nowMs + tickEveryMs <= durationMs + 1000) loop.at(loop.nowMs + tickEveryMs, tickKind);
    });
    loop.at(tickEveryMs, tickKind);
    if (c.crashAtMs >= 0) loop.at(c.crashAtMs, loop.on(() => cacheVersion.fill(-1)));
    loop.run();

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
    /** Reads older than a write acknowledged before they began. Param: max (0…1 of reads). */
    "stale-reads"(run, params) {
      const f = run.components.figures;
      const max = params.max ?? 0;
      const text = `${f.staleReads} of ${f.reads} reads (${(f.staleRatio! * 100).toFixed(2)}%) returned a value older than a write acknowledged before the read began`;
      if (f.staleRatio! > max) return { ok: false, message: `${text}; at most ${(max * 100).toFixed(2)}% may. A write that leaves the old value in the cache serves it until the entry expires: invalidate or update the cache on every write.` };
      return { ok: true, message: text };
    },
    /** Acknowledged writes that never reached the database. Param: max (keys). */
    "lost-writes"(run, params) {
      const f = run.components.figures;
      const max = params.max ?? 0;
      const text = `${f.lostWrites} keys lost an acknowledged write (the cache node crashed before the database had it)`;
      if (f.lostWrites! > max) return { ok: false, message: `${text}; at most ${max} may. Write-behind acknowledges before the database has the value: keep the dirty keys and flush them from tick(), every time.` };
      return { ok: true, message: text };
    },
    /** Share of reads answered by the cache. Param: min (0…1). */
    "hit-ratio"(run, params) {
      const f = run.components.figures;
      const text = `${(f.hitRatio! * 100).toFixed(1)}% of reads came from the cache (${f.dbReadsPerSec} database reads/s)`;
      if (f.hitRatio! < (params.min ?? 0)) return { ok: false, message: `${text}; need ${((params.min ?? 0) * 100).toFixed(0)}%. After a miss, the value read from the database goes into the cache.` };
      return { ok: true, message: text };
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
