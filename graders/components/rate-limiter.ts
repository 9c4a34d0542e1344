/**
 * The rate-limiter system: clients send requests (Poisson, optionally in bursts) through API gateways;
 * each gateway asks its own instance of the learner's limiter whether to admit. With several gateways
 * each runs in its own realm (no shared memory): every sync period the system carries each gateway's
 * state() to the others' merge() after a network delay. Figures per client: requests offered and
 * admitted, and the most admitted in any one-second window against what the limit allows.
 */
import { hashText } from "../report/hash.ts";
import { createArrivals, type ArrivalSpec } from "../sim/requests/arrivals.ts";
import { RequestLoop } from "../sim/requests/engine.ts";
import { round3 } from "../sim/requests/recorder.ts";
import { formatMs } from "../report/format.ts";
import { listOption, numberOption } from "./scenario.ts";
import type { ComponentSystem, Options, SystemOutcome } from "./types.ts";

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
    shares: listOption(options, "shares", gateways, 1 / gateways),
    syncEveryMs: numberOption(options, "syncEveryMs", 100),
    syncDelayMs: numberOption(options, "syncDelayMs", 10),
  };
}

const clientName = (i: number) => `client-${i + 1}`;

export const rateLimiter: ComponentSystem = {
  name: "rate-limiter",
  summary: "clients → gateways, each asking its own limiter allow(client); gateways exchange state() → merge() every sync period",
  describe(scenario) {
    const c = config(scenario.workload.options ?? {}, scenario.nodes);
    const lines = [
      `limit ${c.ratePerSec}/s per client, burst ${c.burst}; clients offer ${c.rates.map((r, i) => `${clientName(i)} ${r}/s`).join(", ")}${c.burstFactor ? ` (${clientName(0)} in bursts of ${c.burstFactor}×)` : ""}`,
    ];
    if (c.spikeAtMs >= 0) lines.push(`${clientName(c.spikeClient)} sends ${c.spikeSize} requests at once at ${formatMs(c.spikeAtMs)}`);
    if (scenario.nodes > 1) lines.push(`${scenario.nodes} gateways take ${c.shares.map((s) => `${Math.round(s * 100)}%`).join(" / ")} of each client's requests; state is exchanged every ${c.syncEveryMs} ms, ${c.syncDelayMs} ms in transit`);
    return lines;
  },
  run(ctx): SystemOutcome {
    const gateways = ctx.ports.length;
    const c = config(ctx.options, gateways);
    const durationMs = ctx.scenario.durationMs;
    const loop = new RequestLoop();
    const limiters = ctx.ports.map((port, g) => port.create(undefined, { ratePerSec: c.ratePerSec, burst: c.burst, gateways, gateway: g }));
    if (limiters.some((l) => l === undefined)) return { figures: {}, series: {}, recordHash: hashText("no limiter"), events: 0, simulatedMs: 0 };
    const clients = c.rates.length;
    const offered = new Array<number>(clients).fill(0);
    const admitted = new Array<number>(clients).fill(0);
    const admittedAt: number[][] = Array.from({ length: clients }, () => []);
    let record = "";
    const records: string[] = [];
    const route = ctx.rng.fork("gateways");
    let invalid = false;

    const request = (client: number): void => {
      let g = 0;
      if (gateways > 1) {
        const u = route.next();
        let acc = 0;
        for (g = 0; g < gateways - 1; g++) if (u < (acc += c.shares[g]!)) break;
      }
      const port = ctx.ports[g]!;
      port.nowMs = loop.nowMs;
      const answer = port.call(limiters[g]!, ALLOW, 0, 0, 0, clientName(client));
      if (typeof answer !== "boolean" && !invalid) {
        invalid = true;
        port.complain(`allow(${JSON.stringify(clientName(client))}) returned ${JSON.stringify(answer)}: it must return true or false`);
      }
      offered[client]!++;
      if (answer === true) {
        admitted[client]!++;
        admittedAt[client]!.push(loop.nowMs);
      }
      record += answer === true ? "1" : "0";
      if (record.length > 8192) {
        records.push(record);
        record = "";
      }
    };
    c.rates.forEach((rate, client) => {
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
    if (c.spikeAtMs >= 0) {
      loop.at(c.spikeAtMs, loop.on(() => {
        const before = admitted[c.spikeClient]!;
        for (let i = 0; i < c.spikeSize; i++) request(c.spikeClient);
        spikeAdmitted = admitted[c.spikeClient]! - before;
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
          ctx.ports[g]!.nowMs = loop.nowMs;
          const state = ctx.ports[g]!.call(limiters[g]!, STATE);
          if (typeof state !== "string") continue;
          inFlight.push(state);
          loop.at(loop.nowMs + c.syncDelayMs, deliverKind, g, inFlight.length - 1);
        }
        if (loop.nowMs + c.syncEveryMs < durationMs) loop.at(loop.nowMs + c.syncEveryMs, syncKind);
      });
      loop.at(c.syncEveryMs, syncKind);
    }
    loop.run();

    // The most admitted in any window of one second, per client (two pointers over sorted times).
    const windowMax = admittedAt.map((times) => {
      let best = 0;
      for (let lo = 0, hi = 0; hi < times.length; hi++) {
        while (times[hi]! - times[lo]! >= 1000) lo++;
        best = Math.max(best, hi - lo + 1);
      }
      return best;
    });
    const allowedPerWindow = c.ratePerSec + c.burst;
    const allowedTotal = (c.ratePerSec * durationMs) / 1000 + c.burst;
    const saturated = c.rates.map((r, i) => (r >= 1.5 * c.ratePerSec ? i : -1)).filter((i) => i >= 0);
    const light = c.rates.map((r, i) => (r > 0 && r <= 0.8 * c.ratePerSec ? i : -1)).filter((i) => i >= 0);
    const figures: Record<string, number> = {
      requests: offered.reduce((a, b) => a + b, 0),
      admitted: admitted.reduce((a, b) => a + b, 0),
      windowMaxOverLimit: round3(Math.max(...windowMax) / allowedPerWindow),
      totalOverLimit: round3(Math.max(...admitted.map((a) => a / allowedTotal))),
      saturatedUse: saturated.length ? round3(Math.min(...saturated.map((i) => admitted[i]! / ((c.ratePerSec * durationMs) / 1000)))) : 1,
      lightAdmitted: light.length ? round3(Math.min(...light.map((i) => admitted[i]! / Math.max(1, offered[i]!)))) : 1,
      spikeSize: c.spikeSize,
      spikeAdmitted,
      burst: c.burst,
      ratePerSec: c.ratePerSec,
    };
    return {
      figures,
      series: { offered, admitted, windowMax },
      recordHash: hashText(records.join("") + record),
      events: loop.events,
      simulatedMs: durationMs,
      ...(loop.stopped ? { fatal: loop.stopped } : {}),
    };
  },
  checks: {
    /** Never over the limit: the most admitted in any second ≤ (rate + burst) × max, and in total. Param: max. */
    limit(run, params) {
      const f = run.components.figures;
      const s = run.components.series;
      const max = params.max ?? 1;
      const text = `the most admitted for one client in any second was ${Math.max(...s.windowMax!)} (the limit allows ${f.ratePerSec} + a burst of ${f.burst}); admitted per client ${s.admitted!.join(", ")} of ${s.offered!.join(", ")} offered`;
      if (f.windowMaxOverLimit! > max || f.totalOverLimit! > max) {
        return { ok: false, message: `${text}: ${f.windowMaxOverLimit}× what the limit allows${max > 1 ? ` (tolerance ${max}×)` : ""}. A fixed window lets twice the rate through at a window's edge; a token bucket cannot.` };
      }
      return { ok: true, message: text };
    },
    /** A client asking for more than the limit gets (nearly) the limit. Param: min (0…1). */
    throughput(run, params) {
      const f = run.components.figures;
      const min = params.min ?? 0.95;
      const text = `a client offering more than the limit got ${(f.saturatedUse! * 100).toFixed(1)}% of its allowed rate`;
      if (f.saturatedUse! < min) return { ok: false, message: `${text}; it should get at least ${(min * 100).toFixed(0)}%. Refill continuously, and with several gateways give each its share of the limit by where the traffic goes.` };
      return { ok: true, message: text };
    },
    /** Up to `burst` requests at once after a quiet spell all go through. */
    burst(run) {
      const f = run.components.figures;
      const expected = Math.min(f.spikeSize!, f.burst!);
      const text = `${f.spikeAdmitted} of a burst of ${f.spikeSize} simultaneous requests were admitted (the bucket holds ${f.burst})`;
      if (f.spikeAdmitted! < expected) return { ok: false, message: `${text}; at least ${expected} should be. A token bucket that has been idle is full: it admits a burst at once.` };
      return { ok: true, message: text };
    },
    /** Clients under their limit are not hurt by a heavy one. Param: min (0…1 of their requests). */
    fairness(run, params) {
      const f = run.components.figures;
      const min = params.min ?? 0.99;
      const text = `light clients (under 80% of the limit) had ${(f.lightAdmitted! * 100).toFixed(1)}% of their requests admitted`;
      if (f.lightAdmitted! < min) return { ok: false, message: `${text}; need ${(min * 100).toFixed(0)}%. Keep one bucket per client, so a heavy client spends only its own tokens.` };
      return { ok: true, message: text };
    },
  },
};
